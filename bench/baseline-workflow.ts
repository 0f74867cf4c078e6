/**
 * The bare baseline: the same work as one low-value transfer run (look up the requester's
 * account, post the transfer), as two plain activities, with nothing of ours around it.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BaselineActivities } from './bench-activities.js';

const { lookupAccount, postTransfer } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '15s' });

export async function baselineTransferWorkflow(input: { user_id: string; to_account: string; amount_cents: number; key: string }): Promise<unknown> {
  const from = await lookupAccount(input.user_id);
  return postTransfer({ from_account: from, to_account: input.to_account, amount_cents: input.amount_cents, key: input.key });
}
