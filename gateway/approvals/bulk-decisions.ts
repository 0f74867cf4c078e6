/**
 * `POST /api/approvals/decisions`: many decisions in one request, each found, checked and
 * delivered exactly as on its own (out-of-office stand-ins included), and answered on its own in
 * the order sent. A retried list changes nothing more: an item whose approval already carries
 * that person's same decision is answered `already_applied` without sending anything.
 */
import type { z } from 'zod';
import { deciderIdOf, type Identity } from '../auth.js';
import { decisionMessage } from '../chat-replies.js';
import { classifyError, describeZodError } from '../errors.js';
import { BulkDecisionItemSchema, type BulkDecisionResultSchema } from '../schemas.js';
import type { Approvals } from './approvals.js';
import type { Delegations } from './delegations.js';
import { acceptedReply } from './decision-replies.js';
import { alreadyDecidedAsAsked } from './rules.js';

export type BulkDecisionResult = z.input<typeof BulkDecisionResultSchema>;

/** How many items are in flight at once: each may wait for its run to act (a transfer to execute). */
const PARALLEL_ITEMS = 4;

async function decideOne(
  approvals: Approvals,
  delegations: Delegations,
  identity: Identity,
  raw: unknown,
  index: number,
): Promise<BulkDecisionResult> {
  const parsed = BulkDecisionItemSchema.safeParse(raw);
  if (!parsed.success) {
    const named = (raw as { approval_id?: unknown } | null)?.approval_id;
    return {
      ...(typeof named === 'string' && named.length <= 300 && { approval_id: named }),
      ok: false,
      status: 400,
      error: { code: 'invalid_request', message: describeZodError(parsed.error, `decisions.${index}`) },
    };
  }
  const item = parsed.data;
  const base = { approval_id: item.approval_id };
  try {
    const deciderId = deciderIdOf(identity, item.decided_by, `decisions.${index}.decided_by`);
    const input = {
      approved: item.decision === 'approve',
      deciderId,
      reason: item.reason,
      actionHash: item.action_hash,
    };
    const found = await approvals.findForDecision(item.approval_id, identity);
    if (alreadyDecidedAsAsked(found.approval, input)) {
      return {
        ...base,
        ok: true,
        status: 200,
        outcome: 'already_applied',
        approval: found.approval,
        message: `${found.approval.step_name} already carries this decision by ${deciderId}`,
      };
    }
    // As on its own: an absent approver's part is handed to their stand-in first.
    const decided = await approvals.decide(
      await delegations.applyOutOfOffice(found, identity, deciderId),
      identity,
      input,
    );
    if (!decided.applied)
      return {
        ...base,
        ok: true,
        status: 202,
        outcome: 'accepted',
        approval: decided.approval,
        message: acceptedReply(decided).message,
      };
    return {
      ...base,
      ok: true,
      status: 200,
      outcome: 'applied',
      approval: decided.approval,
      step_state: decided.step?.state ?? (decided.approved ? 'RUNNING' : 'REJECTED'),
      message: decisionMessage(decided),
    };
  } catch (err) {
    const known = classifyError(err);
    if (!known) console.error(`gateway: bulk decision on ${item.approval_id} failed:`, err);
    return {
      ...base,
      ok: false,
      status: known?.status ?? 500,
      error: { code: known?.code ?? 'internal_error', message: known?.message ?? 'Internal server error' },
    };
  }
}

export async function decideMany(
  approvals: Approvals,
  delegations: Delegations,
  identity: Identity,
  items: readonly unknown[],
): Promise<BulkDecisionResult[]> {
  const results: BulkDecisionResult[] = new Array<BulkDecisionResult>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await decideOne(approvals, delegations, identity, items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_ITEMS, items.length) }, lane));
  return results;
}
