import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RiskLevel, ToolName } from '../../src/shared/contracts.js';
import { approvalRequirement } from '../../src/shared/policy.js';
import {
  defaultPolicy,
  evaluatePolicy,
  requestTransferSumCents,
  type GateStep,
} from '../../src/shared/policy/evaluate.js';
import { PolicyDocumentSchema } from '../../src/shared/policy/schema.js';

function transfer(cents: number, risk_level: RiskLevel = 'L2', to_account = 'kiran'): GateStep {
  return { tool: 'bank_transfer', args: { from_account: '123', to_account, amount_cents: cents }, risk_level };
}
function other(tool: ToolName, risk_level: RiskLevel): GateStep {
  return { tool, args: { count: 1 }, risk_level };
}
const alone = (step: GateStep, requesterGroups: string[] = []) => ({
  requestTransferSumCents: requestTransferSumCents([step]),
  requesterGroups,
});

const bank = PolicyDocumentSchema.parse(
  JSON.parse(readFileSync(new URL('../../policies/bank.json', import.meta.url), 'utf8')),
);

describe('the built-in default policy reproduces approvalRequirement for a step alone', () => {
  const steps: [string, GateStep][] = [
    ['L0', other('job_search', 'L0')],
    ['L1', other('cv_tailor', 'L1')],
    ['L2', other('calendar_create', 'L2')],
    ['L3', other('job_submit', 'L3')],
    ['transfer at 5000.00', transfer(500_000)],
    ['transfer at 4999.99', transfer(499_999)],
    ['transfer at 5000.00, L0', transfer(500_000, 'L0')],
    ['transfer at 1.00, L3', transfer(100, 'L3')],
    ['transfer at 1.00, L2', transfer(100, 'L2')],
  ];
  for (const approve_l2 of [false, true]) {
    const settings = { hil_threshold_cents: 500_000, approve_l2 };
    it.each(steps)(`%s (APPROVE_L2=${approve_l2})`, (_name, step) => {
      const legacy = approvalRequirement(step, settings);
      const verdict = evaluatePolicy(defaultPolicy(settings), step, alone(step));
      expect(verdict.kind === 'approve').toBe(legacy.required);
      expect(verdict.reason).toBe(legacy.reason);
      if (verdict.kind === 'approve') {
        expect(verdict.stages).toEqual([{ group: '*', count: 1 }]);
        expect(verdict.requesterMayApprove).toBe(step.tool !== 'bank_transfer');
      }
    });
  }
});

describe('the sum of all transfers in one request', () => {
  const settings = { hil_threshold_cents: 500_000, approve_l2: false };
  it.each<[string, number[], boolean]>([
    ['one transfer of 4000', [400_000], false],
    ['4000 and 4000', [400_000, 400_000], true],
    ['2500 and 2500', [250_000, 250_000], true],
    ['2500 and 2499.99', [250_000, 249_999], false],
    ['three of 1700', [170_000, 170_000, 170_000], true],
  ])('%s', (_name, amounts, required) => {
    const steps = amounts.map((a) => transfer(a));
    const sum = requestTransferSumCents([...steps, other('job_search', 'L0')]);
    for (const step of steps) {
      const verdict = evaluatePolicy(defaultPolicy(settings), step, {
        requestTransferSumCents: sum,
        requesterGroups: [],
      });
      expect(verdict.kind).toBe(required ? 'approve' : 'allow');
      if (required && amounts.length > 1) expect(verdict.reason).toContain('the transfers in this request total');
    }
  });
});

