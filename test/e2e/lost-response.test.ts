import { request } from 'node:http';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { expect, it } from 'vitest';
import { createToolActivities } from '../../activities/tools.js';
import { waitFor } from '../../dev/ports.js';
import { startSandboxProcess } from '../../dev/sandbox-process.js';
import { ledgerState, newKey, type LedgerEntry, getBalanceCents, postTransfer } from '../support/sandbox-ledger.js';
import { getJson } from '../support/http.js';
import { useSandbox } from '../support/fixtures.js';
import { sandboxAuthHeaders, TEST_SANDBOX_TOKEN } from '../../dev/stack-secrets.js';

const sandbox = useSandbox();

/** Sends the request and drops the connection as soon as the body is written: the client never sees the answer. */
async function sendAndHangUp(url: string, path: string, body: unknown, key: string): Promise<void> {
  const payload = JSON.stringify(body);
  await new Promise<void>((resolve) => {
    const req = request(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        'idempotency-key': key,
        ...sandboxAuthHeaders,
      },
    });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.destroy();
      resolve();
    });
    req.end(payload, () => {
      req.destroy();
      resolve();
    });
  });
}

async function entriesWithKey(key: string): Promise<LedgerEntry[]> {
  return (await ledgerState(sandbox.url)).entries.filter((e) => e.idempotency_key === key);
}

it('answers a retry after a restart with the stored answer and moves money once', async () => {
  const key = newKey('restart');
  const body = { fromAccount: 'alice', toAccount: 'kiran', amount: '125.50' };
  const aliceBefore = await getBalanceCents(sandbox.url, 'alice');

  const first = await postTransfer(sandbox.url, body, key);
  expect(first.status).toBe(200);
  await sandbox.kill();
  await sandbox.restart();

  const retry = await postTransfer(sandbox.url, body, key);
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual(first.body);
  expect(await getBalanceCents(sandbox.url, 'alice')).toBe(aliceBefore - 12_550);
  expect(await entriesWithKey(key)).toHaveLength(1);
}, 30_000);

it('answers a retry after a lost response with the stored answer and moves money once', async () => {
  const key = newKey('lost');
  const body = { fromAccount: '123', toAccount: 'bob', amount: 42.1 };
  const before = await getBalanceCents(sandbox.url, '123');

  await sendAndHangUp(sandbox.url, '/api/transfer', body, key);
  const [entry] = await waitFor(
    async () => {
      const found = await entriesWithKey(key);
      return found.length > 0 ? found : undefined;
    },
    { timeoutMs: 10_000, what: 'the lost transfer to reach the ledger' },
  );

  const retry = await postTransfer(sandbox.url, body, key);
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual({ success: true, message: 'Transferred 42.10 from 123 to bob', transfer_id: entry!.id });
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  expect(await entriesWithKey(key)).toHaveLength(1);
  expect(await getBalanceCents(sandbox.url, '123')).toBe(before - 4_210);
});

it('keeps committed transfers across a SIGKILL', async () => {
  const key = newKey('durable');
  const res = await postTransfer(sandbox.url, { fromAccount: 'ops', toAccount: 'alice', amount: 1 }, key);
  expect(res.status).toBe(200);
  const before = await ledgerState(sandbox.url);
  await sandbox.kill();
  await sandbox.restart();
  expect(await ledgerState(sandbox.url)).toEqual(before);
  expect((await getJson(sandbox.url, '/healthz')).status).toBe(200);
}, 30_000);

it('an activity that times out after the sandbox committed gets the stored answer on its retry', async () => {
  const slow = await startSandboxProcess({ latencyMs: 400 });
  try {
    const noop = (): void => undefined;
    const env = () =>
      new MockActivityEnvironment(undefined, {
        logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
      });
    const impatient = createToolActivities({
      sandboxUrl: slow.url,
      sandboxToken: TEST_SANDBOX_TOKEN,
      requestTimeoutMs: 100,
    });
    const patient = createToolActivities({
      sandboxUrl: slow.url,
      sandboxToken: TEST_SANDBOX_TOKEN,
      requestTimeoutMs: 5_000,
    });
    const call = {
      idempotency_key: newKey('wf:transfer'),
      user_id: 'default_user',
      args: { from_account: 'bob', to_account: 'kiran', amount_cents: 9_999 },
      inputs: {},
    };
    const before = await getBalanceCents(slow.url, 'bob');

    const timedOut = await env()
      .run(impatient.bankTransfer, call)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(timedOut).toBeInstanceOf(Error);
    expect(timedOut).not.toBeInstanceOf(ApplicationFailure);
    expect((timedOut as Error).message).toMatch(/did not answer within 100 ms/);

    const entriesOfCall = async () =>
      (await getJson<{ entries: LedgerEntry[] }>(slow.url, '/api/accounts/bob/ledger')).body.entries.filter(
        (e) => e.idempotency_key === call.idempotency_key,
      );
    const [committed] = await waitFor(
      async () => {
        const found = await entriesOfCall();
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 10_000, what: 'the timed-out transfer to commit' },
    );

    const retried = await env().run(patient.bankTransfer, call);
    expect(retried).toEqual({
      success: true,
      message: 'Transferred 99.99 from bob to kiran',
      transfer_id: committed!.id,
    });
    expect(await entriesOfCall()).toHaveLength(1);
    expect(await getBalanceCents(slow.url, 'bob')).toBe(before - 9_999);
  } finally {
    await slow.dispose();
  }
}, 30_000);
