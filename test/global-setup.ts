/**
 * One Temporal dev server and one workflow bundle for the whole run; each test file gets its own
 * task queue and worker. Tests that restart the server start a private one instead. The e2e and
 * browser projects both name this file: vitest runs it once per project, in one process, so the
 * first call starts the server and the last teardown stops it.
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflows } from '../worker/workflow-bundle.js';
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

interface SharedTemporal {
  ready: Promise<{ address: string; httpAddress: string; bundlePath: string; server?: DevServer; bundleDir: string }>;
  users: number;
}

const KEY = Symbol.for('approval-engine.test.shared-temporal');
const registry = globalThis as typeof globalThis & { [KEY]?: SharedTemporal };

async function startShared(): Promise<Awaited<SharedTemporal['ready']>> {
  // TEST_TEMPORAL_ADDRESS points the suite at a running cluster (./temporal-dev.sh test-cluster) instead.
  const external = process.env.TEST_TEMPORAL_ADDRESS;
  const [server, bundle] = await Promise.all([external ? undefined : startDevServer(), bundleWorkflows()]);
  const bundleDir = mkdtempSync(path.join(tmpdir(), 'wf-bundle-'));
  const bundlePath = path.join(bundleDir, 'workflows.js');
  writeFileSync(bundlePath, bundle.bundle.code);
  const address = external ?? server?.address;
  if (!address) throw new Error('no Temporal server for the suite');
  const httpAddress = server ? `127.0.0.1:${server.httpPort}` : '';
  return { address, httpAddress, bundlePath, server, bundleDir };
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[KEY] ??= { ready: startShared(), users: 0 });
  shared.users += 1;
  const { address, httpAddress, bundlePath } = await shared.ready;
  project.provide('temporalAddress', address);
  project.provide('temporalHttpAddress', httpAddress);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete registry[KEY];
    const { server, bundleDir } = await shared.ready;
    await server?.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  };
}
