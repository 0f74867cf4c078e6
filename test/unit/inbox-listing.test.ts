/** The inbox's shared listing: one read for concurrent callers, kept ttlMs, dropped on a decision made here, errors never kept. */
import { describe, expect, it } from 'vitest';
import { InboxListing } from '../../src/gateway/approvals/inbox-listing.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { transferApproval } from '../support/views.js';

const pending = (n: number, over: Partial<ApprovalRecord> = {}) => transferApproval({ approval_id: `req-${n}.transfer`, workflow_id: `req-${n}`, ...over });

/** A visibility stand-in: counts reads, answers each one when the test says so. */
function fakeVisibility(records: () => ApprovalRecord[]) {
  const reads: { userId: string | undefined; resolve: () => void; reject: (err: Error) => void }[] = [];
  const read = (userId: string | undefined) =>
    new Promise<ApprovalRecord[]>((resolve, reject) => {
      reads.push({ userId, resolve: () => resolve(records()), reject });
    });
  return { read, reads };
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('InboxListing', () => {
  it('gives concurrent callers one read of visibility', async () => {
    const visibility = fakeVisibility(() => [pending(1), pending(2)]);
    const listing = new InboxListing(visibility.read, { ttlMs: 1000, now: clock().now });
    const callers = Promise.all([listing.records(undefined), listing.records(undefined), listing.records(undefined)]);
    expect(visibility.reads).toHaveLength(1);
    visibility.reads[0]!.resolve();
    const answers = await callers;
    expect(answers.map((a) => a.map((r) => r.approval_id))).toEqual(Array(3).fill(['req-1.transfer', 'req-2.transfer']));
  });

  it('serves one listing for ttlMs after it returned, then reads again', async () => {
    const time = clock();
    let listed = [pending(1)];
    const visibility = fakeVisibility(() => listed);
    const listing = new InboxListing(visibility.read, { ttlMs: 1000, now: time.now });
    const first = listing.records(undefined);
    time.advance(700); // a slow read: the listing's second starts when it returns
    visibility.reads[0]!.resolve();
    await first;
    listed = [pending(1), pending(2)];
    time.advance(999);
    expect(await listing.records(undefined)).toHaveLength(1);
    expect(visibility.reads).toHaveLength(1);
    time.advance(1);
    const again = listing.records(undefined);
    expect(visibility.reads).toHaveLength(2);
    visibility.reads[1]!.resolve();
    expect(await again).toHaveLength(2);
  });

  it('keeps one listing per requester narrowing, never one caller answer for another', async () => {
    const visibility = fakeVisibility(() => [pending(1)]);
    const listing = new InboxListing(visibility.read, { ttlMs: 1000, now: clock().now });
    const all = listing.records(undefined);
    const alices = listing.records('alice');
    const bobs = listing.records('bob');
    expect(visibility.reads.map((r) => r.userId)).toEqual([undefined, 'alice', 'bob']);
    for (const read of visibility.reads) read.resolve();
    await Promise.all([all, alices, bobs]);
  });

  it('does not keep a failed read: the next caller reads visibility again', async () => {
    const visibility = fakeVisibility(() => [pending(1)]);
    const listing = new InboxListing(visibility.read, { ttlMs: 1000, now: clock().now });
    const failing = [listing.records(undefined), listing.records(undefined)];
    visibility.reads[0]!.reject(new Error('visibility unavailable'));
    for (const caller of failing) await expect(caller).rejects.toThrow('visibility unavailable');
    const retried = listing.records(undefined);
    expect(visibility.reads).toHaveLength(2);
    visibility.reads[1]!.resolve();
    expect(await retried).toHaveLength(1);
  });

  it('with ttlMs 0 reads for every request after the last one returned', async () => {
    const visibility = fakeVisibility(() => [pending(1)]);
    const listing = new InboxListing(visibility.read, { ttlMs: 0, now: clock().now });
    const first = listing.records(undefined);
    visibility.reads[0]!.resolve();
    await first;
    const second = listing.records(undefined);
    expect(visibility.reads).toHaveLength(2);
    visibility.reads[1]!.resolve();
    await second;
  });

  it('drops the kept listing on a decision made here, and shows the decision however far visibility lags', async () => {
    const time = clock();
    // Visibility lags: it lists req-1 as pending long after it was decided.
    const visibility = fakeVisibility(() => [pending(1), pending(2)]);
    const listing = new InboxListing(visibility.read, { ttlMs: 1000, overlayMs: 5000, now: time.now });
    const first = listing.records(undefined);
    visibility.reads[0]!.resolve();
    expect(await first).toHaveLength(2);

    listing.noteDecision(pending(1, { status: 'approved', decided_by: 'carol' }));
    const afterDecision = listing.records(undefined);
    expect(visibility.reads).toHaveLength(2);
    visibility.reads[1]!.resolve();
    expect((await afterDecision).map((r) => r.approval_id)).toEqual(['req-2.transfer']);

    time.advance(5000); // past the overlay: what visibility says counts again
    const later = listing.records(undefined);
    visibility.reads[2]!.resolve();
    expect(await later).toHaveLength(2);
  });

  it('shows a vote that only counted towards a stage until visibility has caught up with it', async () => {
    const vote = { by: 'carol', verdict: 'approve' as const, at: '2026-12-01T12:00:00.000Z' };
    let listed = [pending(1, { decisions: [] })];
    const visibility = fakeVisibility(() => listed);
    const listing = new InboxListing(visibility.read, { ttlMs: 1000, now: clock().now });
    listing.noteDecision(pending(1, { decisions: [vote], progress: '1 of 2' }));
    const lagging = listing.records(undefined);
    visibility.reads[0]!.resolve();
    expect((await lagging)[0]?.progress).toBe('1 of 2');

    listing.noteDecision(pending(1, { decisions: [vote], progress: '1 of 2' }));
    listed = [pending(1, { decisions: [vote, { ...vote, by: 'dave' }], progress: '2 of 2' })];
    const caughtUp = listing.records(undefined);
    visibility.reads[1]!.resolve();
    expect((await caughtUp)[0]?.progress).toBe('2 of 2');
  });
});
