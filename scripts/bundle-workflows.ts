/**
 * Bundles the workflow code once, ahead of the worker, so the worker process never loads webpack
 * (a few hundred MB of RSS it would otherwise keep). Usage: bundle-workflows.ts <output file>
 * [--inline-source-map]; without the flag the source map goes to <output file>.map (see
 * bundleWorkflows for why).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../worker/workflow-bundle.js';

const output = process.argv[2];
if (!output) {
  console.error('usage: bundle-workflows.ts <output file>');
  process.exit(2);
}
const inline = process.argv.includes('--inline-source-map');
const {
  bundle: { code },
  detachedSourceMap: sourceMap,
} = await bundleWorkflows(inline ? 'inline' : 'detached');
mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
writeFileSync(output, code);
if (sourceMap) writeFileSync(`${output}.map`, sourceMap);
console.log(`workflow bundle written to ${output} (${Math.round(code.length / 1024)} KiB)`);
