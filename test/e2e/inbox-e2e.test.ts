/** The paged, filtered inbox over real HTTP, with runs waiting for approval on the real stack. */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { useStack } from '../support/fixtures.js';
import { call } from '../support/http.js';

const stack = useStack();

describe('GET /api/approvals: pages, filters, sort and total', () => {
  it('pages through every waiting approval with the cursor and filters them', async () => {
    for (const [user, message] of [
      ['default_user', 'Transfer 6000 to Kiran'],
      ['default_user', 'Transfer 9000 to Kiran'],
      ['alice', 'Transfer 7000 to bob'],
    ] as const) {
      const res = await call(stack.baseUrl, 'POST', '/chat', { message, user_id: user });
      expect(res.body.status).toBe('PENDING_APPROVAL');
    }
    const first = await waitFor(
      async () => {
        const res = await call(stack.baseUrl, 'GET', '/api/approvals?limit=2');
        return res.body.total === 3 && res.body;
      },
      { what: 'three waiting approvals in the inbox' },
    );
    expect(first.approvals).toHaveLength(2);
    const second = await call(stack.baseUrl, 'GET', `/api/approvals?limit=2&cursor=${first.next_cursor}`);
    expect(second.status).toBe(200);
    expect(second.body.next_cursor).toBeUndefined();
    const all = [...first.approvals, ...second.body.approvals];
    expect(all.map((a: { amount: number }) => a.amount)).toEqual([6000, 9000, 7000]);

    const byAmount = await call(stack.baseUrl, 'GET', '/api/approvals?sort=amount&min_amount=6500');
    expect(byAmount.body).toMatchObject({ total: 2, approvals: [{ amount: 9000 }, { amount: 7000 }] });
    const alices = await call(stack.baseUrl, 'GET', '/api/approvals?requester=alice');
    expect(alices.body.approvals.map((a: { requested_by: string }) => a.requested_by)).toEqual(['alice']);
    // Four eyes: default_user may approve only alice's transfer.
    const mine = await call(stack.baseUrl, 'GET', '/api/approvals?can_decide=true&decider=default_user');
    expect(mine.body).toMatchObject({ total: 1, approvals: [{ requested_by: 'alice' }] });
  });

  it.each([
    ['limit=0', 'limit'],
    ['sort=loudest', 'sort'],
    ['min_amount=abc', 'min_amount'],
    ['max_age=soon', 'max_age'],
    ['cursor=bm9wZQ', 'cursor'],
    ['can_decide=true', 'decider'],
  ])('answers 400 naming the field for ?%s', async (query, field) => {
    const res = await call(stack.baseUrl, 'GET', `/api/approvals?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toContain(field);
  });
});
