import { describe, expect, it } from 'vitest';
import type { Plan, PlanStep, StepState } from '../../src/shared/contracts.js';
import { criticalPathLength, findCycle, readiness, validatePlan, type Readiness } from '../../src/shared/dag.js';

function step(id: string, depends_on: string[] = [], overrides: Partial<PlanStep> = {}): PlanStep {
  return {
    id,
    name: `Step ${id}`,
    tool: 'grocery_plan',
    args: { days: 7, people: 1 },
    risk_level: 'L0',
    depends_on,
    ...overrides,
  };
}

function plan(...steps: PlanStep[]): Plan {
  return { intent: 'test', steps };
}

describe('validatePlan', () => {
  it('accepts the Life-OS example plan', () => {
    const example = plan(
      step('search_jobs', [], { tool: 'job_search', args: { query: 'backend engineer', count: 2 } }),
      step('tailor_cv', ['search_jobs'], { tool: 'cv_tailor', args: { count: 2 }, risk_level: 'L1' }),
      step('submit_application', ['tailor_cv'], { tool: 'job_submit', args: { count: 2 }, risk_level: 'L3' }),
      step('schedule_gym', [], {
        tool: 'calendar_create',
        args: { title: 'Gym', count: 3, week_start: '2025-11-17', duration_minutes: 60 },
      }),
      step('plan_groceries'),
    );
    expect(validatePlan(example)).toEqual([]);
  });

  it('accepts an empty plan and independent steps', () => {
    expect(validatePlan(plan())).toEqual([]);
    expect(validatePlan(plan(step('a'), step('b'), step('c')))).toEqual([]);
  });

  it.each<[string, Plan, string[]]>([
    ['duplicate ids', plan(step('a'), step('a')), ['step id "a" is used more than once']],
    ['unknown dependency', plan(step('a'), step('b', ['zz'])), ['step "b" depends on unknown step "zz"']],
    ['self dependency', plan(step('a', ['a'])), ['step "a" depends on itself']],
    ['two-step cycle', plan(step('a', ['b']), step('b', ['a'])), ['steps form a cycle: a -> b -> a']],
    [
      // Written in run order: a before b before c before a.
      'three-step cycle',
      plan(step('a', ['c']), step('b', ['a']), step('c', ['b'])),
      ['steps form a cycle: a -> b -> c -> a'],
    ],
    [
      'cycle away from the first step',
      plan(step('x'), step('p', ['q']), step('q', ['p']), step('y', ['p'])),
      ['steps form a cycle: p -> q -> p'],
    ],
    [
      'several problems, in a stable order',
      plan(step('a', ['a', 'missing']), step('a'), step('b', ['c']), step('c', ['b'])),
      [
        'step id "a" is used more than once',
        'step "a" depends on itself',
        'step "a" depends on unknown step "missing"',
        'steps form a cycle: b -> c -> b',
      ],
    ],
  ])('reports %s', (_name, input, problems) => {
    expect(validatePlan(input)).toEqual(problems);
  });

  it.each<[string, PlanStep, RegExp]>([
    [
      'a transfer without an amount',
      step('t', [], { tool: 'bank_transfer', args: { from_account: '123', to_account: 'kiran' } }),
      /^step "t" has invalid args for bank_transfer: amount_cents: /,
    ],
    [
      'a fractional amount in cents',
      step('t', [], { tool: 'bank_transfer', args: { from_account: '123', to_account: 'kiran', amount_cents: 1.5 } }),
      /^step "t" has invalid args for bank_transfer: amount_cents: /,
    ],
    [
      'an account id with capitals',
      step('t', [], { tool: 'bank_transfer', args: { from_account: '123', to_account: 'Kiran', amount_cents: 100 } }),
      /to_account: account ids are 1-64 lowercase letters/,
    ],
    [
      'an unexpected argument',
      step('g', [], { tool: 'grocery_plan', args: { days: 7, people: 1, budget: 100 } }),
      /^step "g" has invalid args for grocery_plan: args: /,
    ],
    [
      'too many gym sessions',
      step('g', [], {
        tool: 'calendar_create',
        args: { title: 'Gym', count: 8, week_start: '2025-11-17', duration_minutes: 60 },
      }),
      /^step "g" has invalid args for calendar_create: count: /,
    ],
    [
      'a week start that is not a date',
      step('g', [], {
        tool: 'calendar_create',
        args: { title: 'Gym', count: 3, week_start: 'monday', duration_minutes: 60 },
      }),
      /week_start: expected a date as YYYY-MM-DD/,
    ],
  ])('reports bad args: %s', (_name, bad, problem) => {
    const problems = validatePlan(plan(bad));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });
});

describe('findCycle', () => {
  it('finds none in a DAG, ignoring unknown dependencies', () => {
    expect(findCycle([step('a'), step('b', ['a', 'ghost']), step('c', ['a', 'b'])])).toBeUndefined();
  });

  it('returns a path that starts and ends at the same step', () => {
    const cycle = findCycle([step('a', ['c']), step('b', ['a']), step('c', ['b'])]);
    expect(cycle).toEqual(['a', 'b', 'c', 'a']);
  });
});

