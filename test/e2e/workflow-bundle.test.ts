/**
 * The workflow bundle evaluates its modules once per workflow, so what it imports is paid for in
 * every run's first task and in the memory of every cached run.
 */
import { readFileSync } from 'node:fs';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it, inject } from 'vitest';
import { bundleWorkflows } from '../../worker/workflow-bundle.js';

describe('the workflow bundle', () => {
  const code = readFileSync(inject('workflowBundlePath'), 'utf8');

  it('builds the schemas the workflow checks, not the views', () => {
    expect(code).toContain('"./src/shared/workflow-contracts.ts"');
    expect(code).not.toContain('"./src/shared/contracts.ts"');
    // The policy arrives parsed with the run's settings: the workflow never builds its schemas.
    expect(code).toContain('"./src/shared/policy/evaluate.ts"');
    expect(code).not.toContain('"./src/shared/policy/schema.ts"');
  });

  it('preloads zod once per worker instead of dropping the preload', () => {
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? '';
    expect(preload).toContain('"./src/shared/zod-preload.ts"');
  });

  it('keeps its source map beside it, not inline where every workflow task would map stacks through it', () => {
    const inline = /\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,([A-Za-z0-9+/=]+)\s*$/.exec(
      code,
    )?.[1];
    const map = JSON.parse(Buffer.from(inline ?? '', 'base64').toString('utf8')) as { mappings: string };
    expect(map.mappings).toBe('');
  });

  it('preloads the Ed25519 code that checks decisions, with its base point table', () => {
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([\s\S]*?)\n\}/.exec(code)?.[1] ?? '';
    expect(preload).toContain('"./src/shared/ed25519-preload.ts"');
  });

  it('holds no planner, activity or gateway code', () => {
    expect(code).not.toMatch(/"\.\/(activities|src\/planner|src\/gateway|src\/sandbox)\//);
  });

  it('is accepted by Worker.create as code without a path, as a worker that bundles in-process hands it', async () => {
    const { bundle } = await bundleWorkflows();
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    try {
      const worker = await Worker.create({ connection, taskQueue: 'bundle-check', workflowBundle: bundle });
      await worker.runUntil(async () => expect(worker.getState()).toBe('RUNNING'));
    } finally {
      await connection.close();
    }
  }, 60_000);
});
