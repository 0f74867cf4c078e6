import { describe, expect, it } from 'vitest';
import { PlanSchema, type PlanStep } from '../../src/shared/contracts.js';
import { validatePlan } from '../../src/shared/dag.js';
import { planMessage, PLANNER_CAPABILITIES, type PlannerContext } from '../../src/planner/planner.js';

// 2025-11-19 is a Wednesday: this week starts 2025-11-17, next week 2025-11-24.
const ctx: PlannerContext = { user_id: 'default_user', today: '2025-11-19', from_account: '123' };

function transfer(to: string, cents: number, name: string): PlanStep {
  return {
    id: 'transfer',
    name,
    tool: 'bank_transfer',
    args: { from_account: '123', to_account: to, amount_cents: cents },
    risk_level: 'L2',
    depends_on: [],
  };
}

/** The three steps of a job application, one row each: search, tailor the CV, submit. */
function jobSteps(kind: string, count: number, suffix = ''): PlanStep[] {
  return [
    {
      id: `search_jobs${suffix}`,
      name: `Search for ${kind} jobs`,
      tool: 'job_search',
      args: { query: `${kind} engineer`, count },
      risk_level: 'L0',
      depends_on: [],
    },
    {
      id: `tailor_cv${suffix}`,
      name: 'Tailor CV to job',
      tool: 'cv_tailor',
      args: { count },
      risk_level: 'L1',
      depends_on: [`search_jobs${suffix}`],
    },
    {
      id: `submit_application${suffix}`,
      name: 'Submit job application',
      tool: 'job_submit',
      args: { count },
      risk_level: 'L3',
      depends_on: [`tailor_cv${suffix}`],
    },
  ];
}

function searchOnly(kind: string, count: number): PlanStep {
  return jobSteps(kind, count)[0]!;
}

function gym(count: number, weekStart: string, suffix = ''): PlanStep {
  return {
    id: `schedule_gym${suffix}`,
    name: 'Create gym events',
    tool: 'calendar_create',
    args: { title: 'Gym', count, week_start: weekStart, duration_minutes: 60 },
    risk_level: 'L0',
    depends_on: [],
  };
}

function groceries(days: number, people: number, suffix = ''): PlanStep {
  return {
    id: `plan_groceries${suffix}`,
    name: 'Generate grocery list',
    tool: 'grocery_plan',
    args: { days, people },
    risk_level: 'L0',
    depends_on: [],
  };
}

const THIS_WEEK = '2025-11-17';
const NEXT_WEEK = '2025-11-24';

const transfers: [string, PlanStep][] = [
  ['Transfer 6000 to Kiran', transfer('kiran', 600_000, 'Transfer $6,000.00 → kiran')],
  ['send $1,250.50 to bob', transfer('bob', 125_050, 'Transfer $1,250.50 → bob')],
  ['pay kiran 300', transfer('kiran', 30_000, 'Transfer $300.00 → kiran')],
  ['transfer $5,000.00 to Kiran', transfer('kiran', 500_000, 'Transfer $5,000.00 → kiran')],
  ['Transfer $5,000.00 to Kiran.', transfer('kiran', 500_000, 'Transfer $5,000.00 → kiran')],
  ['please send 20 dollars to alice', transfer('alice', 2_000, 'Transfer $20.00 → alice')],
  ['wire 75.5 to bob', transfer('bob', 7_550, 'Transfer $75.50 → bob')],
  ['move 100 to account kiran', transfer('kiran', 10_000, 'Transfer $100.00 → kiran')],
  ['give Bob $10', transfer('bob', 1_000, 'Transfer $10.00 → bob')],
  ['Transfer 4999.99 to Kiran', transfer('kiran', 499_999, 'Transfer $4,999.99 → kiran')],
  ['  TRANSFER   6000   TO   KIRAN!!  ', transfer('kiran', 600_000, 'Transfer $6,000.00 → kiran')],
  ["send 15 usd to kiran's account", transfer('kiran', 1_500, 'Transfer $15.00 → kiran')],
  ['pay to acct bob_2 12.05', transfer('bob_2', 1_205, 'Transfer $12.05 → bob_2')],
  [
    'Hi, could you transfer 1000000 to kiran-x, thanks',
    transfer('kiran-x', 100_000_000, 'Transfer $1,000,000.00 → kiran-x'),
  ],
  ['send 5 bucks to account #456', transfer('456', 500, 'Transfer $5.00 → 456')],
];