type States = Record<string, StepState>;
const readinessIn = (states: States, dependsOn: string[]) => readiness(dependsOn, (id) => states[id] ?? 'PENDING');

/** Moves every PENDING step whose dependencies are settled, as each step's coroutine in the workflow does. */
function settle(steps: PlanStep[], states: States): States {
  const current = { ...states };
  for (let changed = true; changed;) {
    changed = false;
    for (const s of steps) {
      if (current[s.id] !== 'PENDING') continue;
      const verdict = readinessIn(current, s.depends_on);
      if (verdict.kind === 'waiting') continue;
      current[s.id] = verdict.kind === 'ready' ? 'READY' : 'SKIPPED';
      changed = true;
    }
  }
  return current;
}

describe('readiness', () => {
  it.each<[string, string[], States, Readiness]>([
    ['a root step is ready at once', [], {}, { kind: 'ready' }],
    ['ready once its dependency succeeded', ['a'], { a: 'SUCCEEDED' }, { kind: 'ready' }],
    ['waits while a dependency is pending', ['a'], { a: 'PENDING' }, { kind: 'waiting' }],
    ['waits while a dependency runs', ['a'], { a: 'RUNNING' }, { kind: 'waiting' }],
    ['waits while a dependency waits for a person', ['a'], { a: 'BLOCKED' }, { kind: 'waiting' }],
    ['waits while a dependency is ready but not run', ['a'], { a: 'READY' }, { kind: 'waiting' }],
    ['blocked by FAILED', ['a'], { a: 'FAILED' }, { kind: 'blocked', blockers: ['a'] }],
    ['blocked by REJECTED', ['a'], { a: 'REJECTED' }, { kind: 'blocked', blockers: ['a'] }],
    ['blocked by SKIPPED', ['a'], { a: 'SKIPPED' }, { kind: 'blocked', blockers: ['a'] }],
    ['blocked by CANCELLED', ['a'], { a: 'CANCELLED' }, { kind: 'blocked', blockers: ['a'] }],
    [
      'a join waits for every branch, even after one failed',
      ['b', 'c'],
      { b: 'FAILED', c: 'RUNNING' },
      { kind: 'waiting' },
    ],
    [
      'a join names every branch that did not succeed',
      ['b', 'c', 'd'],
      { b: 'FAILED', c: 'SUCCEEDED', d: 'REJECTED' },
      { kind: 'blocked', blockers: ['b', 'd'] },
    ],
    ['a join is ready when all branches succeeded', ['b', 'c'], { b: 'SUCCEEDED', c: 'SUCCEEDED' }, { kind: 'ready' }],
  ])('%s', (_name, dependsOn, states, expected) => {
    expect(readinessIn(states, dependsOn)).toEqual(expected);
  });

  it('propagates a rejection down its branch while independent branches go on', () => {
    // The Life-OS example plan: the L3 submission is rejected; gym and groceries are unaffected.
    const steps = [
      step('search_jobs'),
      step('tailor_cv', ['search_jobs']),
      step('submit_application', ['tailor_cv']),
      step('notify', ['submit_application']),
      step('follow_up', ['notify']),
      step('schedule_gym'),
      step('plan_groceries'),
      step('summary', ['schedule_gym', 'plan_groceries']),
    ];
    const settled = settle(steps, {
      search_jobs: 'SUCCEEDED',
      tailor_cv: 'SUCCEEDED',
      submit_application: 'REJECTED',
      notify: 'PENDING',
      follow_up: 'PENDING',
      schedule_gym: 'SUCCEEDED',
      plan_groceries: 'RUNNING',
      summary: 'PENDING',
    });
    expect(settled).toMatchObject({ notify: 'SKIPPED', follow_up: 'SKIPPED', summary: 'PENDING' });
    expect(settle(steps, { ...settled, plan_groceries: 'SUCCEEDED' })).toMatchObject({ summary: 'READY' });
  });
});

describe('criticalPathLength', () => {
  const example = [
    step('search_jobs'),
    step('tailor_cv', ['search_jobs']),
    step('submit_application', ['tailor_cv']),
    step('schedule_gym'),
    step('plan_groceries'),
  ];

  it.each<[string, PlanStep[], Record<string, number>, number]>([
    ['an empty plan', [], {}, 0],
    ['one step', [step('a')], { a: 5 }, 5],
    ['the example plan with unit costs', example, {}, 3],
    ['a slow independent step', example, { schedule_gym: 10 }, 10],
    ['a weighted chain', example, { search_jobs: 2, tailor_cv: 3, submit_application: 4 }, 9],
    [
      'a diamond follows its longest branch',
      [step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])],
      { a: 1, b: 5, c: 2, d: 1 },
      7,
    ],
  ])('%s', (_name, steps, costs, expected) => {
    expect(criticalPathLength(steps, (id) => costs[id] ?? 1)).toBe(expected);
  });
});
