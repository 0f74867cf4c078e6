/**
 * The first thing a request run does: check that the gateway (or an operator's key) signed its
 * start for this workflow id (start-signature.ts). Until it passes, the run has planned nothing and
 * called no tool; when it fails, the run records why and ends.
 */
import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { checkStart, type StartCheck } from '../src/shared/start-signature.js';
import type { RequestInput, TrustedDecisionKey } from '../src/shared/workflow-contracts.js';

const { trustedSigningKeys } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
  summary: 'Read the keys this run trusts',
});

/** The keys the worker trusts now (gateways' and operators'), for a start or a session's records. */
export function keysTrustedNow(): Promise<TrustedDecisionKey[]> {
  return trustedSigningKeys();
}

/** The verdict on this run's start, against the keys the worker trusts now. */
export async function verifyStart(input: RequestInput): Promise<StartCheck> {
  const keys = await keysTrustedNow();
  const { workflowId, startTime } = workflowInfo();
  return checkStart(workflowId, input, startTime, keys);
}
