/**
 * One Temporal dev server and one workflow bundle for the whole suite; each test file gets its
 * own task queue and worker. Tests that restart the server start a private one instead.
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflows } from '../src/workflow-bundle.js';
import type { TestProject } from 'vitest/node';
import { startDevServer, type DevServer } from '../dev/temporal-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The dev server's HTTP API, host:port; empty when the suite runs against a cluster. */
    temporalHttpAddress: string;
    workflowBundlePath: string;
  }
}

let server: DevServer | undefined;
let bundleDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  // TEST_TEMPORAL_ADDRESS points the suite at a running cluster (./temporal-dev.sh test-cluster) instead.
  const external = process.env.TEST_TEMPORAL_ADDRESS;
  const [started, bundle] = await Promise.all([external ? undefined : startDevServer(), bundleWorkflows()]);
  server = started;
  bundleDir = mkdtempSync(path.join(tmpdir(), 'wf-bundle-'));
  const bundlePath = path.join(bundleDir, 'workflows.js');
  writeFileSync(bundlePath, bundle.bundle.code);
  const address = external ?? started?.address;
  if (!address) throw new Error('no Temporal server for the suite');
  project.provide('temporalAddress', address);
  project.provide('temporalHttpAddress', started ? `127.0.0.1:${started.httpPort}` : '');
  project.provide('workflowBundlePath', bundlePath);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
}
