/** The inbox's filters, sorts, cursor and total, as tables over fixed approval records. */
import { describe, expect, it } from 'vitest';
import { inboxPage, InboxQuerySchema, type InboxCaller } from '../../gateway/approvals/inbox.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { transferApproval } from '../support/views.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

function approval(n: number, over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return transferApproval({
    approval_id: `req-${n}.transfer`,
    workflow_id: `req-${n}`,
    requested_at: hoursAgo(n),
    expires_at: new Date(NOW + (10 - n) * 3_600_000).toISOString(),
    ...over,
  });
}

// req-1 newest (1 h) ... req-5 oldest (5 h); amounts differ; one job application and one of alice's.
const RECORDS: ApprovalRecord[] = [
  approval(1, { amount: 6000, amount_cents: 600_000 }),
  approval(2, { amount: 9000, amount_cents: 900_000, requested_by: 'alice' }),
  approval(3, {
    tool: 'job_submit',
    risk_level: 'L3',
    amount: undefined,
    amount_cents: undefined,
    recipient: undefined,
  }),
  approval(4, { amount: 5000, amount_cents: 500_000, expires_at: new Date(NOW + 30 * 60_000).toISOString() }),
  approval(5, { amount: 7500.5, amount_cents: 750_050 }),
  approval(6, { status: 'approved' }),
];

const anonymous: InboxCaller = { identity: { kind: 'anonymous' }, deciderId: undefined, groups: undefined };
const page = (query: Record<string, string>, caller: InboxCaller = anonymous) =>
  inboxPage(RECORDS, InboxQuerySchema.parse(query), caller, NOW);
const ids = (query: Record<string, string>, caller?: InboxCaller) =>
  page(query, caller).approvals.map((a) => a.workflow_id);

