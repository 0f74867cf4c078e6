/**
 * Which rule of a policy applies to a READY step, and what it says: run, refuse, or wait for
 * approval stages. Pure: the workflow and the unit tests call it alike. Amount tiers compare the
 * sum of every transfer in the request, so splitting one payment into several steps gains nothing.
 */
import type { PlanStep, RiskLevel } from '../workflow-contracts.js';
import { formatUsd } from '../money.js';
import type { PolicyDocument, PolicyMatch, PolicyRule, PolicyStage } from './schema.js';
import { ANYONE } from './groups.js';
import { timingOf, type ApprovalTiming } from './follow-ups.js';
import { tierAmountCents } from './window.js';

export type GateStep = Pick<PlanStep, 'tool' | 'args' | 'risk_level'>;

export interface GateContext {
  /** Sum of the amounts of all money transfers in the request, in cents. */
  requestTransferSumCents: number;
  requesterGroups: readonly string[];
  /** Policies with a rolling window: what this user's other runs moved without approval in it, in cents. */
  movedInWindowCents?: number;
  /** Rules on `recipient_never_paid`: whether the debited account never paid this step's recipient. */
  recipientNeverPaid?: boolean;
}

export type PolicyVerdict =
  | { kind: 'allow'; rule: string; reason: string }
  | { kind: 'refuse'; rule: string; reason: string }
  | {
      kind: 'approve';
      rule: string;
      reason: string;
      stages: PolicyStage[];
      requesterMayApprove: boolean;
      timing?: ApprovalTiming;
    };

/** The rule name reported when no rule matched. */
export const NO_MATCHING_RULE = 'no_matching_rule';

export function isTransfer(step: Pick<PlanStep, 'tool'>): boolean {
  return step.tool === 'bank_transfer';
}

function amountOf(step: Pick<PlanStep, 'tool' | 'args'>): number | undefined {
  if (!isTransfer(step)) return undefined;
  const amount = step.args['amount_cents'];
  return typeof amount === 'number' && Number.isInteger(amount) ? amount : undefined;
}

export function requestTransferSumCents(steps: readonly Pick<PlanStep, 'tool' | 'args'>[]): number {
  return steps.reduce((sum, step) => sum + (amountOf(step) ?? 0), 0);
}

function matches(match: PolicyMatch, step: GateStep, context: GateContext): boolean {
  if (match.tools && !match.tools.includes(step.tool)) return false;
  if (match.risk_levels && !match.risk_levels.includes(step.risk_level)) return false;
  const hasAmountTier = match.amount_at_least_cents !== undefined || match.amount_below_cents !== undefined;
  if (hasAmountTier) {
    if (amountOf(step) === undefined) return false;
    const total = tierAmountCents(context.requestTransferSumCents, context.movedInWindowCents ?? 0);
    if (match.amount_at_least_cents !== undefined && total < match.amount_at_least_cents) return false;
    if (match.amount_below_cents !== undefined && total >= match.amount_below_cents) return false;
  }
  if (match.recipients) {
    const recipient = isTransfer(step) ? step.args['to_account'] : undefined;
    if (typeof recipient !== 'string' || !match.recipients.includes(recipient)) return false;
  }
  if (match.requester_groups && !match.requester_groups.some((g) => context.requesterGroups.includes(g))) return false;
  if (match.recipient_never_paid !== undefined) {
    // Unknown (never looked up, or not a transfer) matches neither way: deny by default falls through.
    if (!isTransfer(step) || context.recipientNeverPaid === undefined) return false;
    if (match.recipient_never_paid !== context.recipientNeverPaid) return false;
  }
  return true;
}

