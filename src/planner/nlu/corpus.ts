/** The planner's corpus: what people write, the intent each clause means, and what a right answer is. */
import trainJson from './corpus-train.json' with { type: 'json' };

export const INTENTS = [
  'transfer',
  'balance',
  'history',
  'status',
  'pending',
  'cancel',
  'job_search',
  'job_apply',
  'gym',
  'groceries',
  'none',
] as const;
export type Intent = (typeof INTENTS)[number];
/** "combo" messages ask for several things; they are evaluated by their tools, not used to train. */
export type CorpusIntent = Intent | 'combo';

export interface CorpusEntry {
  text: string;
  intent: CorpusIntent;
  /** "refuse": the planner must say no or ask (another currency, an ambiguous amount, nonsense). */
  outcome: 'plan' | 'refuse';
  /** For combos: the plan's tools in order. */
  tools?: string[];
  /** For transfers: who gets how much; the plan must say exactly this. */
  transfer?: { to: string; amount_cents: number };
}

/**
 * How people write an entry, before scripts/planner-corpus.ts fills in its {name}, {amt}, {n},
 * {kind} and {id} (the templates are in scripts/planner-templates*.ts).
 */
export interface CorpusTemplate {
  text: string;
  intent: CorpusIntent;
  outcome?: 'plan' | 'refuse';
  tools?: string[];
}

export const TRAIN: readonly CorpusEntry[] = trainJson as CorpusEntry[];
