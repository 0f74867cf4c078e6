/**
 * The bare baselines, with nothing of ours around them: the same work as one low-value transfer
 * run (look up the requester's account, post the transfer) as two plain activities, and the DAG
 * probe's shapes as plain activities (or local activities) that sleep.
 */
import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { BaselineActivities } from './bench-activities.js';

const { lookupAccount, postTransfer } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '15s' });

export async function baselineTransferWorkflow(input: {
  user_id: string;
  to_account: string;
  amount_cents: number;
  key: string;
}): Promise<unknown> {
  const from = await lookupAccount(input.user_id);
  return postTransfer({
    from_account: from,
    to_account: input.to_account,
    amount_cents: input.amount_cents,
    key: input.key,
  });
}

export async function baselineDagWorkflow(input: {
  shape: 'wide' | 'chain';
  count: number;
  ms: number;
  local: boolean;
}): Promise<void> {
  const options = { startToCloseTimeout: '15s' } as const;
  const { nap } = input.local
    ? proxyLocalActivities<BaselineActivities>(options)
    : proxyActivities<BaselineActivities>(options);
  if (input.shape === 'wide') {
    await Promise.all(Array.from({ length: input.count }, () => nap(input.ms)));
    return;
  }
  for (let i = 0; i < input.count; i++) await nap(input.ms);
}

/** Two activities that do nothing, one after the other: what the server adds around two steps. */
export async function baselineTwoStepWorkflow(): Promise<void> {
  const { nap } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '15s' });
  await nap(0);
  await nap(0);
}

/** A durable timer: how late the server fires it (approval expiry and reminders are timers). */
export async function baselineTimerWorkflow(ms: number): Promise<void> {
  await sleep(ms);
}
