/** Changes made through this gateway laid over a listing that may be older than them. */
import { describe, expect, it } from 'vitest';
import { listedIsAhead, withOwnChanges } from '../../gateway/approvals/inbox-overlay.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { transferApproval } from '../support/views.js';

const vote = (by: string) => ({ by, verdict: 'approve' as const, at: '2026-12-01T12:00:00.000Z' });
const handOver = (to: string) => ({
  from: 'carol',
  to,
  to_kind: 'person' as const,
  groups: ['approvers'],
  reason: 'away',
  at: '2026-12-01T12:00:00.000Z',
});
const record = (over: Partial<ApprovalRecord> = {}) => transferApproval({ approval_id: 'req-1.transfer', ...over });

describe('listedIsAhead', () => {
  it.each<[string, Partial<ApprovalRecord>, Partial<ApprovalRecord>, boolean]>([
    ['the same record', {}, {}, false],
    ['a vote made here that visibility has not seen', { decisions: [vote('carol')] }, {}, false],
    [
      'a vote made elsewhere after ours',
      { decisions: [vote('carol')] },
      { decisions: [vote('carol'), vote('dave')] },
      true,
    ],
    ['a hand-over made here that visibility has not seen', { delegations: [handOver('erin')] }, {}, false],
    ['an edit made here: votes on the old action no longer count', { edits: 1 }, { decisions: [vote('carol')] }, false],
    ['an edit made elsewhere after our vote', { decisions: [vote('carol')] }, { edits: 1 }, true],
    [
      'a hand-over made elsewhere after our vote',
      { decisions: [vote('carol')] },
      { delegations: [handOver('erin')] },
      true,
    ],
  ])('%s', (_, own, listed, ahead) => {
    expect(listedIsAhead(record(own), record(listed))).toBe(ahead);
  });
});

describe('withOwnChanges', () => {
  const listed = [record(), record({ approval_id: 'req-2.transfer' })];
  it.each<[string, ApprovalRecord[], string[], number | undefined]>([
    ['nothing changed here', [], ['req-1.transfer', 'req-2.transfer'], undefined],
    ['decided here: gone', [record({ status: 'approved' })], ['req-2.transfer'], undefined],
    ['cancelled here: gone', [record({ status: 'cancelled' })], ['req-2.transfer'], undefined],
    ['edited here: shown as edited', [record({ edits: 1, amount: 5000 })], ['req-1.transfer', 'req-2.transfer'], 5000],
    [
      'changed here but not listed (its run no longer waits): not shown',
      [record({ approval_id: 'req-3.transfer' })],
      ['req-1.transfer', 'req-2.transfer'],
      undefined,
    ],
  ])('%s', (_, own, expectedIds, firstAmount) => {
    const records = withOwnChanges(listed, new Map(own.map((r) => [r.approval_id, r])));
    expect(records.map((r) => r.approval_id)).toEqual(expectedIds);
    if (firstAmount !== undefined) expect(records[0]?.amount).toBe(firstAmount);
  });
});
