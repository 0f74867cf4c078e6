/**
 * What a step will do, in one plain sentence for the person deciding it: "Send $6,000.00 from
 * account 123 to kiran (first payment to kiran)", "Submit 2 applications: Backend Engineer at Acme
 * (CV tailored 09:19 UTC), Platform Engineer at Globex". Built from the step's arguments, the results
 * of the steps it depends on (and its own result once it has one), and what the run's policy gate
 * already learnt from the ledger. Pure and free of schemas: the workflow bundle, the gateway and the
 * unit tests call it alike; results are read defensively, so an unexpected shape only shortens the sentence.
 */
import { formatUsd } from './money.js';
import type { ToolName } from './workflow-contracts.js';

/** The step being described; `result` once it has succeeded. */
export interface EffectStep {
  tool: ToolName;
  args: Readonly<Record<string, unknown>>;
  result?: unknown;
}

/** A step the described step depends on: its result (once it succeeded) and when it finished. */
export interface EffectDependency {
  tool: ToolName;
  result?: unknown;
  finished_at?: string | undefined;
}

/** What the run knows about a transfer besides its arguments; each fact is left out when unknown. */
export interface TransferFacts {
  /** From the ledger, when the policy asked: whether the debited account never paid this recipient. */
  recipientNeverPaid?: boolean | undefined;
  /** From the ledger, with a rolling window: cents this user's other runs moved without approval in it. */
  movedInWindowCents?: number | undefined;
  /** The rolling window's duration as the policy spells it, e.g. "24h". */
  window?: string | undefined;
  /** The sum of every transfer in this request, in cents. */
  requestTransferSumCents?: number | undefined;
}

type Row = Record<string, unknown>;

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects in `result[key]` when it is an array of them; else none. */
function rowsOf(result: unknown, key: string): Row[] {
  const rows = isRow(result) ? result[key] : undefined;
  return Array.isArray(rows) ? rows.filter(isRow) : [];
}