const lifeOs: [string, PlanStep[]][] = [
  [
    'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries',
    [...jobSteps('backend', 2), gym(3, THIS_WEEK), groceries(7, 1)],
  ],
  [
    'apply to 2 backend jobs; schedule gym 3x this week; plan groceries.',
    [...jobSteps('backend', 2), gym(3, THIS_WEEK), groceries(7, 1)],
  ],
  ['Schedule gym 3x this week then plan groceries', [gym(3, THIS_WEEK), groceries(7, 1)]],
  ['apply to a frontend job', jobSteps('frontend', 1)],
  ['Apply to three data jobs', jobSteps('data', 3)],
  ['apply for jobs', jobSteps('software', 1)],
  ['apply to 2 senior backend engineer positions', jobSteps('senior backend', 2)],
  ['apply for an engineering role', jobSteps('software', 1)],
  ['search for 4 backend jobs', [searchOnly('backend', 4)]],
  ['find data jobs', [searchOnly('data', 1)]],
  ['schedule gym 3x this week', [gym(3, THIS_WEEK)]],
  ['gym three times next week', [gym(3, NEXT_WEEK)]],
  ['book gym twice', [gym(2, THIS_WEEK)]],
  ['schedule 4 gym sessions next week', [gym(4, NEXT_WEEK)]],
  ['go to the gym 5 times this week', [gym(5, THIS_WEEK)]],
  ['plan groceries', [groceries(7, 1)]],
  ['plan groceries for 4 people', [groceries(7, 4)]],
  ['grocery list for 5 days', [groceries(5, 1)]],
  ['make a grocery list for a family of 3 for two weeks', [groceries(14, 3)]],
  [
    'apply to 2 backend jobs and apply to 1 frontend job, then plan groceries and plan groceries for 2 people',
    [...jobSteps('backend', 2), ...jobSteps('frontend', 1, '_2'), groceries(7, 1), groceries(7, 2, '_2')],
  ],
  ['Transfer 100 to bob and plan groceries', [transfer('bob', 10_000, 'Transfer $100.00 → bob'), groceries(7, 1)]],
];

