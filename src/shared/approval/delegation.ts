/**
 * The approval judge's answer for a hand-over: whether a person may hand a pending approval's stage
 * to another person or a group. Only someone who may decide the stage in their own right, has not
 * approved it and did not shape its action (requester or editor) may hand it over; never to whoever
 * shaped it (four eyes), to themselves, or to someone who already counted. Pure.
 */
import { DecisionErrorType } from '../messages.js';
import { sameIdentity } from '../identity.js';
import { decidesStage, type DelegateKind } from '../policy/deciders.js';
import { groupWords } from '../policy/quorum.js';
import {
  expiryRefusal,
  identityRefusal,
  pendingRefusal,
  type Decider,
  type JudgeContext,
  type JudgedApproval,
  type Refusal,
} from './judge.js';
import { currentStage, hasCounted, shapedAction } from './people.js';

export interface ProposedDelegation {
  delegator: Decider;
  to: string;
  toKind: DelegateKind;
}

export type DelegationVerdict = { allowed: true } | ({ allowed: false } & Refusal);

const forbid = (message: string): Refusal => ({ type: DecisionErrorType.Forbidden, message });

function delegatorRefusal(approval: JudgedApproval, { delegator }: ProposedDelegation): Refusal | undefined {
  if (delegator.role === 'requester') return forbid('Requesters cannot hand approvals over; an approver can');
  const stage = currentStage(approval);
  if (!stage)
    return {
      type: DecisionErrorType.Forbidden,
      message: `Approval ${approval.approval_id} has no policy stages to hand over`,
    };
  const who = delegator.id;
  if (shapedAction(approval, who)) return forbid(`${who} shaped this step and cannot hand its approval over`);
  const handovers = { escalated_to: approval.escalated_to, delegations: approval.delegations };
  if (!decidesStage(stage.group, delegator.groups, handovers))
    return forbid(`${who} is not in group ${groupWords(stage.group)}, which decides now, so cannot hand it over`);
  if (hasCounted(approval, who)) return forbid(`${who} has already approved; their approval cannot be handed over too`);
  return undefined;
}

function recipientRefusal(approval: JudgedApproval, { delegator, to, toKind }: ProposedDelegation) {
  if (toKind !== 'person') return undefined;
  const refusal = identityRefusal({ id: to });
  if (refusal) return refusal;
  if (shapedAction(approval, to))
    return forbid(`${to} shaped this step and cannot receive its approval (four-eyes rule)`);
  if (sameIdentity(to, delegator.id)) return forbid('An approval cannot be handed to the person handing it over');
  if (hasCounted(approval, to)) return forbid(`${to} has already approved; a person counts once`);
  return undefined;
}

/** Whether `delegation` may hand `approval` over at `context.now`. */
export function judgeDelegation(
  approval: JudgedApproval,
  delegation: ProposedDelegation,
  context: Pick<JudgeContext, 'now'>,
): DelegationVerdict {
  const refusal =
    identityRefusal(delegation.delegator) ??
    pendingRefusal(approval) ??
    expiryRefusal(approval, context.now) ??
    delegatorRefusal(approval, delegation) ??
    recipientRefusal(approval, delegation);
  return refusal ? { allowed: false, type: refusal.type, message: refusal.message } : { allowed: true };
}