describe('inboxPage', () => {
  it.each([
    [{}, ['req-5', 'req-4', 'req-3', 'req-2', 'req-1']],
    [{ sort: 'newest' }, ['req-1', 'req-2', 'req-3', 'req-4', 'req-5']],
    [{ sort: 'deadline' }, ['req-4', 'req-5', 'req-3', 'req-2', 'req-1']],
    [{ sort: 'amount' }, ['req-2', 'req-5', 'req-1', 'req-4', 'req-3']],
    [{ tool: 'job_submit' }, ['req-3']],
    [{ requester: 'alice' }, ['req-2']],
    [{ min_amount: '6000' }, ['req-5', 'req-2', 'req-1']],
    [{ max_amount: '6000.00' }, ['req-4', 'req-1']],
    [{ min_amount: '5000', max_amount: '7500.50' }, ['req-5', 'req-4', 'req-1']],
    [{ min_age: '3h' }, ['req-5', 'req-4', 'req-3']],
    [{ max_age: '2h' }, ['req-2', 'req-1']],
    [{ escalated: 'true' }, []],
    [{ escalated: 'false', limit: '2' }, ['req-5', 'req-4']],
  ])('%j lists %j, oldest first unless sorted otherwise, never a decided approval', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it('counts every match in total and pages through them with the cursor, without repeats or gaps', () => {
    const first = page({ limit: '2', sort: 'amount' });
    expect(first.total).toBe(5);
    expect(first.approvals.map((a) => a.workflow_id)).toEqual(['req-2', 'req-5']);
    const second = page({ limit: '2', sort: 'amount', cursor: first.next_cursor! });
    expect(second.approvals.map((a) => a.workflow_id)).toEqual(['req-1', 'req-4']);
    const last = page({ limit: '2', sort: 'amount', cursor: second.next_cursor! });
    expect(last.approvals.map((a) => a.workflow_id)).toEqual(['req-3']);
    expect(last.next_cursor).toBeUndefined();
    expect(last.total).toBe(5);
  });

  it('keeps its place when an approval on an earlier page is decided between two pages', () => {
    const first = page({ limit: '2' });
    const later = RECORDS.filter((a) => a.workflow_id !== 'req-5');
    const second = inboxPage(later, InboxQuerySchema.parse({ limit: '2', cursor: first.next_cursor }), anonymous, NOW);
    expect(second.approvals.map((a) => a.workflow_id)).toEqual(['req-3', 'req-2']);
  });

  it('with can_decide, lists only what the decider may approve now (four eyes, role)', () => {
    const manager = { ...anonymous, deciderId: 'manager@bank.com' };
    expect(ids({ can_decide: 'true' }, manager)).toEqual(['req-5', 'req-4', 'req-3', 'req-2', 'req-1']);
    const self = { ...anonymous, deciderId: 'default_user' };
    expect(ids({ can_decide: 'true' }, self)).toEqual(['req-3', 'req-2']);
    expect(ids({ can_decide: 'false' }, self)).toEqual(['req-5', 'req-4', 'req-1']);
    const requester: InboxCaller = {
      identity: { kind: 'token', user_id: 'bob', role: 'requester' },
      deciderId: 'bob',
      groups: undefined,
    };
    expect(ids({ can_decide: 'true' }, requester)).toEqual([]);
  });

  it('with can_decide, follows the stage of the policy: the group deciding now, and no second vote', () => {
    const staged = transferApproval({
      approval_id: 'req-9.transfer',
      workflow_id: 'req-9',
      requested_at: hoursAgo(1),
      expires_at: new Date(NOW + 3_600_000).toISOString(),
      stages: [{ group: 'managers', count: 2, approved_by: ['carol'] }],
      current_stage: 0,
      requester_may_approve: false,
    });
    const caller = (id: string, groups?: string[]): InboxCaller => ({
      identity: { kind: 'token', user_id: id, role: 'approver', groups },
      deciderId: id,
      groups,
    });
    const decide = (c: InboxCaller) =>
      inboxPage([staged], InboxQuerySchema.parse({ can_decide: 'true' }), c, NOW).total;
    expect(decide(caller('dave', ['managers']))).toBe(1);
    expect(decide(caller('dave', ['tellers']))).toBe(0);
    expect(decide(caller('carol', ['managers']))).toBe(0);
  });

  it('reads escalation from the record: the escalated filter and can_decide for the escalation group', () => {
    const stage = {
      expires_at: new Date(NOW + 3_600_000).toISOString(),
      stages: [{ group: 'approvers', count: 1, approved_by: [] }],
      current_stage: 0,
      requester_may_approve: false,
    };
    const waiting = transferApproval({
      approval_id: 'req-7.transfer',
      workflow_id: 'req-7',
      requested_at: hoursAgo(2),
      ...stage,
    });
    const escalated = transferApproval({
      approval_id: 'req-8.transfer',
      workflow_id: 'req-8',
      requested_at: hoursAgo(1),
      ...stage,
      escalated_to: 'managers',
      escalated_at: hoursAgo(0.5),
    });
    const page = (query: Record<string, string>, caller: InboxCaller = anonymous) =>
      inboxPage([waiting, escalated], InboxQuerySchema.parse(query), caller, NOW).approvals.map((a) => a.approval_id);
    expect(page({ escalated: 'true' })).toEqual(['req-8.transfer']);
    expect(page({ escalated: 'false' })).toEqual(['req-7.transfer']);
    const manager: InboxCaller = {
      identity: { kind: 'token', user_id: 'dave', role: 'approver', groups: ['managers'] },
      deciderId: 'dave',
      groups: ['managers'],
    };
    expect(page({ can_decide: 'true' }, manager)).toEqual(['req-8.transfer']);
  });
});

describe('InboxQuerySchema', () => {
  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ sort: 'random' }, 'sort'],
    [{ tool: 'rm_rf' }, 'tool'],
    [{ min_amount: '12.345' }, 'min_amount'],
    [{ min_amount: '-1' }, 'min_amount'],
    [{ min_amount: '10', max_amount: '5' }, 'min_amount'],
    [{ min_age: 'yesterday' }, 'min_age'],
    [{ min_age: '2d', max_age: '1h' }, 'min_age'],
    [{ escalated: 'yes' }, 'escalated'],
    [{ can_decide: '1' }, 'can_decide'],
    [{ colour: 'red' }, 'colour'],
  ])('refuses %j, naming %s', (query, field) => {
    const result = InboxQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.') || i.message).join(' ')).toContain(field);
  });

  it.each([
    ['garbage', /not a cursor/],
    [Buffer.from(JSON.stringify(['amount', 'x'])).toString('base64url'), /made for sort=amount/],
  ])('refuses the cursor %s', (cursor, message) => {
    expect(() => page({ cursor })).toThrow(message);
  });

  it('needs a decider for can_decide when auth is off', () => {
    expect(() => page({ can_decide: 'true' })).toThrow(/decider/);
  });
});
