/**
 * The default planner: a trained intent classifier and slot filling (nlu/) in front of strict rules
 * that build and guard each step. Deterministic, so the same message and context always give the
 * same plan. Pure (no I/O, clock or randomness); only the planning activity calls it, so the
 * workflow bundle never carries it.
 */
import { PlanSchema, type PlanStep } from '../shared/contracts.js';
import { ASSISTANT_TOOL_INTENTS, isAssistantTool, type PlannerOutcome } from '../shared/planner-contracts.js';
import { validatePlan } from '../shared/dag.js';
import type { ClauseParser, ClauseResult, PlannerContext } from './clause.js';
import { parseAssistant } from './assistant.js';
import { APPLY_TO_FOUND, applySteps, parseGroceries, parseGym, parseJobs } from './life.js';
import { normaliseMessage, quote, splitClauses, type Clause } from './text.js';
import { parseTransfer } from './transfer.js';
import { issueLines } from '../shared/zod-issues.js';
import { clarifyingQuestion } from './clarify.js';
import { intentClassifier } from './nlu/classifier.js';
import { canonicalClause } from './nlu/frames.js';

export type { PlannerContext } from './clause.js';

export const PLANNER_CAPABILITIES =
  'I can transfer money, apply to jobs, schedule gym sessions and plan groceries; ' +
  'ask me your balance, your recent transfers, ' +
  'the status of a request or what you are waiting for, or to cancel a request.';

const MAX_STEPS = 100;
/** Below this share of the classifier's score, or this much evidence, the planner asks instead of guessing. */
export const CONFIDENT = 0.6;
const ENOUGH_EVIDENCE = 0.5;
/** A reading this unlikely, or with this little evidence, is not offered as a choice. */
const OFFERED = 0.15;
const OFFERED_EVIDENCE = 0.3;

const CLAUSE_PARSERS: readonly ClauseParser[] = [parseAssistant, parseTransfer, parseJobs, parseGym, parseGroceries];

/**
 * Turns a chat message into a plan, or says plainly why it cannot.
 *
 * A message is one or more clauses joined by commas, ";", "and" or "then". Transfers alone
 * ("Transfer 6000 to Kiran", "send $1,250.50 to bob") give a `money_transfer` plan; anything else
 * understood gives a `life_os` plan with the clauses' steps in the order written. If any clause is
 * not understood, or is understood but unusable (a bad amount, a transfer to oneself), the whole
 * message is `not_understood`: running part of what someone asked for would surprise them.
 * Every plan returned passes `PlanSchema` and `validatePlan`.
 */
export function planMessage(message: string, ctx: PlannerContext): PlannerOutcome {
  const clauses = splitClauses(message);
  if (clauses.length === 0) return notUnderstood(`Please tell me what to do. ${PLANNER_CAPABILITIES}`);

  const steps: PlanStep[] = [];
  const uses = new Map<string, number>();
  let previous: readonly PlanStep[] = [];
  for (const clause of clauses) {
    const result = APPLY_TO_FOUND.test(clause.text)
      ? applyToFound(previous)
      : (understandClause(clause, ctx) ?? continuedTransfer(clause, previous, ctx));
    if (result?.kind === 'clarify') {
      const written = normaliseMessage(message)
        .trim()
        .replace(/[\s.!?]+$/, '');
      const choices = result.choices.map((choice) => written.replace(clause.original, choice));
      return notUnderstood(clarifyingQuestion(clause.original, choices));
    }
    if (result === undefined)
      return notUnderstood(`I did not understand: ${quote(clause.original)}. ${PLANNER_CAPABILITIES}`);
    if (result.kind === 'error') return notUnderstood(result.message);
    previous = withUniqueIds(result.steps, uses);
    steps.push(...previous);
    if (steps.length > MAX_STEPS) {
      return notUnderstood(
        `That is more than ${MAX_STEPS} steps for one request; please split it into smaller requests.`,
      );
    }
  }

  const plan = { intent: intentOf(steps), steps };
  // The rules above should only build valid plans; this keeps a mistake in them from reaching a run.
  const parsed = PlanSchema.safeParse(plan);
  const problems = parsed.success ? validatePlan(parsed.data) : issueLines(parsed.error.issues, 'plan');
  if (problems.length > 0) return notUnderstood(`I could not build a valid plan for that: ${problems.join('; ')}.`);
  return { kind: 'plan', plan };
}

