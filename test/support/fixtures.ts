/**
 * What a test file starts once and stops after its last test, as vitest hooks. Each `use…` call
 * registers a `beforeAll` that starts the thing and an `afterAll` that stops it, and returns a
 * handle the tests use directly (`sandbox.url`, `client.workflow`, `stack.baseUrl`). Hooks run in
 * the order they are registered and stop in reverse, so a worker registered after its sandbox
 * starts after it and stops before it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import type { Activities } from '../../activities/index.js';
import { TokenTable, type TokenFile } from '../../gateway/auth.js';
import { PRELOADED_MODULES } from '../../worker/workflow-bundle.js';
import { startSandboxProcess, type SandboxProcess, type SandboxProcessOptions } from '../../dev/sandbox-process.js';
import { jwtGatewayEnv, startJwtIssuer, type JwtIssuer } from './jwt-issuer.js';
import { startStack, type Stack, type StackOptions } from './stack.js';
import { connectClient, startTestWorker, type TestWorker } from './temporal.js';

/**
 * An object that stands for the value `current()` returns once its `beforeAll` has run. Reading
 * any member earlier throws, naming what was read too soon; methods are bound to the value.
 */
function handleFor<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, member) {
      const value = current();
      if (value === undefined) throw new Error(`${what} was used before the beforeAll hook that starts it`);
      const found: unknown = Reflect.get(value, member, value);
      return typeof found === 'function' ? (found as (...args: unknown[]) => unknown).bind(value) : found;
    },
  });
}

/** Registers a start hook and a stop hook for one value, and returns its handle (the other fixtures are built on it). */
export function useResource<T extends object>(
  what: string,
  start: () => Promise<T>,
  stop: (value: T) => Promise<void>,
  startTimeoutMs?: number,
): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  }, startTimeoutMs);
  afterAll(async () => {
    if (value !== undefined) await stop(value);
    value = undefined;
  });
  return handleFor(what, () => value);
}

/** The real sandbox backend as a child process, with a fresh database deleted afterwards. */
export function useSandbox(options: SandboxProcessOptions = {}): SandboxProcess {
  return useResource(
    'the sandbox',
    () => startSandboxProcess(options),
    (sandbox) => sandbox.dispose(),
  );
}

/** A Temporal client on the suite's dev server. */
export function useClient(): Client {
  return useResource(
    'the Temporal client',
    () => connectClient(),
    (client) => client.connection.close(),
  );
}

/**
 * An in-process worker on a task queue of its own. `activities` is called in the hook, so it may
 * read handles started before it (`() => realActivities(sandbox.url)`).
 */
export function useWorker(
  activities: () => Partial<Activities> | Activities,
  options: { taskQueue?: string } = {},
): TestWorker {
  return useResource(
    'the worker',
    () => startTestWorker({ activities: activities(), ...options }),
    (worker) => worker.stop(),
  );
}

/**
 * The whole stack (sandbox, worker, gateway over HTTP). `options` may be a function, called in the
 * hook, when it needs handles started before it (a sandbox, a tokens file).
 */
export function useStack(options: StackOptions | (() => StackOptions) = {}): Stack {
  return useResource(
    'the stack',
    () => startStack(typeof options === 'function' ? options() : options),
    (stack) => stack.stop(),
  );
}

/** The whole stack with auth on (GATEWAY_AUTH=token), reading `tokens` from a tokens file as a deployment does. */
export function useStackWithTokens(tokens: TokenFile): Stack {
  const tokensFile = useTokensFile(tokens);
  return useStack(() => ({ env: { GATEWAY_AUTH: 'token', GATEWAY_TOKENS_FILE: tokensFile.path } }));
}

/**
 * The whole stack under policies/bank.json (its stages and quorum) with token auth, the gateway
 * holding `tokens` in memory: for tests of what the policy asks of the people in `tokens`.
 */
export function useBankPolicyStack(tokens: TokenFile): Stack {
  return useStack({
    env: { GATEWAY_AUTH: 'token', POLICY_FILE: resolve('policies/bank.json') },
    gateway: { tokens: new TokenTable(tokens) },
  });
}

/**
 * The whole stack with GATEWAY_AUTH=jwt, trusting a test issuer started before it (and stopped
 * after it); `env` adds the settings a test needs on top of `jwtGatewayEnv`.
 */
export function useJwtStack(env: Record<string, string> = {}): { issuer: JwtIssuer; stack: Stack } {
  const issuer = useResource(
    'the JWT issuer',
    () => startJwtIssuer(),
    (started) => started.close(),
  );
  const stack = useStack(() => ({ env: { ...jwtGatewayEnv(issuer), ...env } }));
  return { issuer, stack };
}

/** A gateway tokens file (GATEWAY_TOKENS_FILE) in a temp directory, deleted afterwards. */
export function useTokensFile(tokens: TokenFile): { path: string } {
  return useResource(
    'the tokens file',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gateway-tokens-'));
      const path = join(dir, 'tokens.json');
      writeFileSync(path, JSON.stringify(tokens));
      return { dir, path };
    },
    async ({ dir }) => rmSync(dir, { recursive: true, force: true }),
  );
}

const BREAKING_WORKFLOWS = join(dirname(fileURLToPath(import.meta.url)), 'breaking-workflows.ts');

/**
 * breaking-workflows.ts bundled to a file in a temp directory, deleted afterwards: workflow code
 * that cannot replay a history the real code wrote, for a worker (`workflowBundle.codePath`) or a replay.
 */
export function useBreakingWorkflowsBundle(): { codePath: string } {
  return useResource(
    'the breaking workflows bundle',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wf-breaking-'));
      const codePath = join(dir, 'workflows.js');
      const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };
      const { code } = await bundleWorkflowCode({
        workflowsPath: BREAKING_WORKFLOWS,
        preloadModules: PRELOADED_MODULES,
        logger: quiet,
      });
      writeFileSync(codePath, code);
      return { dir, codePath };
    },
    async ({ dir }) => rmSync(dir, { recursive: true, force: true }),
    120_000,
  );
}
