/** The Life-OS clauses: applying to and searching for jobs, gym sessions, grocery plans. */
import type { PlanStep } from '../shared/contracts.js';
import type { ClauseResult, PlannerContext } from './clause.js';
import { COUNT, countProblem, mondayOf, readCount } from './text.js';

const JOB_NOUN = '(?:jobs?|positions?|roles?|openings?|vacancies)';
// Up to three words of job kind ("backend", "senior data"), matched lazily so "engineer" stays out of it.
const JOB_KIND = '([a-z][a-z0-9+#.-]*(?:\\s+[a-z][a-z0-9+#.-]*){0,2}?)';
const ENGINEER = '(?:engineer(?:ing)?|developer|dev)';
const JOB_TAIL = `(?:(?:the\\s+)?${COUNT}\\s+)?(?:${JOB_KIND}\\s+)?(?:${ENGINEER}\\s+)?${JOB_NOUN}`;
const APPLY = new RegExp(`^apply\\s+(?:to|for)\\s+${JOB_TAIL}$`);
const SEARCH = new RegExp(`^(?:search\\s+for|search|look\\s+for|find|hunt\\s+for|get)(?:\\s+me)?\\s+${JOB_TAIL}$`);
const MAX_JOBS = 20;

const GYM = new RegExp(
  '^(?:(?:schedule|book|plan|add|create|set\\s+up|go\\s+to|hit|do)\\s+)?' +
    `(?:${COUNT}\\s*x?\\s+)?(?:(?:the|a)\\s+)?(?:gym|workouts?)` +
    '(?:\\s+(?:sessions?|workouts?|visits?|events?|classes?))?' +
    `(?:\\s+(?:${COUNT}\\s*(?:x|times?)|(once|twice|thrice)))?` +
    '(?:\\s+(?:for\\s+)?(this|next)\\s+week)?$',
);
const MAX_GYM_PER_WEEK = 7;

const GROCERY_HEAD = new RegExp(
  '^(?:(?:plan|make|create|generate|prepare|write|build|do|get|buy)\\s+)?(?:(?:a|the|my|some|our)\\s+)?' +
    '(?:weekly\\s+)?(?:groceries|grocery(?:\\s+(?:list|plan|shopping|run))?|shopping\\s+list|meal\\s+plan)',
);
type GroceryArgs = { days: number; people: number };
const GROCERY_MODIFIERS: [RegExp, (n: number) => Partial<GroceryArgs>][] = [
  [/^\s+(?:for|over)\s+(?:a|the|this|next)\s+week/, () => ({ days: 7 })],
  [new RegExp(`^\\s+for\\s+a\\s+family\\s+of\\s+${COUNT}`), (n) => ({ people: n })],
  [new RegExp(`^\\s+for\\s+${COUNT}\\s+(?:people|persons|adults|of\\s+us)`), (n) => ({ people: n })],
  [new RegExp(`^\\s+(?:for|over)\\s+${COUNT}\\s+days?`), (n) => ({ days: n })],
  [new RegExp(`^\\s+(?:for|over)\\s+${COUNT}\\s+weeks?`), (n) => ({ days: 7 * n })],
];

export function parseJobs(clause: string): ClauseResult | undefined {
  const apply = APPLY.exec(clause);
  const match = apply ?? SEARCH.exec(clause);
  if (!match) return undefined;
  const count = readCount(match[1], 1);
  const problem = countProblem(count, 1, MAX_JOBS, 'jobs');
  if (problem) return { kind: 'error', message: problem };
  // "apply to 2 engineering jobs" names no kind; the lazy kind group would otherwise keep "engineering".
  const kind = (match[2] ?? '').replace(new RegExp(`(?:^|\\s+)${ENGINEER}$`), '') || 'software';
  const search: PlanStep = {
    id: 'search_jobs',
    name: `Search for ${kind} jobs`,
    tool: 'job_search',
    args: { query: `${kind} engineer`, count },
    risk_level: 'L0',
    depends_on: [],
  };
  if (!apply) return { kind: 'steps', steps: [search] };
  return { kind: 'steps', steps: [search, ...applySteps(search.id, count)] };
}

/** "... and apply" after a search: apply to what that search finds. */
const FOUND_JOBS =
  'them|those|these|it|both|all|all of them|each|each of them|them all|those jobs|the jobs|those roles|the roles';
export const APPLY_TO_FOUND = new RegExp(`^apply(?:\\s+(?:to|for)\\s+(?:${FOUND_JOBS}))?$`);

/** Tailor a CV for, then apply to, the first `count` jobs the `searchId` step finds. */
export function applySteps(searchId: string, count: number): PlanStep[] {
  return [
    {
      id: 'tailor_cv',
      name: 'Tailor CV to job',
      tool: 'cv_tailor',
      args: { count },
      risk_level: 'L1',
      depends_on: [searchId],
    },
    {
      id: 'submit_application',
      name: 'Submit job application',
      tool: 'job_submit',
      args: { count },
      risk_level: 'L3',
      depends_on: ['tailor_cv'],
    },
  ];
}

export function parseGym(clause: string, ctx: PlannerContext): ClauseResult | undefined {
  const match = GYM.exec(clause);
  if (!match) return undefined;
  const [, before, times, timesWord, week] = match;
  const count = readCount(times ?? timesWord ?? before, 1);
  const problem = countProblem(count, 1, MAX_GYM_PER_WEEK, 'gym sessions per week');
  if (problem) return { kind: 'error', message: problem };
  const weekStart = mondayOf(ctx.today, week === 'next' ? 1 : 0);
  if (weekStart === undefined) {
    return {
      kind: 'error',
      message: `Cannot schedule gym sessions: today's date "${ctx.today}" is not a valid YYYY-MM-DD date.`,
    };
  }
  return {
    kind: 'steps',
    steps: [
      {
        id: 'schedule_gym',
        name: 'Create gym events',
        tool: 'calendar_create',
        args: { title: 'Gym', count, week_start: weekStart, duration_minutes: 60 },
        risk_level: 'L0',
        depends_on: [],
      },
    ],
  };
}

export function parseGroceries(clause: string): ClauseResult | undefined {
  const head = GROCERY_HEAD.exec(clause);
  if (!head) return undefined;
  const args: GroceryArgs = { days: 7, people: 1 };
  let rest = clause.slice(head[0].length);
  while (rest !== '') {
    const found = GROCERY_MODIFIERS.map(([re, apply]) => ({ m: re.exec(rest), apply })).find((f) => f.m);
    if (!found?.m) return undefined;
    Object.assign(args, found.apply(readCount(found.m[1], 1)));
    rest = rest.slice(found.m[0].length);
  }
  const problem = countProblem(args.days, 1, 14, 'days') ?? countProblem(args.people, 1, 12, 'people');
  if (problem) return { kind: 'error', message: problem };
  return {
    kind: 'steps',
    steps: [
      {
        id: 'plan_groceries',
        name: 'Generate grocery list',
        tool: 'grocery_plan',
        args,
        risk_level: 'L0',
        depends_on: [],
      },
    ],
  };
}
