import { createServer, type Server } from 'node:http';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanActivities } from '../../activities/plan.js';
import { createToolActivities } from '../../activities/tools.js';
import type { ToolArgs, ToolCall, ToolName } from '../../src/shared/contracts.js';
import { FailureType } from '../../src/shared/errors.js';
import { freePort } from '../../dev/ports.js';
import { TEST_SETTINGS } from '../support/temporal.js';
import { ledgerState, newKey, getBalanceCents } from '../support/sandbox-ledger.js';
import { useSandbox } from '../support/fixtures.js';
import { TEST_SANDBOX_TOKEN } from '../../dev/stack-secrets.js';

const sandbox = useSandbox();
let tools: ReturnType<typeof createToolActivities>;
beforeAll(() => {
  tools = createToolActivities({ sandboxUrl: sandbox.url, sandboxToken: TEST_SANDBOX_TOKEN, requestTimeoutMs: 5_000 });
});

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/** An activity context per call (a cancelled context stays cancelled), without the SDK's failure logs. */
function mockEnv(): MockActivityEnvironment {
  return new MockActivityEnvironment(undefined, { logger: quietLogger });
}

/** Runs one activity in `env`, keeping its argument and result types. */
async function run<A, R>(env: MockActivityEnvironment, fn: (arg: A) => Promise<R>, arg: A): Promise<R> {
  return env.run<[A], R, (arg: A) => Promise<R>>(fn, arg);
}

function call<T extends ToolName>(
  _tool: T,
  args: ToolArgs<T>,
  inputs: Record<string, unknown> = {},
): ToolCall<ToolArgs<T>> {
  return { idempotency_key: newKey('wf:step'), user_id: 'default_user', args, inputs };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the activity to fail');
}

function expectBusinessFailure(err: unknown, type: FailureType, message: string | RegExp): void {
  expect(err).toBeInstanceOf(ApplicationFailure);
  const failure = err as ApplicationFailure;
  expect(failure.type).toBe(type);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toMatch(message);
}

describe('bankTransfer', () => {
  it('moves money and returns the sandbox answer', async () => {
    const env = mockEnv();
    let heartbeats = 0;
    env.on('heartbeat', () => (heartbeats += 1));
    const before = await getBalanceCents(sandbox.url, 'kiran');
    const result = await run(
      env,
      tools.bankTransfer,
      call('bank_transfer', { from_account: '123', to_account: 'kiran', amount_cents: 600_000 }),
    );
    expect(result).toEqual({
      success: true,
      message: 'Transferred 6000.00 from 123 to kiran',
      transfer_id: expect.any(String),
    });
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(before + 600_000);
    expect(heartbeats).toBeGreaterThan(0);
  });

  it('replays the same answer for the same idempotency key', async () => {
    const c = call('bank_transfer', { from_account: 'alice', to_account: 'bob', amount_cents: 1_234 });
    const first = await run(mockEnv(), tools.bankTransfer, c);
    const before = await ledgerState(sandbox.url);
    const second = await run(mockEnv(), tools.bankTransfer, c);
    expect(second).toEqual(first);
    expect(await ledgerState(sandbox.url)).toEqual(before);
  });

  it('fails non-retryably with InsufficientFunds', async () => {
    const err = await failureOf(
      run(
        mockEnv(),
        tools.bankTransfer,
        call('bank_transfer', { from_account: 'kiran', to_account: 'bob', amount_cents: 99_900_000 }),
      ),
    );
    expectBusinessFailure(err, FailureType.InsufficientFunds, /^Insufficient funds/);
  });

  it('fails non-retryably with UnknownAccount', async () => {
    const err = await failureOf(
      run(
        mockEnv(),
        tools.bankTransfer,
        call('bank_transfer', { from_account: '123', to_account: 'nobody', amount_cents: 100 }),
      ),
    );
    expectBusinessFailure(err, FailureType.UnknownAccount, 'Unknown account: nobody');
  });

  it('fails non-retryably with IdempotencyConflict when a key is reused for another transfer', async () => {
    const c = call('bank_transfer', { from_account: 'ops', to_account: 'bob', amount_cents: 100 });
    await run(mockEnv(), tools.bankTransfer, c);
    const err = await failureOf(run(mockEnv(), tools.bankTransfer, { ...c, args: { ...c.args, amount_cents: 200 } }));
    expectBusinessFailure(err, FailureType.IdempotencyConflict, /Idempotency-Key/);
  });

  it('fails non-retryably with InvalidToolArgs on args the sandbox or the schema refuses', async () => {
    const same = await failureOf(
      run(
        mockEnv(),
        tools.bankTransfer,
        call('bank_transfer', { from_account: '123', to_account: '123', amount_cents: 100 }),
      ),
    );
    expectBusinessFailure(same, FailureType.InvalidToolArgs, 'toAccount: must differ from fromAccount');
    const negative = await failureOf(
      run(
        mockEnv(),
        tools.bankTransfer,
        call('bank_transfer', { from_account: '123', to_account: 'bob', amount_cents: -1 }),
      ),
    );
    expectBusinessFailure(negative, FailureType.InvalidToolArgs, /amount_cents/);
  });

  it('fails retryably while the sandbox is down, then succeeds once after it is back', async () => {
    const c = call('bank_transfer', { from_account: '123', to_account: 'alice', amount_cents: 50_000 });
    await sandbox.stop();
    const err = await failureOf(run(mockEnv(), tools.bankTransfer, c));
    expect(err).toBeInstanceOf(Error);
    expect(err instanceof ApplicationFailure && err.nonRetryable).toBe(false);
    expect((err as Error).message).toMatch(/sandbox unreachable at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);

    await sandbox.restart();
    const before = await getBalanceCents(sandbox.url, 'alice');
    const result = await run(mockEnv(), tools.bankTransfer, c);
    expect(result.success).toBe(true);
    const retry = await run(mockEnv(), tools.bankTransfer, c);
    expect(retry).toEqual(result);
    expect(await getBalanceCents(sandbox.url, 'alice')).toBe(before + 50_000);
    const entries = (await ledgerState(sandbox.url)).entries.filter((e) => e.idempotency_key === c.idempotency_key);
    expect(entries).toHaveLength(1);
  }, 30_000);
});

