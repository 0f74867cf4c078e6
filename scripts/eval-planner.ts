/**
 * `npm run eval:planner`: the planner's accuracy per intent and overall on the corpus's test split,
 * the confusion pairs, plans not grounded in their message, and the planning time per message.
 *
 *   npm run eval:planner                 # the test split
 *   npm run eval:planner -- --split train
 *   npm run eval:planner -- --json       # one JSON line, for the bench report
 *   npm run eval:planner -- --misses     # also each message it got wrong
 */
import { readFileSync } from 'node:fs';
import type { CorpusEntry } from '../src/planner/nlu/corpus.js';
import { evaluate } from '../src/planner/nlu/evaluate.js';

const args = process.argv.slice(2);
const split = args.includes('--split') ? args[args.indexOf('--split') + 1] : 'test';
if (split !== 'test' && split !== 'train') throw new Error(`--split must be "test" or "train", not "${split}"`);
const file = new URL(`../src/planner/nlu/corpus-${split}.json`, import.meta.url);
const entries = JSON.parse(readFileSync(file, 'utf8')) as CorpusEntry[];
const result = evaluate(entries);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

if (args.includes('--json')) {
  const { scored: _scored, ...summary } = result;
  console.log(JSON.stringify({ split, messages: entries.length, ...summary }));
} else {
  console.log(`planner on the ${split} split: ${entries.length} messages`);
  console.log(`overall accuracy ${pct(result.accuracy)}`);
  for (const row of result.perIntent) {
    console.log(`  ${row.intent.padEnd(22)} ${pct(row.accuracy).padStart(8)}  (${row.right}/${row.total})`);
  }
  console.log('confusion pairs (expected -> planner read it as):');
  if (result.confusions.length === 0) console.log('  none');
  for (const c of result.confusions) console.log(`  ${c.expected} -> ${c.got}: ${c.count}`);
  console.log(`plans with an amount or recipient not in the message: ${result.ungrounded}`);
  console.log(`planning time per message: p50 ${result.p50Ms.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms`);
  if (args.includes('--misses')) {
    for (const s of result.scored.filter((x) => !x.right)) {
      const said =
        s.outcome.kind === 'plan' ? JSON.stringify(s.outcome.plan.steps.map((x) => x.args)) : s.outcome.message;
      console.log(`MISS [${s.entry.intent}] ${s.entry.text}\n     -> ${s.reading}: ${said.slice(0, 160)}`);
    }
  }
}
