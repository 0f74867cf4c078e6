/**
 * The approval judge: whether a decision may count on an approval, and what it does when it does.
 * The one answer to "may this count?" (still pending, the run and action it names, expiry, role,
 * four eyes for whoever shaped the action, the stage's group, one count per person, stand-ins):
 * the gateway asks it for its early refusals and for `may_decide`, the run asks it as the final
 * judge. Each rule is one function; `judgeDecision` asks them in order. Pure.
 */
import { DecisionErrorType } from '../messages.js';
import { isSafeIdentity, SAFE_IDENTITY_RULE, sameIdentity } from '../identity.js';
import { groupWords } from '../policy/quorum.js';
import {
  currentStage,
  eligibilityNow,
  hasCounted,
  isMoneyTransfer,
  isRequester,
  isStaged,
  shapedAction,
  type Decider,
  type JudgedApproval,
} from './people.js';

export type { Decider, DeciderRole, JudgedApproval } from './people.js';

/** A decision as the judge sees it: who decides which way, and what run and action they name. */
export interface ProposedDecision {
  approved: boolean;
  decider: Decider;
  /** The action hash the decider saw; absent when they named no action (the seed route). */
  actionHash?: string | undefined;
  /** The run the decision was signed for; the run itself checks these (the gateway signs what it read). */
  workflowId?: string | undefined;
  runId?: string | undefined;
}

export interface JudgeContext {
  /** ISO time of the question (workflow time in the run). */
  now: string;
  /** Whether to check the run the decision names: the run does; the gateway fills them in from the record. */
  checkRun?: boolean;
  /** Groups of the people the decider stands in for now (out of office), for `may_decide` only. */
  standInGroups?: readonly (readonly string[])[];
}

export type Refusal = { type: DecisionErrorType; message: string; expire?: boolean };

export type DecisionVerdict =
  | ({ kind: 'refuse' } & Refusal)
  | { kind: 'reject' }
  /** Counts towards the stage deciding now; `complete` when it was the last approval needed. */
  | { kind: 'approve'; complete: boolean; onBehalfOf?: string | undefined };

const refuse = (type: DecisionErrorType, message: string, expire = false): Refusal => ({ type, message, expire });

export function pendingRefusal(approval: JudgedApproval): Refusal | undefined {
  if (approval.status === 'pending') return undefined;
  return refuse(DecisionErrorType.AlreadyDecided, `Approval ${approval.approval_id} is already ${approval.status}`);
}

/**
 * A message signed for another run moves nothing: it must name the approval's run by its first
 * execution run id (unique across every run under the same workflow id), and any workflow id it
 * names must be the approval's.
 */
export function runRefusal(
  approval: JudgedApproval,
  named: Pick<ProposedDecision, 'workflowId' | 'runId'>,
): Refusal | undefined {
  if (named.workflowId !== undefined && named.workflowId !== approval.workflow_id)
    return refuse(
      DecisionErrorType.WrongRun,
      `Approval ${approval.approval_id} belongs to run ${approval.workflow_id}, not ${named.workflowId}`,
    );
  if (approval.run_id !== undefined && named.runId !== approval.run_id)
    return refuse(
      DecisionErrorType.WrongRun,
      `Approval ${approval.approval_id} belongs to run ${approval.run_id} of ${approval.workflow_id}, ` +
        `not ${named.runId ?? '(none named)'}: a decision signed for another run moves nothing`,
    );
  return undefined;
}

/**
 * The decider must have seen the action now waiting: the hash they name must be its hash, and a
 * decision that names no action counts only while the action is the one first requested (no edit).
 */
export function staleRefusal(approval: JudgedApproval, actionHash: string | undefined): Refusal | undefined {
  if (actionHash === undefined) {
    if ((approval.edits ?? 0) === 0) return undefined;
    return refuse(
      DecisionErrorType.Stale,
      `Approval ${approval.approval_id} was edited since it was first requested: look at it again and decide ` +
        `with its action_hash ${approval.action_hash ?? '(none)'}`,
    );
  }
  if (actionHash === approval.action_hash) return undefined;
  return refuse(
    DecisionErrorType.Stale,
    `Approval ${approval.approval_id} changed since you saw it (action_hash differs): look at it again before deciding`,
  );
}

/** The approval's timer fires after `expires_at`, not at it: a decision at or after it expires the approval. */
export function expiryRefusal(approval: JudgedApproval, now: string): Refusal | undefined {
  if (Date.parse(now) < Date.parse(approval.expires_at)) return undefined;
  return refuse(DecisionErrorType.Expired, `Approval ${approval.approval_id} expired at ${approval.expires_at}`, true);
}

export function identityRefusal(decider: Decider): Refusal | undefined {
  if (isSafeIdentity(decider.id)) return undefined;
  return refuse(DecisionErrorType.InvalidIdentity, `Decider id "${decider.id}" ${SAFE_IDENTITY_RULE}`);
}

/**
 * Role rules (a gateway token or JWT): approvers and admins decide anyone's approvals. A requester
 * decides only their own: they may withdraw (reject) it, and confirm only a non-money L3 step.
 */
export function roleRefusal(approval: JudgedApproval, { approved, decider }: ProposedDecision): Refusal | undefined {
  if (decider.role === 'auditor')
    return refuse(DecisionErrorType.Forbidden, 'An auditor reads evidence and decides nothing');
  if (decider.role !== 'requester') return undefined;
  if (!isRequester(approval, decider.id))
    return refuse(DecisionErrorType.Forbidden, 'Requesters may only decide steps of their own runs');
  if (!approved) return undefined;
  if (isMoneyTransfer(approval))
    return refuse(
      DecisionErrorType.Forbidden,
      'Money transfers must be approved by an approver (you may still withdraw your request by rejecting it)',
    );
  if (approval.risk_level !== 'L3')
    return refuse(DecisionErrorType.Forbidden, `Only an approver may approve a ${approval.risk_level} step`);
  return undefined;
}

