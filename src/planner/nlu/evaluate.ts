/**
 * Scores the planner on corpus entries: the reading each plan gives, right or wrong against the
 * entry, the confusion pairs, grounding (every amount and recipient in a plan was written in the
 * message) and the planning time per message. Used by `npm run eval:planner` and the unit tests.
 */
import { performance } from 'node:perf_hooks';
import type { PlannerOutcome } from '../../shared/planner-contracts.js';
import { readAmount } from '../amount.js';
import { clarificationChoices } from '../clarify.js';
import type { PlannerContext } from '../clause.js';
import { planMessage } from '../planner.js';
import type { CorpusEntry } from './corpus.js';

export const EVAL_CONTEXT: PlannerContext = { user_id: 'default_user', today: '2025-11-19', from_account: '123' };

const TOOLS_OF: Record<string, string> = {
  bank_transfer: 'transfer',
  account_balance: 'balance',
  transfer_history: 'history',
  request_status: 'status',
  pending_approvals: 'pending',
  cancel_request: 'cancel',
  job_search: 'job_search',
  'job_search,cv_tailor,job_submit': 'job_apply',
  calendar_create: 'gym',
  grocery_plan: 'groceries',
};

/** What the planner made of a message: an intent, "combo", "none" (refused) or "clarify" (asked). */
export function readingOf(outcome: PlannerOutcome): string {
  if (outcome.kind === 'not_understood') return clarificationChoices(outcome.message).length > 0 ? 'clarify' : 'none';
  return TOOLS_OF[outcome.plan.steps.map((s) => s.tool).join(',')] ?? 'combo';
}

/** True when every transfer's recipient and amount are words of the message. */
export function grounded(message: string, outcome: PlannerOutcome): boolean {
  if (outcome.kind !== 'plan') return true;
  const tokens = message
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/^[("#@]+|[)",!?;:.]+$/g, ''));
  return outcome.plan.steps
    .filter((step) => step.tool === 'bank_transfer')
    .every((step) => {
      const to = String(step.args['to_account']);
      const cents = step.args['amount_cents'];
      const named = tokens.some((w) => w === to || w === `${to}'s`);
      let amountWritten = false;
      for (let start = 0; start < tokens.length && !amountWritten; start += 1) {
        for (let end = start + 1; end <= Math.min(tokens.length, start + 5) && !amountWritten; end += 1) {
          const reading = readAmount(tokens.slice(start, end).join(' '));
          amountWritten = reading.ok && reading.cents === cents;
        }
      }
      return named && amountWritten;
    });
}

function isRight(entry: CorpusEntry, outcome: PlannerOutcome, reading: string): boolean {
  if (entry.outcome === 'refuse') return outcome.kind === 'not_understood';
  if (outcome.kind !== 'plan') return false;
  if (entry.intent === 'combo') return outcome.plan.steps.map((s) => s.tool).join(',') === entry.tools?.join(',');
  if (reading !== entry.intent) return false;
  if (entry.transfer === undefined) return true;
  const args = outcome.plan.steps[0]?.args;
  return args?.['to_account'] === entry.transfer.to && args['amount_cents'] === entry.transfer.amount_cents;
}

export interface Scored {
  entry: CorpusEntry;
  outcome: PlannerOutcome;
  reading: string;
  right: boolean;
  grounded: boolean;
  ms: number;
}

export interface Evaluation {
  scored: Scored[];
  accuracy: number;
  perIntent: { intent: string; right: number; total: number; accuracy: number }[];
  confusions: { expected: string; got: string; count: number }[];
  ungrounded: number;
  p50Ms: number;
  p95Ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function evaluate(entries: readonly CorpusEntry[], ctx: PlannerContext = EVAL_CONTEXT): Evaluation {
  // One pass first, so the times below are of the planner and not of the JIT compiling it.
  for (const entry of entries) planMessage(entry.text, ctx);
  const scored = entries.map((entry): Scored => {
    const start = performance.now();
    const outcome = planMessage(entry.text, ctx);
    const ms = performance.now() - start;
    const reading = readingOf(outcome);
    return {
      entry,
      outcome,
      reading,
      right: isRight(entry, outcome, reading),
      grounded: grounded(entry.text, outcome),
      ms,
    };
  });
  const label = (s: Scored) =>
    s.entry.outcome === 'refuse' && s.entry.intent !== 'none' ? `${s.entry.intent} (refused)` : s.entry.intent;
  const groups = new Map<string, Scored[]>();
  for (const s of scored) groups.set(label(s), [...(groups.get(label(s)) ?? []), s]);
  const perIntent = [...groups.entries()]
    .map(([intent, items]) => {
      const right = items.filter((s) => s.right).length;
      return { intent, right, total: items.length, accuracy: right / items.length };
    })
    .sort((a, b) => a.intent.localeCompare(b.intent));
  const pairs = new Map<string, number>();
  for (const s of scored.filter((x) => !x.right)) {
    const key = `${label(s)} -> ${s.reading}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
  }
  const confusions = [...pairs.entries()]
    .map(([key, count]) => {
      const [expected, got] = key.split(' -> ') as [string, string];
      return { expected, got, count };
    })
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected));
  const times = scored.map((s) => s.ms).sort((a, b) => a - b);
  return {
    scored,
    accuracy: scored.filter((s) => s.right).length / Math.max(1, scored.length),
    perIntent,
    confusions,
    ungrounded: scored.filter((s) => !s.grounded).length,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
  };
}
