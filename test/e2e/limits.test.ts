/** The sandbox's window reservations over HTTP: one check-and-reserve at a time, released only when no money moved. */
import { describe, expect, it } from 'vitest';
import { getJson, postJson } from '../support/http.js';
import { newKey } from '../support/sandbox-ledger.js';
import { useSandbox } from '../support/fixtures.js';

const sandbox = useSandbox();
const DAY_MS = 86_400_000;

function reserve(user: string, run: string, amount: number, expected: number, key = newKey('reserve')) {
  return postJson(sandbox.url, '/api/limits/reservations', {
    user_id: user,
    run_id: run,
    reservation_key: key,
    transfer_key: `${key}:transfer`,
    amount_cents: amount,
    window_ms: DAY_MS,
    expected_moved_cents: expected,
  });
}

describe('window reservations', () => {
  it('lets exactly one of 20 concurrent reservations judged against the same figure through', async () => {
    const user = newKey('user');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => reserve(user, `run-${i}`, 100_000, 0)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.body.reserved)).toHaveLength(1);
    for (const lost of answers.filter((a) => !a.body.reserved)) expect(lost.body.moved_cents).toBe(100_000);
    expect((await getJson(sandbox.url, `/api/limits/users/${user}?window_ms=${DAY_MS}`)).body.moved_cents).toBe(
      100_000,
    );
  });

  it('answers a repeated reservation as the first, and does not count a run against itself', async () => {
    const user = newKey('user');
    const key = newKey('same');
    expect((await reserve(user, 'run-a', 50_000, 0, key)).body).toEqual({ reserved: true, moved_cents: 0 });
    expect((await reserve(user, 'run-a', 50_000, 0, key)).body).toEqual({ reserved: true, moved_cents: 0 });
    const usage = await postJson(sandbox.url, '/api/limits/usage', {
      user_id: user,
      window_ms: DAY_MS,
      exclude_run_id: 'run-a',
    });
    expect(usage.body.moved_cents).toBe(0);
    const other = await postJson(sandbox.url, '/api/limits/usage', {
      user_id: user,
      window_ms: DAY_MS,
      exclude_run_id: 'run-b',
    });
    expect(other.body.moved_cents).toBe(50_000);
  });

  it('releases a reservation whose transfer never reached the ledger, and keeps one whose money moved', async () => {
    const user = newKey('user');
    const unused = newKey('unused');
    await reserve(user, 'run-a', 10_000, 0, unused);
    const moved = newKey('moved');
    await reserve(user, 'run-b', 20_000, 10_000, moved);
    const transfer = await postJson(
      sandbox.url,
      '/api/transfer',
      { fromAccount: 'ops', toAccount: 'bob', amount: '200.00' },
      { key: `${moved}:transfer` },
    );
    expect(transfer.status).toBe(200);

    expect((await postJson(sandbox.url, '/api/limits/reservations/release', { reservation_key: unused })).body).toEqual(
      { found: true, released: true },
    );
    expect((await postJson(sandbox.url, '/api/limits/reservations/release', { reservation_key: moved })).body).toEqual({
      found: true,
      released: false,
    });
    expect((await getJson(sandbox.url, `/api/limits/users/${user}?window_ms=${DAY_MS}`)).body.moved_cents).toBe(20_000);
  });

  it('refuses a bad body naming the field, and records nothing', async () => {
    const user = newKey('user');
    const bad = await postJson(sandbox.url, '/api/limits/reservations', {
      user_id: user,
      run_id: 'r',
      reservation_key: 'k',
      transfer_key: 't',
      amount_cents: -5,
      window_ms: DAY_MS,
      expected_moved_cents: 0,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('amount_cents');
    const tooShort = await postJson(sandbox.url, '/api/limits/usage', { user_id: user, window_ms: 10 });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.message).toContain('window_ms');
    expect((await getJson(sandbox.url, `/api/limits/users/${user}?window_ms=${DAY_MS}`)).body.reservations).toEqual([]);
  });

  it('says whether an account has paid a recipient before', async () => {
    const before = await getJson(sandbox.url, '/api/limits/paid-before?from_account=alice&to_account=ops');
    expect(before.body.paid_before).toBe(false);
    await postJson(
      sandbox.url,
      '/api/transfer',
      { fromAccount: 'alice', toAccount: 'ops', amount: '1.00' },
      { key: newKey('pay') },
    );
    expect(
      (await getJson(sandbox.url, '/api/limits/paid-before?from_account=alice&to_account=ops')).body.paid_before,
    ).toBe(true);
  });
});
