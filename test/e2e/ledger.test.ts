import { describe, expect, it } from 'vitest';
import { ledgerState, newKey, getBalanceCents, postTransfer } from '../support/sandbox-ledger.js';
import { getJson, postJson } from '../support/http.js';
import { useSandbox } from '../support/fixtures.js';

const sandbox = useSandbox();

describe('starting accounts', () => {
  it.each([
    ['123', 'default_user', 50_000],
    ['kiran', 'kiran', 1_000],
    ['bob', 'bob', 2_500],
    ['alice', 'alice', 10_000],
    ['ops', 'manager@bank.com', 100_000],
  ])('%s belongs to %s with %d', async (id, owner, dollars) => {
    const res = await getJson(sandbox.url, `/api/accounts/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id, owner, balance: dollars, balance_cents: dollars * 100 });
  });

  it('lists accounts by owner and answers 404 for an unknown account', async () => {
    const mine = await getJson(sandbox.url, '/api/accounts?owner=default_user');
    expect(mine.body.accounts.map((a: { id: string }) => a.id)).toEqual(['123']);
    const unknown = await getJson(sandbox.url, '/api/accounts/nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ success: false, message: 'Unknown account: nobody' });
  });

  it('answers /healthz', async () => {
    expect((await getJson(sandbox.url, '/healthz')).body).toEqual({ status: 'ok' });
  });
});

describe('POST /api/transfer', () => {
  it('moves money once per key and answers with the original banking message', async () => {
    const key = newKey('transfer');
    const fromBefore = await getBalanceCents(sandbox.url, '123');
    const toBefore = await getBalanceCents(sandbox.url, 'kiran');

    const first = await postTransfer(sandbox.url, { fromAccount: '123', toAccount: 'kiran', amount: 6000.0 }, key);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ success: true, message: 'Transferred 6000.00 from 123 to kiran' });
    expect(typeof first.body.transfer_id).toBe('string');
    expect(await getBalanceCents(sandbox.url, '123')).toBe(fromBefore - 600_000);
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(toBefore + 600_000);

    const ledger = await getJson(sandbox.url, '/api/accounts/kiran/ledger');
    expect(ledger.body.entries[0]).toMatchObject({
      id: first.body.transfer_id,
      idempotency_key: key,
      from_account: '123',
      to_account: 'kiran',
      amount_cents: 600_000,
    });

    const before = await ledgerState(sandbox.url);
    // The same request, amount written as a decimal string: the same normalised body.
    const again = await postTransfer(sandbox.url, { fromAccount: '123', toAccount: 'kiran', amount: '6000.00' }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await ledgerState(sandbox.url)).toEqual(before);
  });

  it('answers 409 for the same key with a different body and changes nothing', async () => {
    const key = newKey('conflict');
    const first = await postTransfer(sandbox.url, { fromAccount: 'alice', toAccount: 'bob', amount: 10 }, key);
    expect(first.status).toBe(200);
    const before = await ledgerState(sandbox.url);
    for (const body of [
      { fromAccount: 'alice', toAccount: 'bob', amount: 11 },
      { fromAccount: 'alice', toAccount: 'kiran', amount: 10 },
      { fromAccount: 'ops', toAccount: 'bob', amount: 10 },
    ]) {
      const res = await postTransfer(sandbox.url, body, key);
      expect(res.status).toBe(409);
      expect(res.body.success).toBe(false);
      expect(res.body.message).toContain('Idempotency-Key');
    }
    expect(await ledgerState(sandbox.url)).toEqual(before);
  });

  it('accepts cents-exact decimal strings without float drift', async () => {
    const key = newKey('decimal');
    const before = await getBalanceCents(sandbox.url, 'bob');
    const res = await postTransfer(sandbox.url, { fromAccount: 'alice', toAccount: 'bob', amount: '0.29' }, key);
    expect(res.body.message).toBe('Transferred 0.29 from alice to bob');
    expect(await getBalanceCents(sandbox.url, 'bob')).toBe(before + 29);
  });

  const valid = { fromAccount: '123', toAccount: 'kiran', amount: 10 };
  it.each([
    ['a negative amount', { ...valid, amount: -5 }, 'amount: must be positive'],
    ['a negative string amount', { ...valid, amount: '-5.00' }, 'amount: must be positive'],
    ['a zero amount', { ...valid, amount: 0 }, 'amount: must be positive'],
    ['NaN as a string', { ...valid, amount: 'NaN' }, 'amount: must be a decimal amount'],
    ['three decimals', { ...valid, amount: '1.234' }, 'amount: must have at most two decimals'],
    ['three decimals as a number', { ...valid, amount: 1.234 }, 'amount: must have at most two decimals'],
    ['a huge amount', { ...valid, amount: 1_000_000.01 }, 'amount: must be at most 1000000.00'],
    ['an absurd amount', { ...valid, amount: '99999999999999999999' }, 'amount: must be at most 1000000.00'],
    ['an exponent', { ...valid, amount: 1e21 }, 'amount: must be a decimal amount'],
    ['a boolean amount', { ...valid, amount: true }, 'amount: must be a number or a decimal string'],
    ['a missing amount', { fromAccount: '123', toAccount: 'kiran' }, 'amount: is required'],
    ['a numeric account', { ...valid, fromAccount: 5 }, 'fromAccount: must be a string'],
    ['an empty account', { ...valid, toAccount: '' }, 'toAccount: must not be empty'],
    ['the same account twice', { ...valid, toAccount: '123' }, 'toAccount: must differ from fromAccount'],
    ['an array body', [valid], 'body: must be an object'],
  ])('rejects %s with a 400 naming the field and writes nothing', async (_name, body, message) => {
    const before = await ledgerState(sandbox.url);
    const key = newKey('bad');
    const res = await postTransfer(sandbox.url, body, key);
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
    expect(res.body.message).toContain(message);
    expect(await ledgerState(sandbox.url)).toEqual(before);
    // The key was not consumed: a valid request under it still goes through.
    const retry = await postTransfer(sandbox.url, { fromAccount: 'ops', toAccount: 'alice', amount: 1 }, key);
    expect(retry.status).toBe(200);
  });

  it('rejects malformed JSON, an empty body and a missing key with a 400', async () => {
    const before = await ledgerState(sandbox.url);
    const malformed = await postJson(sandbox.url, '/api/transfer', '{"fromAccount": "123",', { key: newKey() });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ success: false, message: 'body: malformed JSON' });
    const empty = await postJson(sandbox.url, '/api/transfer', '', { key: newKey() });
    expect(empty.status).toBe(400);
    const noKey = await postJson(sandbox.url, '/api/transfer', valid);
    expect(noKey.status).toBe(400);
    expect(noKey.body.message).toContain('Idempotency-Key');
    const spaceKey = await postTransfer(sandbox.url, valid, 'has space');
    expect(spaceKey.status).toBe(400);
    expect(await ledgerState(sandbox.url)).toEqual(before);
  });

  it('answers 404 for unknown accounts, stores that answer under the key, and moves nothing', async () => {
    const before = await ledgerState(sandbox.url);
    const key = newKey('unknown');
    const res = await postTransfer(sandbox.url, { fromAccount: '123', toAccount: 'nobody', amount: 1 }, key);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ success: false, message: 'Unknown account: nobody' });
    const from = await postTransfer(sandbox.url, { fromAccount: 'ghost', toAccount: '123', amount: 1 }, newKey());
    expect(from.body.message).toBe('Unknown account: ghost');
    const again = await postTransfer(sandbox.url, { fromAccount: '123', toAccount: 'nobody', amount: 1 }, key);
    expect(again.status).toBe(404);
    expect(again.body).toEqual(res.body);
    expect(await ledgerState(sandbox.url)).toEqual(before);
  });

  it('answers 422 for insufficient funds and moves nothing', async () => {
    const before = await ledgerState(sandbox.url);
    const key = newKey('nsf');
    const balance = before.balances.kiran!;
    const amount = (balance + 1) / 100;
    const res = await postTransfer(sandbox.url, { fromAccount: 'kiran', toAccount: 'bob', amount }, key);
    expect(res.status).toBe(422);
    expect(res.body.success).toBe(false);
    expect(res.body.message).toMatch(/^Insufficient funds: /);
    expect(await ledgerState(sandbox.url)).toEqual(before);
    const again = await postTransfer(sandbox.url, { fromAccount: 'kiran', toAccount: 'bob', amount }, key);
    expect(again.status).toBe(422);
    expect(again.body).toEqual(res.body);
  });

  it('lists ledger entries newest first', async () => {
    const a = await postTransfer(sandbox.url, { fromAccount: 'ops', toAccount: 'kiran', amount: 1 }, newKey());
    const b = await postTransfer(sandbox.url, { fromAccount: 'ops', toAccount: 'kiran', amount: 2 }, newKey());
    const ledger = await getJson(sandbox.url, '/api/accounts/ops/ledger');
    expect(ledger.body.entries.slice(0, 2).map((e: { id: string }) => e.id)).toEqual([
      b.body.transfer_id,
      a.body.transfer_id,
    ]);
    expect((await getJson(sandbox.url, '/api/accounts/nobody/ledger')).status).toBe(404);
  });
});
