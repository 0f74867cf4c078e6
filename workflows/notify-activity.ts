/** The `notify` activity as every part of the run schedules it: one webhook delivery with its retry policy. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { WEBHOOK_RETRY } from '../src/shared/webhook-retry.js';

/** `summary` labels the activity in the Web UI (what the delivery is for); it does not change the command. */
export function notifyActivity(summary: string): Activities['notify'] {
  return proxyActivities<Activities>({
    startToCloseTimeout: WEBHOOK_RETRY.attemptTimeoutMs,
    // The retry policy the notify activity expects, so its delivery log knows the last attempt.
    retry: {
      initialInterval: WEBHOOK_RETRY.initialIntervalMs,
      backoffCoefficient: WEBHOOK_RETRY.backoffCoefficient,
      maximumInterval: WEBHOOK_RETRY.maximumIntervalMs,
      maximumAttempts: WEBHOOK_RETRY.maximumAttempts,
    },
    summary,
  }).notify;
}
