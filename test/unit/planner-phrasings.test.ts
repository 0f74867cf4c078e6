/**
 * Everyday phrasings the planner must understand, each with the plan it must give, or the
 * refusal it must say. Ambiguous amounts are refused with a question, never guessed.
 * The table is in test/support/planner-phrasings.ts.
 */
import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../src/shared/contracts.js';
import { planMessage, type PlannerContext } from '../../src/planner/planner.js';
import { ctx, PHRASINGS, refuse, status, type Expected } from '../support/planner-phrasings.js';

function check(message: string, expected: Expected, context: PlannerContext = ctx): void {
  const outcome = planMessage(message, context);
  if ('refusal' in expected) {
    expect(outcome.kind, JSON.stringify(outcome)).toBe('not_understood');
    if (outcome.kind !== 'not_understood') return;
    expect(outcome.message).toMatch(expected.refusal);
    if (expected.question) expect(outcome.message).toMatch(/\?/);
    return;
  }
  if (outcome.kind !== 'plan')
    throw new Error(`expected a plan for ${JSON.stringify(message)}, got: ${outcome.message}`);
  expect(outcome.plan.intent).toBe(expected.intent);
  expect(outcome.plan.steps.map((s) => s.tool)).toEqual(expected.tools);
  for (const [tool, args] of Object.entries(expected.args ?? {})) {
    const steps = outcome.plan.steps.filter((s: PlanStep) => s.tool === tool);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(step.args).toMatchObject(args);
  }
  for (const step of outcome.plan.steps) {
    if (step.tool === 'bank_transfer') expect(Number.isInteger(step.args['amount_cents'])).toBe(true);
  }
}

describe('planMessage: everyday phrasings', () => {
  it('has at least 150 of them, none twice', () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(PHRASINGS.map(([m]) => m)).size).toBe(PHRASINGS.length);
  });

  it.each(PHRASINGS)('%s', (message, expected) => check(message, expected));

  it('plans questions and cancels as one step without approval (L0 reads, L1 cancel)', () => {
    for (const [message, expected] of PHRASINGS) {
      const outcome = planMessage(message, ctx);
      if ('refusal' in expected || outcome.kind !== 'plan' || outcome.plan.steps.length !== 1) continue;
      const [step] = outcome.plan.steps;
      if (step!.tool === 'cancel_request') expect(step!.risk_level).toBe('L1');
      else if (['account_balance', 'transfer_history', 'request_status', 'pending_approvals'].includes(step!.tool))
        expect(step!.risk_level).toBe('L0');
    }
  });

  it('asks a user without an account to link one before reading a balance or transfers', () => {
    const noAccount = { user_id: 'nobody', today: '2025-11-19' };
    check('what is my balance?', refuse(/^No account found for user nobody/), noAccount);
    check('show my last 5 transfers', refuse(/^No account found for user nobody/), noAccount);
    check('status of my last request', status(), noAccount);
  });
});
