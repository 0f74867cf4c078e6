import { describe, expect, it } from 'vitest';
import type { PlanStep, RiskLevel, ToolName } from '../../src/shared/contracts.js';
import { approvalRequirement, isMoneyTransfer, transferAmountCents } from '../../src/shared/policy.js';

type GateStep = Pick<PlanStep, 'tool' | 'args' | 'risk_level'>;

function transfer(cents: number, risk_level: RiskLevel = 'L2'): GateStep {
  return { tool: 'bank_transfer', args: { from_account: '123', to_account: 'kiran', amount_cents: cents }, risk_level };
}
function other(tool: ToolName, risk_level: RiskLevel): GateStep {
  return { tool, args: { count: 1 }, risk_level };
}

const THRESHOLD = 500_000;
const off = { hil_threshold_cents: THRESHOLD, approve_l2: false };
const on = { hil_threshold_cents: THRESHOLD, approve_l2: true };

describe('approvalRequirement', () => {
  it.each<[string, GateStep, typeof off, boolean]>([
    ['L0 never', other('job_search', 'L0'), on, false],
    ['L1 never', other('cv_tailor', 'L1'), on, false],
    ['L2 without APPROVE_L2', other('calendar_create', 'L2'), off, false],
    ['L2 with APPROVE_L2', other('calendar_create', 'L2'), on, true],
    ['L3 always', other('job_submit', 'L3'), off, true],
    ['L3 always, APPROVE_L2 on', other('job_submit', 'L3'), on, true],
    ['transfer at the threshold (5000.00)', transfer(500_000), off, true],
    ['transfer just below the threshold (4999.99)', transfer(499_999), off, false],
    ['transfer above the threshold (6000.00)', transfer(600_000), off, true],
    ['transfer at the threshold even at L0', transfer(500_000, 'L0'), off, true],
    ['transfer below the threshold at L0', transfer(499_999, 'L0'), on, false],
    ['transfer below the threshold at L2 with APPROVE_L2', transfer(100, 'L2'), on, true],
    ['transfer below the threshold at L3', transfer(100, 'L3'), off, true],
  ])('%s', (_name, step, settings, required) => {
    const requirement = approvalRequirement(step, settings);
    expect(requirement.required).toBe(required);
    expect(requirement.reason).not.toBe('');
  });

  it('explains a threshold pause in the words of the original banking API', () => {
    expect(approvalRequirement(transfer(600_000), off)).toEqual({
      required: true,
      reason: 'Transfer requires approval (threshold: $5,000.00)',
    });
  });

  it('uses the threshold it is given', () => {
    const low = { hil_threshold_cents: 10_000, approve_l2: false };
    expect(approvalRequirement(transfer(10_000), low).required).toBe(true);
    expect(approvalRequirement(transfer(9_999), low).required).toBe(false);
  });
});

describe('transfer helpers', () => {
  it('reads the amount of a transfer only', () => {
    expect(isMoneyTransfer({ tool: 'bank_transfer' })).toBe(true);
    expect(isMoneyTransfer({ tool: 'job_submit' })).toBe(false);
    expect(transferAmountCents(transfer(123))).toBe(123);
    expect(transferAmountCents({ tool: 'job_submit', args: { amount_cents: 5 } })).toBeUndefined();
    expect(transferAmountCents({ tool: 'bank_transfer', args: { amount_cents: '5' } })).toBeUndefined();
  });
});
