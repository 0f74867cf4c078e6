import { expect, it } from 'vitest';
import { startSandboxProcess } from '../../dev/sandbox-process.js';
import { ledgerState, newKey, totalCents, getBalanceCents } from '../support/sandbox-ledger.js';
import { postJson } from '../support/http.js';
import { useSandbox } from '../support/fixtures.js';

const sandbox = useSandbox();

it('never overdraws under 50 concurrent transfers from one account', async () => {
  const before = await ledgerState(sandbox.url);
  expect(before.balances.bob).toBe(250_000);

  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      postJson(
        sandbox.url,
        '/api/transfer',
        { fromAccount: 'bob', toAccount: i % 2 ? 'alice' : 'kiran', amount: '100.00' },
        { key: newKey('race') },
      ),
    ),
  );

  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(25);
  expect(statuses.filter((s) => s === 422)).toHaveLength(25);
  expect(await getBalanceCents(sandbox.url, 'bob')).toBe(0);

  const after = await ledgerState(sandbox.url);
  expect(totalCents(after.balances)).toBe(totalCents(before.balances));
  expect(after.entries.filter((e) => e.from_account === 'bob')).toHaveLength(25);
});

it('moves money once when the same key is sent 20 times concurrently', async () => {
  const key = newKey('dup');
  const before = await getBalanceCents(sandbox.url, 'ops');
  const results = await Promise.all(
    Array.from({ length: 20 }, () =>
      postJson(sandbox.url, '/api/transfer', { fromAccount: 'ops', toAccount: 'bob', amount: 7 }, { key }),
    ),
  );
  expect(new Set(results.map((r) => r.status))).toEqual(new Set([200]));
  expect(new Set(results.map((r) => r.body.transfer_id)).size).toBe(1);
  expect(await getBalanceCents(sandbox.url, 'ops')).toBe(before - 700);
  const entries = (await ledgerState(sandbox.url)).entries.filter((e) => e.idempotency_key === key);
  expect(entries).toHaveLength(1);
});

it('never overdraws when two sandbox processes share one database', async () => {
  const second = await startSandboxProcess({ dbPath: sandbox.dbPath });
  try {
    const before = await ledgerState(sandbox.url);
    const balance = before.balances.alice!;
    const amount = Math.ceil(balance / 30);
    const expectedSuccesses = Math.floor(balance / amount);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        postJson(
          i % 2 ? second.url : sandbox.url,
          '/api/transfer',
          { fromAccount: 'alice', toAccount: 'ops', amount: (amount / 100).toFixed(2) },
          { key: newKey('pair') },
        ),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(expectedSuccesses);
    expect(statuses.filter((s) => s === 422)).toHaveLength(60 - expectedSuccesses);
    const after = await ledgerState(second.url);
    expect(after.balances.alice).toBe(balance - expectedSuccesses * amount);
    expect(totalCents(after.balances)).toBe(totalCents(before.balances));
  } finally {
    await second.stop();
  }
}, 30_000);
