import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUILT_NODE_FLAGS, buildServices, builtEntryOf, serviceOfEntry } from '../../dev/service-build.js';

describe('serviceOfEntry', () => {
  it.each([
    ['worker/main.ts', 'worker'],
    ['gateway/main.ts', 'gateway'],
    ['sandbox/main.ts', 'sandbox'],
    ['bench/bench-worker.ts', undefined],
    ['worker/deployment.ts', undefined],
  ])('%s → %s', (entry, service) => expect(serviceOfEntry(entry)).toBe(service));
});

describe('the compiled processes', () => {
  it.each(['worker', 'gateway', 'sandbox'] as const)(
    'dist %s runs without tsx: it reads its settings and names a bad one',
    async (service) => {
      await buildServices();
      const started = spawnSync(process.execPath, [...BUILT_NODE_FLAGS, builtEntryOf(service)], {
        env: { ...process.env, LOG_LEVEL: 'loud' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(started.stderr).toMatch(/LOG_LEVEL/);
      expect(started.status).not.toBe(0);
    },
    90_000,
  );
});
