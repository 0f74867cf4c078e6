/** GET /api/accounts/{id}/transfers: an account's transfers as its owner sees them, newest first. */
import { beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson } from '../support/http.js';
import { newKey } from '../support/sandbox-ledger.js';
import { useSandbox } from '../support/fixtures.js';

const sandbox = useSandbox();
beforeAll(async () => {
  for (const [to, amount] of [
    ['kiran', 10],
    ['bob', 20.5],
    ['kiran', 30],
  ] as const) {
    const res = await postJson(
      sandbox.url,
      '/api/transfer',
      { fromAccount: '123', toAccount: to, amount },
      { key: newKey('list') },
    );
    expect(res.status).toBe(200);
  }
  await postJson(
    sandbox.url,
    '/api/transfer',
    { fromAccount: 'alice', toAccount: '123', amount: 5 },
    { key: newKey('list') },
  );
});

describe('GET /api/accounts/{id}/transfers', () => {
  it('lists money out and in, newest first, ten by default', async () => {
    const res = await getJson(sandbox.url, '/api/accounts/123/transfers');
    expect(res.status).toBe(200);
    expect(res.body.account_id).toBe('123');
    expect(
      res.body.transfers.map((t: { direction: string; counterparty: string; amount_cents: number }) => [
        t.direction,
        t.counterparty,
        t.amount_cents,
      ]),
    ).toEqual([
      ['in', 'alice', 500],
      ['out', 'kiran', 3_000],
      ['out', 'bob', 2_050],
      ['out', 'kiran', 1_000],
    ]);
    expect(res.body.transfers[0]).toMatchObject({
      amount: 5,
      transfer_id: expect.any(String),
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it('honours limit and since', async () => {
    const two = await getJson(sandbox.url, '/api/accounts/123/transfers?limit=2');
    expect(two.body.transfers).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    expect((await getJson(sandbox.url, `/api/accounts/123/transfers?since=${today}`)).body.transfers).toHaveLength(4);
    expect((await getJson(sandbox.url, '/api/accounts/123/transfers?since=2999-01-01')).body.transfers).toEqual([]);
  });

  it.each([
    ['?limit=0', 'limit: must be at least 1'],
    ['?limit=101', 'limit: must be at most 100'],
    ['?since=yesterday', 'since: must be a date as YYYY-MM-DD'],
  ])('refuses %s with a message naming the field', async (query, message) => {
    const res = await getJson(sandbox.url, `/api/accounts/123/transfers${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ success: false, message });
  });

  it('answers 404 for an unknown account', async () => {
    expect((await getJson(sandbox.url, '/api/accounts/nobody/transfers')).status).toBe(404);
  });
});
