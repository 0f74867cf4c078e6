import { defineConfig } from 'vitest/config';

/**
 * Three slices, by what a test needs to run (the folder says which):
 * - unit: one process, no Temporal server, no worker, no workflow bundle; seconds.
 * - e2e: a real Temporal dev server and workflow bundle shared by the run (test/global-setup.ts);
 *   each file starts its own worker, sandbox or gateway on free ports.
 * - browser: the web page in Chromium against a real stack.
 */
const withTemporal = ['test/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: a few files at a time keeps the dev server responsive.
    maxWorkers: 3,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: withTemporal } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: withTemporal } },
    ],
  },
});