function text(row: Row, key: string): string | undefined {
  const value = row[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function count(args: Readonly<Row>, key = 'count'): number | undefined {
  const value = args[key];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** "1 application", "2 applications"; irregular plurals are given. */
function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** "09:19" of an ISO instant, in UTC (the sandbox's calendar and the run's clock are UTC). */
function clock(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().slice(11, 16);
}

/** "Mon 18:00" of an ISO instant, in UTC. */
function dayAndClock(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return `${WEEKDAYS[new Date(ms).getUTCDay()]} ${clock(iso)}`;
}

function jobLabel(row: Row): string | undefined {
  const title = text(row, 'title');
  const company = text(row, 'company');
  if (title && company) return `${title} at ${company}`;
  return title ?? company;
}

/** Jobs as the dependencies found or tailored them, by job id, first seen first. */
function jobsOf(dependencies: readonly EffectDependency[]): Map<string, { label: string; tailoredAt?: string }> {
  const jobs = new Map<string, { label: string; tailoredAt?: string }>();
  for (const dep of dependencies) {
    const rows = dep.tool === 'job_search' ? rowsOf(dep.result, 'jobs') : rowsOf(dep.result, 'cvs');
    for (const row of rows) {
      const id = text(row, dep.tool === 'job_search' ? 'id' : 'job_id');
      const label = jobLabel(row);
      if (!id || !label) continue;
      const known = jobs.get(id) ?? { label };
      const tailored = dep.tool === 'cv_tailor' && dep.finished_at ? clock(dep.finished_at) : undefined;
      jobs.set(id, tailored ? { ...known, tailoredAt: tailored } : known);
    }
  }
  return jobs;
}

/** ": a, b, c" for a non-empty list, with at most `max` named and the rest counted. */
function listed(items: readonly string[], max = 5): string {
  if (items.length === 0) return '';
  const named = items.slice(0, max);
  const rest = items.length - named.length;
  return `: ${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

function transferEffect(args: Readonly<Row>, facts: TransferFacts): string {
  const amount = args['amount_cents'];
  const to = String(args['to_account']);
  const money = typeof amount === 'number' && Number.isInteger(amount) ? formatUsd(amount) : 'money';
  const notes: string[] = [];
  if (facts.recipientNeverPaid === true) notes.push(`first payment to ${to}`);
  if (facts.recipientNeverPaid === false) notes.push(`${to} was paid before`);
  const sum = facts.requestTransferSumCents;
  if (sum !== undefined && typeof amount === 'number' && sum > amount)
    notes.push(`${formatUsd(sum)} in all in this request`);
  if (facts.movedInWindowCents !== undefined && facts.movedInWindowCents > 0) {
    const window = facts.window ? ` in the last ${facts.window}` : '';
    notes.push(`${formatUsd(facts.movedInWindowCents)} already sent without approval${window}`);
  }
  const sentence = `Send ${money} from account ${String(args['from_account'])} to ${to}`;
  return notes.length > 0 ? `${sentence} (${notes.join('; ')})` : sentence;
}

function jobSubmitEffect(step: EffectStep, dependencies: readonly EffectDependency[]): string {
  const jobs = jobsOf(dependencies);
  const submitted = rowsOf(step.result, 'applications').flatMap((a) => text(a, 'job_id') ?? []);
  const wanted = count(step.args) ?? jobs.size;
  const cvJobs = dependencies
    .filter((d) => d.tool === 'cv_tailor')
    .flatMap((d) => rowsOf(d.result, 'cvs').flatMap((cv) => text(cv, 'job_id') ?? []));
  // Before it runs, the tool applies to the first `count` jobs with a tailored CV.
  const ids = submitted.length > 0 ? submitted : [...new Set(cvJobs)].slice(0, wanted);
  const labels = ids.flatMap((id) => {
    const job = jobs.get(id);
    if (!job) return [];
    return [job.tailoredAt ? `${job.label} (CV tailored ${job.tailoredAt} UTC)` : job.label];
  });
  const n = ids.length > 0 ? ids.length : wanted;
  return `Submit ${plural(n, 'application')}${listed(labels)}`;
}

function cvTailorEffect(args: Readonly<Row>, dependencies: readonly EffectDependency[]): string {
  const jobs = [...jobsOf(dependencies.filter((d) => d.tool === 'job_search')).values()];
  const n = count(args) ?? jobs.length;
  return `Tailor ${plural(Math.min(n, jobs.length || n), 'CV')}${listed(jobs.slice(0, n).map((j) => j.label))}`;
}

function calendarEffect(step: EffectStep): string {
  const title = typeof step.args['title'] === 'string' ? step.args['title'] : 'calendar';
  const events = rowsOf(step.result, 'events').flatMap((e) => {
    const start = text(e, 'start');
    return start ? (dayAndClock(start) ?? []) : [];
  });
  const n = events.length > 0 ? events.length : (count(step.args) ?? 1);
  const what = `Create ${plural(n, `${title} session`)}`;
  if (events.length > 0) return `${what}${listed(events, 7)}`;
  const minutes = count(step.args, 'duration_minutes');
  const week = typeof step.args['week_start'] === 'string' ? ` in the week of ${step.args['week_start']}` : '';
  return `${what}${minutes ? ` of ${minutes} min` : ''}${week}`;
}

function groceryEffect(step: EffectStep): string {
  const days = count(step.args, 'days');
  const people = count(step.args, 'people');
  const items = rowsOf(step.result, 'items').length;
  const forWhom = people ? ` for ${plural(people, 'person', 'people')}` : '';
  const over = days ? ` over ${plural(days, 'day')}` : '';
  return `Plan groceries${forWhom}${over}${items > 0 ? ` (${plural(items, 'item')})` : ''}`;
}

function requestEffect(verb: string, args: Readonly<Row>): string {
  const id = args['workflow_id'];
  return typeof id === 'string' ? `${verb} request ${id}` : `${verb} your latest other request`;
}

/** The sentence that says what `step` does, as far as the run knows it now. */
export function stepEffect(
  step: EffectStep,
  dependencies: readonly EffectDependency[] = [],
  facts: TransferFacts = {},
): string {
  const args = step.args;
  switch (step.tool) {
    case 'bank_transfer':
      return transferEffect(args, facts);
    case 'job_search': {
      const n = count(args);
      const query = typeof args['query'] === 'string' ? args['query'] : 'jobs';
      return `Search for ${n ? `${n} ` : ''}jobs matching “${query}” (read only)`;
    }
    case 'cv_tailor':
      return cvTailorEffect(args, dependencies);
    case 'job_submit':
      return jobSubmitEffect(step, dependencies);
    case 'calendar_create':
      return calendarEffect(step);
    case 'grocery_plan':
      return groceryEffect(step);
    case 'account_balance':
      return `Read the balance of account ${String(args['account_id'])} (read only)`;
    case 'transfer_history': {
      const since = typeof args['since'] === 'string' ? ` since ${args['since']}` : '';
      const account = String(args['account_id']);
      return `Read the last ${String(args['limit'])} transfers of account ${account}${since} (read only)`;
    }
    case 'request_status':
      return `${requestEffect('Read the status of', args)} (read only)`;
    case 'pending_approvals':
      return 'List your pending approvals (read only)';
    case 'cancel_request':
      return requestEffect('Cancel', args);
  }
}
