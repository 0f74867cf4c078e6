/** The review of a request (totals, what is listed, the hash) and the preview of a review decision's choices. */
import { describe, expect, it } from 'vitest';
import { reviewHashOf, reviewOf, type ReviewableRun, type ReviewableStep } from '../../src/shared/request-review.js';
import { previewChoices, type ReviewChoice, type StepPreview } from '../../src/shared/review-cascade.js';

function step(id: string, depends_on: string[], extra: Partial<ReviewableStep> = {}): ReviewableStep {
  return { id, name: id, tool: 'grocery_plan', args: {}, risk_level: 'L0', depends_on, state: 'PENDING', ...extra };
}
const transfer = (id: string, to: string, cents: number, state: ReviewableStep['state'] = 'BLOCKED') =>
  step(id, [], { tool: 'bank_transfer', args: { from_account: '123', to_account: to, amount_cents: cents }, state });

const run: ReviewableRun = {
  workflow_id: 'req-1',
  steps: [
    transfer('pay_kiran', 'kiran', 600_000),
    transfer('pay_bob', 'bob', 125_050),
    transfer('pay_kiran_again', 'kiran', 10_000, 'PENDING'),
    transfer('paid_before', 'kiran', 99_999, 'SUCCEEDED'),
    step('apply', [], { tool: 'job_submit', args: { count: 2 }, state: 'BLOCKED' }),
    step('gym', [], { tool: 'calendar_create', args: { count: 3 } }),
    step('running', [], { state: 'RUNNING' }),
  ],
  approvals: [
    {
      approval_id: 'req-1.pay_kiran',
      step_id: 'pay_kiran',
      status: 'pending',
      action_hash: 'a'.repeat(64),
      run_id: 'r1',
    },
    { approval_id: 'req-1.pay_bob', step_id: 'pay_bob', status: 'pending', action_hash: 'b'.repeat(64), run_id: 'r1' },
    { approval_id: 'req-1.apply', step_id: 'apply', status: 'pending', action_hash: 'c'.repeat(64), run_id: 'r1' },
    { approval_id: 'req-1.paid_before', step_id: 'paid_before', status: 'approved', run_id: 'r1' },
  ],
};

describe('reviewOf', () => {
  const review = reviewOf(run);

  it('lists the steps still to come, in plan order, and which wait for a decision now', () => {
    expect(review.steps.map((s) => [s.step_id, s.needs_decision])).toEqual([
      ['pay_kiran', true],
      ['pay_bob', true],
      ['pay_kiran_again', false],
      ['apply', true],
      ['gym', false],
    ]);
    expect(review.run_id).toBe('r1');
    expect(review.steps[0]).toMatchObject({ approval_id: 'req-1.pay_kiran', action_hash: 'a'.repeat(64) });
  });

  it('totals money out in cents, recipients once each, applications and events', () => {
    expect(review.totals).toEqual({
      money_out_cents: 735_050,
      transfers: 3,
      recipients: ['kiran', 'bob'],
      applications_sent: 2,
      events_created: 3,
      external_effects: 8,
    });
  });

  it.each<[string, (r: ReviewableRun) => ReviewableRun]>([
    [
      'an argument edited',
      (r) => ({ ...r, steps: r.steps.map((s) => (s.id === 'gym' ? { ...s, args: { count: 2 } } : s)) }),
    ],
    [
      'an action hash changed',
      (r) => ({ ...r, approvals: r.approvals.map((a, i) => (i === 0 ? { ...a, action_hash: 'd'.repeat(64) } : a)) }),
    ],
    [
      'a dependency added',
      (r) => ({ ...r, steps: r.steps.map((s) => (s.id === 'gym' ? { ...s, depends_on: ['apply'] } : s)) }),
    ],
    ['a step started', (r) => ({ ...r, steps: r.steps.map((s) => (s.id === 'gym' ? { ...s, state: 'RUNNING' } : s)) })],
    ['another run', (r) => ({ ...r, workflow_id: 'req-2' })],
  ])('changes its hash when %s', (_, change) => {
    expect(reviewOf(change(run)).review_hash).not.toBe(review.review_hash);
  });

  it('keeps its hash when nothing reviewed changed (a step outside the review finished, key order)', () => {
    const same = {
      ...run,
      steps: run.steps.map((s) =>
        s.id === 'running'
          ? { ...s, state: 'SUCCEEDED' as const }
          : { ...s, args: Object.fromEntries(Object.entries(s.args).reverse()) },
      ),
    };
    expect(reviewOf(same).review_hash).toBe(review.review_hash);
    expect(review.review_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(reviewHashOf('req-1', [])).not.toBe(reviewHashOf('req-2', []));
  });
});

describe('previewChoices', () => {
  //   search -> tailor -> submit -> notify_later
  //   gym (independent);  join depends on gym and submit
  const plan = [
    { step_id: 'search', depends_on: [] },
    { step_id: 'tailor', depends_on: ['search'] },
    { step_id: 'submit', depends_on: ['tailor'] },
    { step_id: 'notify_later', depends_on: ['submit'] },
    { step_id: 'gym', depends_on: [] },
    { step_id: 'join', depends_on: ['gym', 'submit', 'done_before'] },
  ];
  const skipped = (...because: string[]): StepPreview => ({ outcome: 'skipped', because });

  it.each<[string, Record<string, ReviewChoice>, Record<string, StepPreview>]>([
    ['no choices: everything will run', {}, Object.fromEntries(plan.map((s) => [s.step_id, { outcome: 'will_run' }]))],
    [
      'a skip skips its dependents, theirs in turn, and a join it is part of',
      { tailor: 'skip', gym: 'approve' },
      {
        search: { outcome: 'will_run' },
        tailor: { outcome: 'skip' },
        submit: skipped('tailor'),
        notify_later: skipped('tailor'),
        gym: { outcome: 'approve' },
        join: skipped('tailor'),
      },
    ],
    [
      'an approval under a rejected step is shown skipped: the run never reaches its gate',
      { search: 'reject', submit: 'approve' },
      {
        search: { outcome: 'reject' },
        tailor: skipped('search'),
        submit: skipped('search'),
        notify_later: skipped('search'),
        gym: { outcome: 'will_run' },
        join: skipped('search'),
      },
    ],
    [
      'two roots are both named, once each',
      { tailor: 'reject', gym: 'skip' },
      {
        search: { outcome: 'will_run' },
        tailor: { outcome: 'reject' },
        submit: skipped('tailor'),
        notify_later: skipped('tailor'),
        gym: { outcome: 'skip' },
        join: skipped('gym', 'tailor'),
      },
    ],
  ])('%s', (_, choices, expected) => {
    expect(Object.fromEntries(previewChoices(plan, choices))).toEqual(expected);
  });

  it('ignores a choice named by no step and survives a cycle', () => {
    const cyclic = [
      { step_id: 'a', depends_on: ['b'] },
      { step_id: 'b', depends_on: ['a'] },
    ];
    expect(Object.fromEntries(previewChoices(cyclic, { a: 'skip', ghost: 'skip' }))).toEqual({
      a: { outcome: 'skip' },
      b: skipped('a'),
    });
  });
});
