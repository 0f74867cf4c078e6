/** The approval policy: what must be approved (who may decide is src/shared/approval/). Pure and unit-tested. */
import type { PlanStep, RunSettings } from './contracts.js';
import { formatUsd } from './money.js';

export interface ApprovalRequirement {
  required: boolean;
  /** Why approval is (or is not) needed, in words an approver can read. */
  reason: string;
}

export function isMoneyTransfer(step: Pick<PlanStep, 'tool'>): boolean {
  return step.tool === 'bank_transfer';
}

export function transferAmountCents(step: Pick<PlanStep, 'tool' | 'args'>): number | undefined {
  if (!isMoneyTransfer(step)) return undefined;
  const amount = step.args['amount_cents'];
  return typeof amount === 'number' ? amount : undefined;
}

/** Decides whether a READY step must wait for a person before it runs. */
export function approvalRequirement(
  step: Pick<PlanStep, 'tool' | 'args' | 'risk_level'>,
  settings: Pick<RunSettings, 'hil_threshold_cents' | 'approve_l2'>,
): ApprovalRequirement {
  const amount = transferAmountCents(step);
  if (amount !== undefined && amount >= settings.hil_threshold_cents) {
    return {
      required: true,
      reason: `Transfer requires approval (threshold: ${formatUsd(settings.hil_threshold_cents)})`,
    };
  }
  switch (step.risk_level) {
    case 'L3':
      return { required: true, reason: 'High-risk step (L3) requires approval' };
    case 'L2':
      return settings.approve_l2
        ? { required: true, reason: 'Medium-risk step (L2) requires approval (APPROVE_L2 is on)' }
        : { required: false, reason: 'Medium-risk step (L2) runs without approval (APPROVE_L2 is off)' };
    default:
      return { required: false, reason: `Low-risk step (${step.risk_level}) runs without approval` };
  }
}