function fourEyesMessage(approval: JudgedApproval, who: string): string {
  const what = isRequester(approval, who) ? 'requested' : 'edited';
  const noun = isMoneyTransfer(approval) ? 'transfer' : 'step';
  return `${who} ${what} this ${noun} and cannot approve it (four-eyes rule)`;
}

/** Without stages one decision decides: anyone may reject; whoever shaped a transfer may not approve it. */
function singleDecision(approval: JudgedApproval, { approved, decider }: ProposedDecision): DecisionVerdict {
  if (!approved) return { kind: 'reject' };
  if (isMoneyTransfer(approval) && shapedAction(approval, decider.id))
    return { kind: 'refuse', ...refuse(DecisionErrorType.Forbidden, fourEyesMessage(approval, decider.id)) };
  return { kind: 'approve', complete: true };
}

/**
 * With stages: one rejection rejects (the requester may always withdraw); an approval counts once
 * per person, only from the stage's group (or its escalation, a hand-over, a stand-in), never from
 * whoever shaped the action unless the rule lets the requester confirm it.
 */
function stagedDecision(
  approval: JudgedApproval,
  { approved, decider }: ProposedDecision,
  standInGroups: readonly (readonly string[])[],
): DecisionVerdict {
  const forbid = (message: string): DecisionVerdict => ({
    kind: 'refuse',
    ...refuse(DecisionErrorType.Forbidden, message),
  });
  const stage = currentStage(approval);
  if (!stage) return forbid('Every stage of this approval is already complete');
  const who = decider.id;
  const stages = approval.stages?.length ?? 0;
  const notInGroup =
    `${who} is not in group ${groupWords(stage.group)}, which decides now` +
    (stages > 1 ? ` (stage ${stage.index + 1} of ${stages})` : '');
  const eligibility = eligibilityNow(approval, stage.group, decider, standInGroups);
  if (!approved) return isRequester(approval, who) || eligibility.eligible ? { kind: 'reject' } : forbid(notInGroup);
  if (shapedAction(approval, who) && approval.requester_may_approve !== true)
    return forbid(fourEyesMessage(approval, who));
  if (hasCounted(approval, who)) return forbid(`${who} has already approved; a person counts once`);
  if (!eligibility.eligible) return forbid(notInGroup);
  const onBehalfOf = eligibility.on_behalf_of;
  if (onBehalfOf !== undefined && hasCounted(approval, onBehalfOf))
    return forbid(`${onBehalfOf} handed this approval to ${who} but has already approved; a person counts once`);
  if (onBehalfOf !== undefined && shapedAction(approval, onBehalfOf) && approval.requester_may_approve !== true)
    return forbid(`${onBehalfOf} handed this approval to ${who} but shaped its action (four-eyes rule)`);
  const approvedBy = approval.stages?.[stage.index]?.approved_by.length ?? 0;
  const complete = approvedBy + 1 >= stage.count && stage.index + 1 === stages;
  return { kind: 'approve', complete, ...(onBehalfOf !== undefined && { onBehalfOf }) };
}

/**
 * Whether `decision` may count on `approval` at `context.now`, and what it does: the first rule
 * that refuses, in the order a person would ask (is it known, still waiting, for this run, for the
 * action they saw, in time; may they decide it), else a rejection or an approval that counts.
 */
export function judgeDecision(
  approval: JudgedApproval | undefined,
  decision: ProposedDecision,
  context: JudgeContext,
): DecisionVerdict {
  if (!approval) return { kind: 'refuse', type: DecisionErrorType.UnknownApproval, message: 'No such approval' };
  const refusal =
    identityRefusal(decision.decider) ??
    pendingRefusal(approval) ??
    (context.checkRun === true ? runRefusal(approval, decision) : undefined) ??
    staleRefusal(approval, decision.actionHash) ??
    expiryRefusal(approval, context.now) ??
    roleRefusal(approval, decision);
  if (refusal) return { kind: 'refuse', ...refusal };
  return isStaged(approval)
    ? stagedDecision(approval, decision, context.standInGroups ?? [])
    : singleDecision(approval, decision);
}

/**
 * Whether `decider` may approve `approval` now, for the inbox's `may_decide`, its `can_decide`
 * filter and the one-click links: the same judgement as a decision that names the action waiting.
 */
export function mayApprove(
  approval: JudgedApproval,
  decider: Decider,
  context: Omit<JudgeContext, 'checkRun'>,
): boolean {
  const verdict = judgeDecision(approval, { approved: true, decider, actionHash: approval.action_hash }, context);
  return verdict.kind === 'approve';
}

/** Whether the approval already carries this very decision by this person (a retried request). */
export function alreadyDecidedAs(approval: JudgedApproval, approved: boolean, deciderId: string): boolean {
  const verdict = approved ? 'approve' : 'reject';
  if (approval.decisions?.some((d) => d.verdict === verdict && sameIdentity(d.by, deciderId))) return true;
  const decidedBy = approval.decided_by;
  return (
    approval.status === (approved ? 'approved' : 'rejected') &&
    decidedBy !== undefined &&
    sameIdentity(decidedBy, deciderId)
  );
}
