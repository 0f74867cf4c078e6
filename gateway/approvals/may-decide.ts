/**
 * The inbox's `may_decide` flag: whether the caller may approve an approval now, as the approval
 * judge answers it (src/shared/approval/) with their stand-ins, the same answer `can_decide`
 * filters on. With auth off the body names the decider, so anyone may try; the run judges them.
 */
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import type { Identity } from '../auth.js';
import { inboxCallerOf, mayApprove } from './inbox.js';

/** The groups of each person the caller stands in for now (from the policy's out-of-office entries). */
export type StandInGroups = readonly (readonly string[])[];

export function mayDecide(approval: ApprovalRecord, identity: Identity, standIns: StandInGroups = []): boolean {
  if (approval.status !== 'pending') return false;
  const caller = inboxCallerOf(identity, undefined, standIns);
  return caller.deciderId === undefined || mayApprove(approval, { ...caller, deciderId: caller.deciderId });
}