const notUnderstood: [string, PlannerContext, RegExp][] = [
  ['', ctx, /^Please tell me what to do\. I can transfer money/],
  ['   \n\t ', ctx, /^Please tell me what to do/],
  ['asdf qwerty', ctx, /^I did not understand: "asdf qwerty"\. I can transfer money, apply to jobs/],
  ['pay the rent', ctx, /^I did not understand: "pay the rent"/],
  [
    'Apply to 2 backend jobs, fly to the moon, and plan groceries',
    ctx,
    /^I did not understand: "fly to the moon"\. I can transfer money, apply to jobs, schedule gym sessions and plan groceries; ask me your balance/,
  ],
  ['transfer abc to kiran', ctx, /^The amount "abc" is not a number/],
  ['transfer 0 to kiran', ctx, /^The amount "0" must be greater than zero/],
  ['send 0.00 to kiran', ctx, /^The amount "0\.00" must be greater than zero/],
  ['send -5 to bob', ctx, /^The amount "-5" must be positive/],
  ['send $-5 to bob', ctx, /^The amount "\$-5" must be positive/],
  ['transfer 1.234 to bob', ctx, /^The amount "1\.234" has more than two decimals/],
  ['send 1,25 to bob', ctx, /^The amount "1,25" is ambiguous: did you mean \$1\.25 or \$125\.00\?$/],
  [
    'send 1000000.01 to bob',
    ctx,
    /^The amount "1000000\.01" is more than the largest transfer allowed \(\$1,000,000\.00\)/,
  ],
  ['send 99999999999999999 to bob', ctx, /is more than the largest transfer allowed/],
  ['send 5 to bob smith', ctx, /^"bob smith" is not an account I can send money to/],
  ['Transfer 6000 to Kiran', { user_id: 'nobody', today: '2025-11-19' }, /^No account found for user nobody; /],
  ['Transfer 6000 to 123', ctx, /^You cannot transfer money to your own account \(123\)/],
  ['send 10 to me', ctx, /^You cannot transfer money to your own account \(123\)/],
  ['send 10 to my account', ctx, /^You cannot transfer money to your own account \(123\)/],
  ['apply to 25 backend jobs', ctx, /^The number of jobs must be at most 20, not 25\.$/],
  ['apply to 0 jobs', ctx, /^The number of jobs must be at least 1, not 0\.$/],
  ['schedule gym 9x this week', ctx, /^The number of gym sessions per week must be at most 7, not 9\.$/],
  ['plan groceries for 20 people', ctx, /^The number of people must be at most 12, not 20\.$/],
  ['plan groceries for 3 weeks', ctx, /^The number of days must be at most 14, not 21\.$/],
  ['plan groceries for the dog', ctx, /^I did not understand: "plan groceries for the dog"/],
  ['schedule gym', { ...ctx, today: '2025-02-30' }, /today's date "2025-02-30" is not a valid YYYY-MM-DD date/],
];

describe('planMessage: transfers', () => {
  it.each(transfers)('%s', (message, step) => {
    const outcome = planMessage(message, ctx);
    expect(outcome).toEqual({ kind: 'plan', plan: { intent: 'money_transfer', steps: [step] } });
  });
});

describe('planMessage: Life-OS requests', () => {
  it.each(lifeOs)('%s', (message, steps) => {
    const outcome = planMessage(message, ctx);
    const intent = steps.every((s) => s.tool === 'bank_transfer') ? 'money_transfer' : 'life_os';
    expect(outcome).toEqual({ kind: 'plan', plan: { intent, steps } });
  });

  it('computes the week from the caller date, with weeks starting on Monday', () => {
    const weekStart = (today: string, when: string) => {
      const outcome = planMessage(`schedule gym 2x ${when}`, { ...ctx, today });
      if (outcome.kind !== 'plan') throw new Error(outcome.message);
      return outcome.plan.steps[0]!.args['week_start'];
    };
    expect(weekStart('2025-11-17', 'this week')).toBe('2025-11-17');
    expect(weekStart('2025-11-23', 'this week')).toBe('2025-11-17');
    expect(weekStart('2025-11-23', 'next week')).toBe('2025-11-24');
    expect(weekStart('2025-12-31', 'next week')).toBe('2026-01-05');
    expect(weekStart('2024-02-29', 'this week')).toBe('2024-02-26');
  });
});

describe('planMessage: not understood', () => {
  it.each(notUnderstood)('%j', (message, context, expected) => {
    const outcome = planMessage(message, context);
    expect(outcome.kind).toBe('not_understood');
    if (outcome.kind === 'not_understood') expect(outcome.message).toMatch(expected);
  });

  it('names what it can do whenever it does not recognise a clause', () => {
    const outcome = planMessage('sing a song', ctx);
    expect(outcome).toEqual({
      kind: 'not_understood',
      message: `I did not understand: "sing a song". ${PLANNER_CAPABILITIES}`,
    });
  });

  it('shortens a very long unrecognised clause in its message', () => {
    const outcome = planMessage('x'.repeat(500), ctx);
    expect(outcome.kind === 'not_understood' && outcome.message.length).toBeLessThan(120 + PLANNER_CAPABILITIES.length);
  });

  it('refuses a request with more steps than a plan may hold', () => {
    const outcome = planMessage(Array(40).fill('apply to a job').join(', '), ctx);
    expect(outcome).toMatchObject({ kind: 'not_understood', message: expect.stringMatching(/more than 100 steps/) });
  });
});

describe('planMessage: every plan is valid and deterministic', () => {
  const messages = [...transfers.map(([m]) => m), ...lifeOs.map(([m]) => m)];
  it.each(messages)('%s', (message) => {
    const outcome = planMessage(message, ctx);
    if (outcome.kind !== 'plan') throw new Error(outcome.message);
    expect(validatePlan(PlanSchema.parse(outcome.plan))).toEqual([]);
    expect(planMessage(message, ctx)).toEqual(outcome);
  });
});
