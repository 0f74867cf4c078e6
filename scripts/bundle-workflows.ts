/**
 * Bundles the workflow code once, ahead of the worker, so the worker process never loads webpack
 * (a few hundred MB of RSS it would otherwise keep). Usage: bundle-workflows.ts <output file>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const output = process.argv[2];
if (!output) {
  console.error('usage: bundle-workflows.ts <output file>');
  process.exit(2);
}
const { code } = await bundleWorkflowCode({ workflowsPath: path.resolve('workflows/index.ts'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error } });
mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
writeFileSync(output, code);
console.log(`workflow bundle written to ${output} (${Math.round(code.length / 1024)} KiB)`);
