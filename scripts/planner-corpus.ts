/**
 * Writes the planner's corpus once: templates of how people write each request, filled with names,
 * amounts and counts by a seeded generator, then split 80/20 into train and test by a hash of the text.
 * Re-running writes the same files (same templates, same seed). The test split is never used to tune.
 *
 *   npx tsx scripts/planner-corpus.ts
 */
import { writeFileSync } from 'node:fs';
import { format } from 'prettier';
import type { CorpusEntry, CorpusIntent } from '../src/planner/nlu/corpus.js';
import { TEMPLATES } from './planner-templates.js';

const NAMES = ['bob', 'alice', 'kiran', 'sam', 'maria', 'jordan', 'priya', 'dave', 'nina', 'omar', 'zoe', 'lee'];
const AMOUNTS: [string, number][] = [
  ['$40', 4000],
  ['40', 4000],
  ['40 dollars', 4000],
  ['$12.50', 1250],
  ['15 bucks', 1500],
  ['1.5k', 150_000],
  ['twenty dollars', 2000],
  ['$1,250', 125_000],
  ['300', 30_000],
  ['5 grand', 500_000],
  ['usd 75', 7500],
  ['$7', 700],
  ['60 usd', 6000],
  ['a hundred bucks', 10_000],
  ['$25', 2500],
  ['2000', 200_000],
  ['$8.75', 875],
  ['fifty bucks', 5000],
];
const COUNTS = ['2', '3', 'two', 'three', '4', 'five', '1'];
const KINDS = ['backend', 'frontend', 'data', 'devops', 'rust', 'python', 'mobile', 'ml'];
const IDS = ['req-42', 'req-abc123', 'req-7f3a9c', 'run-1029', 'req-0d3'];
const VARIANTS = 5;

/** mulberry32: a tiny seeded generator, so the corpus is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(32);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** People write in lower case without punctuation, or capitalised with a question mark, or politely. */
function styled(text: string): string {
  const roll = random();
  if (roll < 0.35) return text.toLowerCase().replace(/[?.!]+$/, '');
  if (roll < 0.6) return text.charAt(0).toUpperCase() + text.slice(1);
  if (roll < 0.67) return `${text} thanks`;
  if (roll < 0.74) return `pls ${text}`;
  if (roll < 0.8) return `hey ${text}`;
  if (roll < 0.85) return `${text} please`;
  if (roll < 0.9) return `ok ${text}`;
  return text;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

const entries = new Map<string, CorpusEntry>();
for (const template of TEMPLATES) {
  const variants = /\{/.test(template.text) ? VARIANTS : 4;
  for (let i = 0; i < variants; i += 1) {
    const name = pick(NAMES);
    const [amountText, cents] = pick(AMOUNTS);
    const count = pick(COUNTS);
    const kind = pick(KINDS);
    const id = pick(IDS);
    const raw = template.text
      .replaceAll('{name}', name)
      .replaceAll('{amt}', amountText)
      .replaceAll('{n}', count)
      .replaceAll('{kind}', kind)
      .replaceAll('{id}', id);
    const text = styled(raw);
    const intent: CorpusIntent = template.intent;
    const entry: CorpusEntry = { text, intent, outcome: template.outcome ?? 'plan' };
    if (template.tools) entry.tools = template.tools;
    if (intent === 'transfer' && entry.outcome === 'plan') entry.transfer = { to: name, amount_cents: cents };
    if (!entries.has(text.toLowerCase())) entries.set(text.toLowerCase(), entry);
  }
}

const all = [...entries.values()];
const test = all.filter((e) => fnv1a(e.text.toLowerCase()) % 5 === 0);
const train = all.filter((e) => fnv1a(e.text.toLowerCase()) % 5 !== 0);
const dir = new URL('../src/planner/nlu/', import.meta.url);
// Written as Prettier writes it, so `npm run lint` accepts the files as generated.
const written = (entries: CorpusEntry[]) => format(JSON.stringify(entries), { parser: 'json', printWidth: 120 });
writeFileSync(new URL('corpus-train.json', dir), await written(train));
writeFileSync(new URL('corpus-test.json', dir), await written(test));
console.log(`corpus: ${all.length} utterances, ${train.length} train, ${test.length} test`);
