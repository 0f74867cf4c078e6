import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, usesRecipientHistory, type GateStep } from '../../src/shared/policy/evaluate.js';
import { PolicyDocumentSchema } from '../../src/shared/policy/schema.js';
import {
  countsInWindow,
  movedInWindowCents,
  tierAmountCents,
  windowMsOf,
  type WindowReservation,
} from '../../src/shared/policy/window.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-01T12:00:00Z');

const loadPolicy = (file: string) =>
  PolicyDocumentSchema.parse(JSON.parse(readFileSync(new URL(`../../policies/${file}`, import.meta.url), 'utf8')));
const dailyLimit = loadPolicy('daily-limit.json');
const bank = loadPolicy('bank.json');

function reservation(amount_cents: number, ageMs: number, run_id = 'other-run', released = false): WindowReservation {
  return { run_id, amount_cents, reserved_at_ms: NOW - ageMs, released };
}
function transfer(cents: number, to_account = 'kiran'): GateStep {
  return { tool: 'bank_transfer', args: { from_account: '123', to_account, amount_cents: cents }, risk_level: 'L2' };
}

describe('window durations', () => {
  it.each<[string, number | undefined]>([
    ['24h', DAY],
    ['1m', 60_000],
    ['31d', 31 * DAY],
    ['59s', undefined],
    ['32d', undefined],
    ['a day', undefined],
    ['', undefined],
  ])('%s', (text, ms) => expect(windowMsOf(text)).toBe(ms));

  it('the policy file refuses a window it cannot use, naming the field', () => {
    const parsed = PolicyDocumentSchema.safeParse({ ...dailyLimit, rolling_window: { duration: '10s' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['rolling_window', 'duration']);
  });
});

describe('what a reservation counts in the window', () => {
  it.each<[string, WindowReservation, boolean]>([
    ['made just now', reservation(100, 0), true],
    ['one millisecond inside the window', reservation(100, DAY - 1), true],
    ['exactly one window ago (has left it)', reservation(100, DAY), false],
    ['older than the window', reservation(100, DAY + HOUR), false],
    ['released (its money never moved)', reservation(100, HOUR, 'other-run', true), false],
    ['stamped after now (clock skew): not yet', reservation(100, -1), false],
  ])('%s', (_name, r, counts) => expect(countsInWindow(r, NOW, DAY)).toBe(counts));
});

describe('cents moved without approval in the window', () => {
  it.each<[string, WindowReservation[], number]>([
    ['nothing yet', [], 0],
    ['four transfers of 1,000.00', [0, 1, 2, 3].map((i) => reservation(100_000, i * HOUR)), 400_000],
    ['yesterday has left the window', [reservation(300_000, 25 * HOUR), reservation(100_000, HOUR)], 100_000],
    ['released amounts are given back', [reservation(300_000, HOUR, 'r1', true), reservation(100_000, HOUR)], 100_000],
    [
      'the asking run is not counted twice',
      [reservation(200_000, HOUR, 'this-run'), reservation(100_000, HOUR)],
      100_000,
    ],
  ])('%s', (_name, reservations, cents) => expect(movedInWindowCents(reservations, NOW, DAY, 'this-run')).toBe(cents));

  it.each<[number, number, number]>([
    [100_000, 0, 100_000],
    [100_000, 400_000, 500_000],
    [250_000, 249_999, 499_999],
  ])('a tier compares %i in this request plus %i in the window: %i', (request, moved, total) => {
    expect(tierAmountCents(request, moved)).toBe(total);
  });
});

describe('policies/daily-limit.json: the tier is ">= $5,000.00 needs approval", on this request plus the window', () => {
  const alone = (step: GateStep, moved: number) => ({
    requestTransferSumCents: step.args['amount_cents'] as number,
    requesterGroups: [],
    movedInWindowCents: moved,
  });
  it.each<[string, number, number, string]>([
    ['the first 1,000.00 runs', 100_000, 0, 'allow'],
    ['the fourth 1,000.00 (3,000.00 moved) runs', 100_000, 300_000, 'allow'],
    ['the fifth 1,000.00 (4,000.00 moved) reaches 5,000.00 and waits', 100_000, 400_000, 'approve'],
    ['4,999.99 in all still runs', 99_999, 400_000, 'allow'],
    ['one cent over an earlier 4,999.99 waits', 1, 499_999, 'approve'],
    ['5,000.00 alone waits, as with the built-in default', 500_000, 0, 'approve'],
  ])('%s', (_name, cents, moved, kind) => {
    const verdict = evaluatePolicy(dailyLimit, transfer(cents), alone(transfer(cents), moved));
    expect(verdict.kind).toBe(kind);
    if (verdict.kind === 'approve' && moved > 0) expect(verdict.reason).toContain('already moved without approval');
  });
});

describe('the recipient-never-paid match', () => {
  const context = (recipientNeverPaid: boolean | undefined) => ({
    requestTransferSumCents: 60_000,
    requesterGroups: [],
    recipientNeverPaid,
  });
  it('is asked for only by a policy that uses it', () => {
    expect(usesRecipientHistory(bank)).toBe(true);
    expect(usesRecipientHistory(dailyLimit)).toBe(false);
  });
  it.each<[string, boolean | undefined, string]>([
    ['a first payment of 600.00 needs an approver', true, 'first-payment'],
    ['a repeat payment of 600.00 runs', false, 'petty-transfer'],
    ['unknown history matches neither way', undefined, 'petty-transfer'],
  ])('%s', (_name, neverPaid, rule) => {
    expect(evaluatePolicy(bank, transfer(60_000), context(neverPaid)).rule).toBe(rule);
  });
  it('leaves larger tiers to the tiers before it, and small first payments alone', () => {
    expect(evaluatePolicy(bank, transfer(100_000), { ...context(true), requestTransferSumCents: 100_000 }).rule).toBe(
      'small-transfer',
    );
    expect(evaluatePolicy(bank, transfer(49_999), { ...context(true), requestTransferSumCents: 49_999 }).rule).toBe(
      'petty-transfer',
    );
  });
  it('never matches a step that is not a transfer', () => {
    const policy = PolicyDocumentSchema.parse({
      id: 'p',
      rules: [{ name: 'new', match: { recipient_never_paid: true }, outcome: { allow: true } }],
    });
    const verdict = evaluatePolicy(policy, { tool: 'job_search', args: {}, risk_level: 'L0' }, context(true));
    expect(verdict).toMatchObject({ kind: 'refuse', rule: 'no_matching_rule' });
  });
});