function reasonOf(rule: PolicyRule, step: GateStep, context: GateContext): string {
  const base = rule.reason ?? `Policy rule ${rule.name}`;
  const amount = amountOf(step);
  const tiered = rule.match.amount_at_least_cents !== undefined || rule.match.amount_below_cents !== undefined;
  if (!tiered || amount === undefined) return base;
  const parts = [base];
  if (amount !== context.requestTransferSumCents)
    parts.push(`the transfers in this request total ${formatUsd(context.requestTransferSumCents)}`);
  const moved = context.movedInWindowCents ?? 0;
  if (moved > 0) {
    const total = tierAmountCents(context.requestTransferSumCents, moved);
    parts.push(
      `with ${formatUsd(moved)} already moved without approval in the policy's window, ${formatUsd(total)} in all`,
    );
  }
  return parts.join('; ');
}

/** Whether judging a transfer under this policy needs to know if its recipient was paid before. */
export function usesRecipientHistory(policy: PolicyDocument): boolean {
  return policy.rules.some((r) => r.match.recipient_never_paid !== undefined);
}

/** The first rule that matches decides; a step no rule matches is refused (deny by default). */
export function evaluatePolicy(policy: PolicyDocument, step: GateStep, context: GateContext): PolicyVerdict {
  const rule = policy.rules.find((r) => matches(r.match, step, context));
  if (!rule) {
    return {
      kind: 'refuse',
      rule: NO_MATCHING_RULE,
      reason: `No rule of policy ${policy.id} allows a ${step.tool} step at ${step.risk_level}`,
    };
  }
  const reason = reasonOf(rule, step, context);
  const outcome = rule.outcome;
  if ('allow' in outcome) return { kind: 'allow', rule: rule.name, reason };
  if ('refuse' in outcome) return { kind: 'refuse', rule: rule.name, reason: outcome.refuse };
  return {
    kind: 'approve',
    rule: rule.name,
    reason,
    stages: outcome.stages.map((s) => ({ ...s })),
    // Four eyes for money, whatever a rule says.
    requesterMayApprove: outcome.requester_may_approve === true && !isTransfer(step),
    ...withTiming(timingOf(outcome)),
  };
}

function withTiming(timing: ApprovalTiming | undefined): { timing?: ApprovalTiming } {
  return timing ? { timing } : {};
}

export interface DefaultPolicySettings {
  hil_threshold_cents: number;
  approve_l2: boolean;
}

const anyoneOnce: PolicyStage[] = [{ group: ANYONE, count: 1 }];

function lowRisk(level: RiskLevel): PolicyRule {
  return {
    name: `low-risk-${level}`,
    match: { risk_levels: [level] },
    outcome: { allow: true },
    reason: `Low-risk step (${level}) runs without approval`,
  };
}

/**
 * The built-in policy: the banking assistant's original rule (a transfer at or over HIL_THRESHOLD or an L3 step
 * needs one decision from anyone but, for money, the requester; L2 only with APPROVE_L2), with
 * the threshold compared to the request's sum of transfers.
 */
export function defaultPolicy(settings: DefaultPolicySettings): PolicyDocument {
  const medium: PolicyRule = settings.approve_l2
    ? {
        name: 'medium-risk',
        match: { risk_levels: ['L2'] },
        outcome: { stages: anyoneOnce, requester_may_approve: true },
        reason: 'Medium-risk step (L2) requires approval (APPROVE_L2 is on)',
      }
    : {
        name: 'medium-risk',
        match: { risk_levels: ['L2'] },
        outcome: { allow: true },
        reason: 'Medium-risk step (L2) runs without approval (APPROVE_L2 is off)',
      };
  return {
    id: 'builtin-default',
    description: 'HIL_THRESHOLD on the sum of transfers in one request, L3 always, L2 with APPROVE_L2',
    rules: [
      {
        name: 'transfer-threshold',
        match: { tools: ['bank_transfer'], amount_at_least_cents: settings.hil_threshold_cents },
        outcome: { stages: anyoneOnce },
        reason: `Transfer requires approval (threshold: ${formatUsd(settings.hil_threshold_cents)})`,
      },
      {
        name: 'high-risk',
        match: { risk_levels: ['L3'] },
        outcome: { stages: anyoneOnce, requester_may_approve: true },
        reason: 'High-risk step (L3) requires approval',
      },
      medium,
      lowRisk('L1'),
      lowRisk('L0'),
    ],
  };
}
