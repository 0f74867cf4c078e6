/**
 * `npm run bench:report -- <results.json>`: draws the charts of a bench run again from its samples,
 * as `<results>.html` beside the JSON. Only the JSON is committed; the page is generated from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderReport } from './report.js';
import type { BenchResults } from './results.js';

async function main(): Promise<number> {
  const input = process.argv[2];
  if (input === undefined || !input.endsWith('.json')) {
    console.error('usage: npm run bench:report -- bench/results/<date>.json');
    return 2;
  }
  const results = JSON.parse(readFileSync(input, 'utf8')) as Partial<BenchResults>;
  if (
    typeof results.meta?.date !== 'string' ||
    !Array.isArray(results.chat?.ours) ||
    !Array.isArray(results.dag) ||
    results.load === undefined
  ) {
    console.error(
      `bench:report: ${input} is not the results of a bench run (meta.date, chat, dag and load are required)`,
    );
    return 2;
  }
  const page = input.replace(/\.json$/, '.html');
  writeFileSync(page, await renderReport(results as BenchResults));
  console.log(`charts: ${page}`);
  return 0;
}

process.exit(await main());
