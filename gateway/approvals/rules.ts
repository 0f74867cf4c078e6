/**
 * The gateway's early answers on a decision, from the approval judge (src/shared/approval/): the
 * same judgement the run makes as the final judge, asked first from the approval record (the run's
 * memo holds it, so this needs no worker) so that a refusal costs no round trip, names the rule,
 * and a decision that could never count is not accepted. No rule of its own.
 */
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import { alreadyDecidedAs, judgeDecision, type Decider, type Refusal } from '../../src/shared/approval/judge.js';
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

const API_ERRORS: Record<DecisionErrorType, (message: string) => ApiError> = {
  [DecisionErrorType.UnknownApproval]: ApiError.notFound,
  [DecisionErrorType.AlreadyDecided]: ApiError.conflict,
  [DecisionErrorType.Forbidden]: ApiError.forbidden,
  [DecisionErrorType.Expired]: ApiError.conflict,
  [DecisionErrorType.Unauthenticated]: ApiError.forbidden,
  [DecisionErrorType.Stale]: ApiError.staleApproval,
  [DecisionErrorType.InvalidArgs]: ApiError.badRequest,
  [DecisionErrorType.WrongRun]: ApiError.conflict,
  [DecisionErrorType.InvalidIdentity]: ApiError.badRequest,
  [DecisionErrorType.ReviewStale]: ApiError.staleReview,
  [DecisionErrorType.NotHolding]: ApiError.conflict,
};

/** The HTTP answer to one of the judge's refusals; a stale one carries the approval as it waits now. */
export function apiErrorOf(refusal: Refusal, approval?: ApprovalRecord): ApiError {
  if (refusal.type === DecisionErrorType.Stale) return ApiError.staleApproval(refusal.message, approval);
  return API_ERRORS[refusal.type](refusal.message);
}

/** The person deciding, as the judge sees them: the id, the authenticated groups and the token's role. */
export function deciderOf(identity: Identity, deciderId: string, groups: readonly string[] | undefined): Decider {
  return { id: deciderId, groups, ...(identity.kind === 'token' && { role: identity.role }) };
}

/** Why this decision may not be sent, or undefined when it may. */
export function decisionRefusal(
  identity: Identity,
  approval: ApprovalRecord,
  decision: ProposedDecision,
  now = new Date().toISOString(),
): ApiError | undefined {
  const decider = deciderOf(identity, decision.deciderId, decision.groups);
  const verdict = judgeDecision(
    approval,
    { approved: decision.approved, decider, actionHash: decision.actionHash },
    { now },
  );
  return verdict.kind === 'refuse' ? apiErrorOf(verdict, approval) : undefined;
}

/** Whether the approval already carries this very decision by this person (a retried request). */
export function alreadyDecidedAsAsked(approval: ApprovalRecord, { approved, deciderId }: ProposedDecision): boolean {
  return alreadyDecidedAs(approval, approved, deciderId);
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
