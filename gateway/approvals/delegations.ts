/**
 * Handing approvals over: a person's delegation (`POST /api/approvals/{id}/delegate`) and the
 * policy's out-of-office entries. Both reach the run as a delegation signed like a decision; the
 * run judges it again (four eyes, groups, a person counts once) and records it.
 */
import { randomBytes } from 'node:crypto';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { approvalDelegationUpdate } from '../../src/shared/messages.js';
import { signDelegation, type UnsignedDelegation } from '../../src/shared/delegation-signature.js';
import { runBindingOf } from '../../src/shared/approval/binding.js';
import type { DecisionSigner } from '../../src/shared/decision-signature.js';
import { sameIdentity } from '../../src/shared/identity.js';
import { decidesStage, type DelegateKind } from '../../src/shared/policy/deciders.js';
import type { OutOfOffice } from '../../src/shared/policy/schema.js';
import { groupsOf, type Identity, type TokenTable } from '../auth.js';
import { updateWithinBudget } from '../budget.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { Runs } from '../runs.js';
import type { FoundApproval } from '../run-description.js';
import { standInsFor } from './stand-ins.js';
import { judgeDelegation } from '../../src/shared/approval/delegation.js';
import { apiErrorOf, deciderOf } from './rules.js';

export interface DelegationInput {
  delegatorId: string;
  to: string;
  toKind: DelegateKind;
  reason: string;
}

function currentStageGroup(approval: ApprovalRecord): string | undefined {
  return approval.current_stage === undefined ? undefined : approval.stages?.[approval.current_stage]?.group;
}

/** Why the gateway will not send this delegation, as the approval judge answers it (the run asks again). */
export function delegationRefusal(
  identity: Identity,
  approval: ApprovalRecord,
  input: DelegationInput,
  now = new Date().toISOString(),
): ApiError | undefined {
  const delegation = {
    delegator: deciderOf(identity, input.delegatorId, groupsOf(identity)),
    to: input.to,
    toKind: input.toKind,
  };
  const verdict = judgeDelegation(approval, delegation, { now });
  return verdict.allowed ? undefined : apiErrorOf(verdict, approval);
}

export class Delegations {
  constructor(
    private readonly runs: Runs,
    private readonly signer: DecisionSigner,
    private readonly budgetMs: number,
    private readonly outOfOffice: readonly OutOfOffice[],
    private readonly tokens: TokenTable | undefined,
    private readonly policyId: string,
  ) {}

  /** Hands `found` over as `identity` asks; answers with the approval as the run now has it. */
  async delegate(
    { view, approval }: FoundApproval,
    identity: Identity,
    input: DelegationInput,
  ): Promise<ApprovalRecord> {
    const refusal = delegationRefusal(identity, approval, input);
    if (refusal) throw refusal;
    const groups = groupsOf(identity);
    return this.#send(view.workflow_id, {
      ...runBindingOf(approval),
      approval_id: approval.approval_id,
      delegated_by: input.delegatorId,
      ...(groups && { groups }),
      to: input.to,
      to_kind: input.toKind,
      reason: input.reason,
    });
  }

  /**
   * Before `deciderId` decides: when someone who may decide this stage is away (an out-of-office
   * entry of the policy names the decider as their stand-in until a time not yet reached) and the
   * decider may not decide it in their own right, the absent person's hand-over is sent first.
   */
  async applyOutOfOffice(
    found: FoundApproval,
    identity: Identity,
    deciderId: string,
    now = new Date(),
  ): Promise<FoundApproval> {
    const { approval } = found;
    const group = currentStageGroup(approval);
    if (group === undefined || approval.status !== 'pending' || sameIdentity(deciderId, approval.requested_by))
      return found;
    const handovers = { escalated_to: approval.escalated_to, delegations: approval.delegations };
    if (decidesStage(group, groupsOf(identity), handovers)) return found;
    for (const { entry, groups } of standInsFor(
      this.outOfOffice,
      deciderId,
      (id) => this.tokens?.groupsOfUser(id),
      now.getTime(),
    )) {
      if (!decidesStage(group, groups, handovers)) continue;
      if ((approval.delegations ?? []).some((d) => sameIdentity(d.from, entry.from) && sameIdentity(d.to, deciderId)))
        return found;
      const updated = await this.#send(found.view.workflow_id, {
        ...runBindingOf(approval),
        approval_id: approval.approval_id,
        delegated_by: entry.from,
        groups,
        to: deciderId,
        to_kind: 'person',
        reason: `${entry.from} is out of office until ${entry.until} (policy ${this.policyId})`,
      });
      return { view: found.view, approval: updated };
    }
    return found;
  }

  /** The groups of each person `identity` stands in for now, for the inbox's `may_decide`. */
  standInGroups(identity: Identity, now = new Date()): string[][] {
    if (identity.kind !== 'token') return [];
    return standInsFor(this.outOfOffice, identity.user_id, (id) => this.tokens?.groupsOfUser(id), now.getTime()).map(
      (s) => s.groups,
    );
  }

  async #send(workflowId: string, delegation: UnsignedDelegation): Promise<ApprovalRecord> {
    const signed = signDelegation(
      delegation,
      this.signer,
      new Date().toISOString(),
      randomBytes(18).toString('base64url'),
    );
    const raced = await updateWithinBudget(
      this.runs.client,
      workflowId,
      approvalDelegationUpdate,
      [signed],
      this.budgetMs,
    );
    if (raced.done) return raced.value;
    throw new ApiError(
      503,
      ErrorCode.RunUnresponsive,
      `The run did not take the delegation within ${this.budgetMs} ms (is a worker running?); ` +
        'check the approval before trying again.',
    );
  }
}