describe('policies/bank.json', () => {
  it.each<[string, number, string, string, unknown]>([
    ['999.99 runs', 99_999, 'allow', 'petty-transfer', undefined],
    ['1,000.00 needs an approver', 100_000, 'approve', 'small-transfer', [{ group: 'approvers', count: 1 }]],
    ['9,999.99 needs an approver', 999_999, 'approve', 'small-transfer', [{ group: 'approvers', count: 1 }]],
    ['10,000.00 needs two approvers', 1_000_000, 'approve', 'medium-transfer', [{ group: 'approvers', count: 2 }]],
    [
      '50,000.00 needs two approvers then a manager',
      5_000_000,
      'approve',
      'large-transfer',
      [
        { group: 'approvers', count: 2 },
        { group: 'managers', count: 1 },
      ],
    ],
    ['100,000.00 is refused', 10_000_000, 'refuse', 'hard-maximum', undefined],
  ])('%s', (_name, cents, kind, rule, stages) => {
    const step = transfer(cents);
    const verdict = evaluatePolicy(bank, step, alone(step));
    expect(verdict).toMatchObject({ kind, rule });
    if (verdict.kind === 'approve') expect(verdict.stages).toEqual(stages);
    if (verdict.kind === 'refuse') expect(verdict.reason).toMatch(/refused/);
  });

  it('lets the requester confirm a non-money L3 step, never a transfer', () => {
    const l3 = other('job_submit', 'L3');
    expect(evaluatePolicy(bank, l3, alone(l3))).toMatchObject({ kind: 'approve', requesterMayApprove: true });
    const money = transfer(100_000, 'L3');
    expect(evaluatePolicy(bank, money, alone(money))).toMatchObject({ kind: 'approve', requesterMayApprove: false });
  });
});

describe('matching', () => {
  const policy = PolicyDocumentSchema.parse({
    id: 'matching',
    rules: [
      { name: 'trusted-payee', match: { tools: ['bank_transfer'], recipients: ['kiran'] }, outcome: { allow: true } },
      {
        name: 'treasury',
        match: { tools: ['bank_transfer'], requester_groups: ['treasury'], amount_below_cents: 1_000_000 },
        outcome: { allow: true },
      },
      {
        name: 'transfers',
        match: { tools: ['bank_transfer'] },
        outcome: { stages: [{ group: 'approvers', count: 1 }] },
      },
      { name: 'reads', match: { risk_levels: ['L0'] }, outcome: { allow: true } },
    ],
  });
  it.each<[string, GateStep, string[], string]>([
    ['a listed recipient', transfer(900_000, 'L2', 'kiran'), [], 'trusted-payee'],
    [
      'another recipient, requester in treasury, under the tier',
      transfer(900_000, 'L2', 'bob'),
      ['treasury'],
      'treasury',
    ],
    [
      'another recipient, requester in treasury, at the tier',
      transfer(1_000_000, 'L2', 'bob'),
      ['treasury'],
      'transfers',
    ],
    ['another recipient, requester in no group', transfer(100, 'L2', 'bob'), [], 'transfers'],
    ['an L0 read', other('account_balance', 'L0'), [], 'reads'],
    ['nothing matches: refused', other('job_submit', 'L3'), [], 'no_matching_rule'],
  ])('%s', (_name, step, groups, rule) => {
    expect(evaluatePolicy(policy, step, alone(step, groups)).rule).toBe(rule);
  });

  it('refuses what no rule matches, saying which policy', () => {
    const step = other('job_submit', 'L3');
    expect(evaluatePolicy(policy, step, alone(step))).toEqual({
      kind: 'refuse',
      rule: 'no_matching_rule',
      reason: 'No rule of policy matching allows a job_submit step at L3',
    });
  });
});

describe('PolicyDocumentSchema', () => {
  it.each<[string, unknown, string]>([
    ['no rules', { id: 'p', rules: [] }, 'rules'],
    [
      'a count of zero',
      { id: 'p', rules: [{ name: 'r', match: {}, outcome: { stages: [{ group: 'a', count: 0 }] } }] },
      'rules.0.outcome.stages.0.count',
    ],
    [
      'cents with a fraction',
      { id: 'p', rules: [{ name: 'r', match: { amount_at_least_cents: 1.5 }, outcome: { allow: true } }] },
      'rules.0.match.amount_at_least_cents',
    ],
    [
      'an unknown tool',
      { id: 'p', rules: [{ name: 'r', match: { tools: ['wire'] }, outcome: { allow: true } }] },
      'rules.0.match.tools.0',
    ],
    [
      'an empty tier',
      {
        id: 'p',
        rules: [{ name: 'r', match: { amount_at_least_cents: 5, amount_below_cents: 5 }, outcome: { allow: true } }],
      },
      'rules.0.match.amount_below_cents',
    ],
    [
      'an unknown field',
      { id: 'p', rules: [{ name: 'r', match: { amount: 5 }, outcome: { allow: true } }] },
      'rules.0.match',
    ],
  ])('rejects %s', (_name, document, path) => {
    const result = PolicyDocumentSchema.safeParse(document);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