/** "send bob 40 and alice 20": a clause of just a name and an amount goes on with the transfer before it. */
function continuedTransfer(clause: Clause, previous: readonly PlanStep[], ctx: PlannerContext): Understood | undefined {
  if (previous.length !== 1 || previous[0]?.tool !== 'bank_transfer') return undefined;
  const result = parseTransfer(`send ${clause.text}`, ctx);
  return result?.kind === 'steps' ? result : undefined;
}

/** Transfers alone are a money transfer; one question or cancel is its own intent; anything else is Life-OS. */
function intentOf(steps: readonly PlanStep[]): string {
  if (steps.every((s) => s.tool === 'bank_transfer')) return 'money_transfer';
  const [only] = steps;
  if (steps.length === 1 && only && isAssistantTool(only.tool)) return ASSISTANT_TOOL_INTENTS[only.tool];
  return 'life_os';
}

/** "Find me two data engineering roles and apply": the apply clause applies to what the search before it finds. */
function applyToFound(previous: readonly PlanStep[]): ClauseResult {
  const [search] = previous;
  const count = search?.args['count'];
  if (previous.length !== 1 || search?.tool !== 'job_search' || typeof count !== 'number') {
    return {
      kind: 'error',
      message:
        'Apply to which jobs? Say which ones, like "apply to 2 backend jobs", ' +
        'or search first: "find two data engineering roles and apply".',
    };
  }
  return { kind: 'steps', steps: applySteps(search.id, count) };
}

type Understood = ClauseResult | { kind: 'clarify'; choices: string[] };

/**
 * The rules read the phrasings they were written for exactly; anything else goes to the classifier,
 * whose intent picks the slots to fill into a canonical clause for the same rules. When the
 * classifier is unsure, the likeliest readings that make a valid step become a question.
 */
function understandClause(clause: Clause, ctx: PlannerContext): Understood | undefined {
  const ruled = parseClause(clause, ctx);
  if (ruled?.kind === 'steps') return ruled;
  const ranked = intentClassifier().classify(clause.text);
  const [top] = ranked;
  if (top === undefined || top.intent === 'none') return ruled;
  const reading = (intent: (typeof ranked)[number]['intent']) => {
    const canonical = canonicalClause(intent, clause.text, clause.original);
    if (canonical === undefined) return undefined;
    return { canonical, result: parseClause({ text: canonical.toLowerCase(), original: canonical }, ctx) };
  };
  if (top.score >= CONFIDENT && top.evidence >= ENOUGH_EVIDENCE) {
    const best = reading(top.intent);
    return best?.result?.kind === 'steps' ? best.result : (ruled ?? best?.result);
  }
  // When the rules recognised the request and found it unusable ("send 10 to my account"), that answer
  // stands, unless the likeliest reading makes a valid step ("send nina 35 bucks for the pizza").
  const choices = ranked
    .slice(0, ruled === undefined ? 2 : 1)
    .filter((c) => c.intent !== 'none' && c.score >= OFFERED && c.evidence >= OFFERED_EVIDENCE)
    .map((candidate) => reading(candidate.intent))
    .filter((candidate) => candidate?.result?.kind === 'steps')
    .map((candidate) => candidate!.canonical);
  return choices.length > 0 ? { kind: 'clarify', choices } : ruled;
}

function parseClause(clause: Clause, ctx: PlannerContext): ClauseResult | undefined {
  for (const parse of CLAUSE_PARSERS) {
    const result = parse(clause.text, ctx, clause.original);
    if (result !== undefined) return result;
  }
  return undefined;
}

/** The second "apply to ..." clause gets search_jobs_2 etc., with its dependencies renamed to match. */
function withUniqueIds(steps: readonly PlanStep[], uses: Map<string, number>): PlanStep[] {
  const renamed = new Map<string, string>();
  for (const step of steps) {
    const n = (uses.get(step.id) ?? 0) + 1;
    uses.set(step.id, n);
    renamed.set(step.id, n === 1 ? step.id : `${step.id}_${n}`);
  }
  return steps.map((step) => ({
    ...step,
    id: renamed.get(step.id) ?? step.id,
    depends_on: step.depends_on.map((d) => renamed.get(d) ?? d),
  }));
}

/** Trains the intent classifier now (about 0.1 s), so that no request waits for it. */
export function warmUpPlanner(): void {
  intentClassifier();
}

function notUnderstood(message: string): PlannerOutcome {
  return { kind: 'not_understood', message };
}
