/**
 * The gateway's checks on a decision, each rule once: the approval still waits, the caller's role
 * lets them decide it, and the decider may decide now (four eyes, the policy stage's group). They
 * need only the approval record, which the run's memo holds, so they run with no worker too. The
 * workflow applies the same rules again and is the final judge; these answers come first so a
 * refusal costs no round trip, names the rule, and a decision no worker takes yet is not accepted
 * when it could never count. Pure.
 */
import type { ApprovalRecord, RunView } from '../../shared/contracts.js';
import { sameIdentity } from '../../shared/identity.js';
import { checkDecider, isMoneyTransfer } from '../../shared/policy.js';
import { judgeQuorumDecision, quorumOfRecord } from '../../shared/policy/quorum.js';
import type { Identity } from '../auth.js';
import { ApiError } from '../errors.js';

export interface ProposedDecision {
  approved: boolean;
  deciderId: string;
  /** The decider's groups as the gateway authenticated them (token auth); stages check these. */
  groups?: readonly string[] | undefined;
  /** The approval's action hash as the decider saw it, when they sent one. */
  actionHash?: string | undefined;
}

/** 409 unless the approval still waits for a decision. */
function pendingRefusal(approval: ApprovalRecord): ApiError | undefined {
  if (approval.status === 'pending') return undefined;
  return ApiError.conflict(`Approval ${approval.approval_id} is already ${approval.status}`);
}

/** 409 stale_approval when the decider saw another action than the one now waiting (edited, or asked again). */
function staleRefusal(approval: ApprovalRecord, actionHash: string | undefined): ApiError | undefined {
  if (actionHash === undefined || actionHash === approval.action_hash) return undefined;
  return ApiError.staleApproval(
    `Approval ${approval.approval_id} changed since you saw it (action_hash differs): look at it again before deciding`,
  );
}

/**
 * Role rules (token auth): approvers and admins decide anyone's approvals. A requester decides
 * only in their own runs: they may withdraw (reject) any of their pending requests, and confirm
 * only a non-money L3 step. Auth off has no roles: the body names the decider.
 */
function roleRefusal(
  identity: Identity,
  run: Pick<RunView, 'user_id'>,
  approval: ApprovalRecord,
  approved: boolean,
): ApiError | undefined {
  if (identity.kind === 'anonymous' || identity.role !== 'requester') return undefined;
  if (!sameIdentity(run.user_id, identity.user_id))
    return ApiError.forbidden('Requesters may only decide steps of their own runs');
  if (!approved) return undefined;
  if (isMoneyTransfer(approval))
    return ApiError.forbidden(
      'Money transfers must be approved by an approver (you may still withdraw your request by rejecting it)',
    );
  if (approval.risk_level !== 'L3')
    return ApiError.forbidden(`Only an approver may approve a ${approval.risk_level} step`);
  return undefined;
}

/**
 * Who may decide now (shared with the workflow): with policy stages, the stage's group, four eyes
 * and one count per person; without, four eyes for money (the requester may not approve their own
 * transfer).
 */
function deciderRefusal(
  approval: ApprovalRecord,
  { approved, deciderId, groups }: ProposedDecision,
): ApiError | undefined {
  const check = checkDecider({ tool: approval.tool }, approval.requested_by, deciderId, approved);
  if (!check.allowed) return ApiError.forbidden(check.reason);
  const quorum = quorumOfRecord(approval);
  const verdict =
    quorum && judgeQuorumDecision(quorum, approval.requested_by, { approver_id: deciderId, approved, groups });
  return verdict?.kind === 'refuse' ? ApiError.forbidden(verdict.message) : undefined;
}

/** Why this decision may not be sent, or undefined when it may. */
export function decisionRefusal(
  identity: Identity,
  run: Pick<RunView, 'user_id'>,
  approval: ApprovalRecord,
  decision: ProposedDecision,
): ApiError | undefined {
  return (
    pendingRefusal(approval) ??
    staleRefusal(approval, decision.actionHash) ??
    roleRefusal(identity, run, approval, decision.approved) ??
    deciderRefusal(approval, decision)
  );
}

/**
 * Whether the approval already carries this very decision by this person (a retried request):
 * decided their way by them, or, on a staged approval, their vote is among those that counted.
 */
export function alreadyDecidedAsAsked(approval: ApprovalRecord, { approved, deciderId }: ProposedDecision): boolean {
  const verdict = approved ? 'approve' : 'reject';
  if (approval.decisions?.some((d) => d.verdict === verdict && sameIdentity(d.by, deciderId))) return true;
  const status = approved ? 'approved' : 'rejected';
  return (
    approval.status === status && approval.decided_by !== undefined && sameIdentity(approval.decided_by, deciderId)
  );
}

/**
 * Which approval a session-level decision without `approval_id` means: the only one pending in
 * the whole session. Never by position: with more than one pending the caller must name one (409
 * ambiguous_approval lists them), so nothing added to the session after the approver looked can
 * take the place of what they saw. Undefined when none is pending.
 */
export function onlyPendingApproval(sessionId: string, pending: ApprovalRecord[]): ApprovalRecord | undefined {
  const [only, ...others] = pending;
  if (!only || others.length === 0) return only;
  throw ApiError.ambiguousApproval(
    `Session ${sessionId} has ${pending.length} pending approvals; name one with approval_id`,
    pending,
  );
}
