/** Runs an operator command (scripts/decide.ts, scripts/act.ts) against the test's dev server, as an operator would. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { testSecretsEnv } from '../../dev/stack-secrets.js';

const run = promisify(execFile);

export interface ScriptOutcome {
  code: number;
  /** stdout, and stderr after it when the command failed. */
  stdout: string;
}

export function runOperatorScript(
  script: 'scripts/decide.ts' | 'scripts/act.ts' | 'scripts/request.ts',
  args: string[],
  env: Record<string, string> = {},
): Promise<ScriptOutcome> {
  return run(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...testSecretsEnv(), TEMPORAL_ADDRESS: inject('temporalAddress'), ...env },
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout + err.stderr }),
  );
}