describe('transport', () => {
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    silentUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  it('times out retryably when the sandbox never answers', async () => {
    const slow = createToolActivities({
      sandboxUrl: silentUrl,
      sandboxToken: TEST_SANDBOX_TOKEN,
      requestTimeoutMs: 200,
    });
    const err = await failureOf(run(mockEnv(), slow.jobSearch, call('job_search', { query: 'backend', count: 1 })));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toMatch(/did not answer within 200 ms/);
  });

  it('stops the call when the activity is cancelled', async () => {
    const slow = createToolActivities({
      sandboxUrl: silentUrl,
      sandboxToken: TEST_SANDBOX_TOKEN,
      requestTimeoutMs: 30_000,
    });
    const env = mockEnv();
    const pending = failureOf(run(env, slow.jobSearch, call('job_search', { query: 'backend', count: 1 })));
    env.cancel();
    expect(await pending).toBeInstanceOf(CancelledFailure);
  });
});

describe('Life-OS tools', () => {
  it('searches, tailors CVs from the search result, and applies with them once', async () => {
    const env = mockEnv();
    const search = await run(env, tools.jobSearch, call('job_search', { query: 'backend', count: 3 }));
    expect(search.jobs).toHaveLength(3);

    const cvs = await run(env, tools.cvTailor, call('cv_tailor', { count: 2 }, { search_jobs: search }));
    expect(cvs.cvs.map((cv) => cv.job_id)).toEqual(search.jobs.slice(0, 2).map((j) => j.id));

    const submitCall = call('job_submit', { count: 2 }, { tailor_cv: cvs });
    const submitted = await run(env, tools.jobSubmit, submitCall);
    expect(submitted.applications.map((a) => [a.job_id, a.cv_id])).toEqual(cvs.cvs.map((cv) => [cv.job_id, cv.cv_id]));
    expect(await run(env, tools.jobSubmit, submitCall)).toEqual(submitted);
  });

  it('fails non-retryably when cvTailor or jobSubmit lack their input', async () => {
    const env = mockEnv();
    const tailor = await failureOf(run(env, tools.cvTailor, call('cv_tailor', { count: 2 })));
    expectBusinessFailure(tailor, FailureType.InvalidToolArgs, /needs the result of a job_search step/);
    const submit = await failureOf(
      run(env, tools.jobSubmit, call('job_submit', { count: 2 }, { search: { jobs: [] } })),
    );
    expectBusinessFailure(submit, FailureType.InvalidToolArgs, /needs the result of a cv_tailor step/);
  });

  it('books calendar events once per key and plans groceries', async () => {
    const env = mockEnv();
    const c = call('calendar_create', { title: 'Gym', count: 3, week_start: '2031-03-03', duration_minutes: 60 });
    const booked = await run(env, tools.calendarCreate, c);
    expect(booked.events).toHaveLength(3);
    expect(await run(env, tools.calendarCreate, c)).toEqual(booked);

    const groceries = await run(env, tools.groceryPlan, call('grocery_plan', { days: 7, people: 2 }));
    expect(groceries.items.length).toBeGreaterThan(0);
    expect(groceries).toMatchObject({ days: 7, people: 2 });
  });

  it('maps a refused calendar request to a non-retryable failure', async () => {
    const err = await failureOf(
      run(
        mockEnv(),
        tools.calendarCreate,
        call('calendar_create', { title: 'Gym', count: 3, week_start: '2031-03-04', duration_minutes: 60 }),
      ),
    );
    expectBusinessFailure(err, FailureType.InvalidToolArgs, 'week_start: must be a Monday (YYYY-MM-DD)');
  });
});

describe('planRequest', () => {
  it('finds an account opened after a transfer was refused for lack of one', async () => {
    const { planRequest } = createPlanActivities({
      sandboxUrl: sandbox.url,
      sandboxToken: TEST_SANDBOX_TOKEN,
      settings: TEST_SETTINGS,
    });
    const input = { message: 'Transfer 10 to Kiran', user_id: 'newcomer', today: '2031-03-03' };
    expect((await planRequest(input)).outcome).toMatchObject({
      kind: 'not_understood',
      message: expect.stringContaining('No account found for user newcomer'),
    });

    const db = new Database(sandbox.dbPath);
    try {
      db.prepare('INSERT INTO accounts (id, owner, balance_cents) VALUES (?, ?, ?)').run(
        'newcomer_acct',
        'newcomer',
        100_000,
      );
    } finally {
      db.close();
    }
    const planned = (await planRequest(input)).outcome;
    expect(planned).toMatchObject({
      kind: 'plan',
      plan: { steps: [{ tool: 'bank_transfer', args: { from_account: 'newcomer_acct', to_account: 'kiran' } }] },
    });
  });
});
