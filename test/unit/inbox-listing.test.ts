/** The inbox's shared listing: one read for concurrent callers, served while young, renewed before it is old, errors never kept. */
import { describe, expect, it, vi } from 'vitest';
import { InboxListing, type InboxListingOptions } from '../../gateway/approvals/inbox-listing.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { transferApproval } from '../support/views.js';

const pending = (n: number, over: Partial<ApprovalRecord> = {}) =>
  transferApproval({ approval_id: `req-${n}.transfer`, workflow_id: `req-${n}`, ...over });

/** A visibility stand-in: counts reads, answers each one when the test says so. */
function fakeVisibility(records: () => ApprovalRecord[]) {
  const reads: { resolve: () => void; reject: (err: Error) => void }[] = [];
  const read = () =>
    new Promise<ApprovalRecord[]>((resolve, reject) => {
      reads.push({ resolve: () => resolve(records()), reject });
    });
  return { read, reads };
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const ids = (answer: { records: ApprovalRecord[] }) => answer.records.map((r) => r.approval_id);

function setup(listed: () => ApprovalRecord[], options: Partial<InboxListingOptions> = {}) {
  const time = clock();
  const visibility = fakeVisibility(listed);
  const listing = new InboxListing(visibility.read, { refreshMs: 1000, maxAgeMs: 10_000, now: time.now, ...options });
  /** The first listing, read and answered. */
  const loaded = async () => {
    const first = listing.records(undefined);
    visibility.reads.at(-1)!.resolve();
    return first;
  };
  return { time, visibility, listing, loaded };
}

describe('InboxListing', () => {
  it('gives concurrent callers one read of visibility', async () => {
    const { visibility, listing } = setup(() => [pending(1), pending(2)]);
    const callers = Promise.all([listing.records(undefined), listing.records(undefined), listing.records(undefined)]);
    expect(visibility.reads).toHaveLength(1);
    visibility.reads[0]!.resolve();
    expect((await callers).map(ids)).toEqual(Array(3).fill(['req-1.transfer', 'req-2.transfer']));
  });

  it('serves a young listing without reading, an older one while it is renewed, and waits past maxAgeMs', async () => {
    let listed = [pending(1)];
    const { time, visibility, listing, loaded } = setup(() => listed);
    expect((await loaded()).listedAt).toBe(1_000_000);
    listed = [pending(1), pending(2)];

    time.advance(999);
    expect(ids(await listing.records(undefined))).toEqual(['req-1.transfer']);
    expect(visibility.reads).toHaveLength(1);

    time.advance(1); // refreshMs old: answered from it at once, renewed behind the answer
    expect(ids(await listing.records(undefined))).toEqual(['req-1.transfer']);
    expect(visibility.reads).toHaveLength(2);
    expect(ids(await listing.records(undefined))).toEqual(['req-1.transfer']);
    expect(visibility.reads).toHaveLength(2); // the renewal under way is shared
    visibility.reads[1]!.resolve();
    await vi.waitFor(async () => expect(ids(await listing.records(undefined))).toHaveLength(2));

    time.advance(10_000); // maxAgeMs old: never served, the caller waits for the new read
    const waiting = listing.records(undefined);
    expect(visibility.reads).toHaveLength(3);
    visibility.reads[2]!.resolve();
    expect((await waiting).listedAt).toBe(1_011_000);
  });

  it('with maxAgeMs 0 reads for every request that finds no read under way', async () => {
    const { visibility, listing, loaded } = setup(() => [pending(1)], { refreshMs: 0, maxAgeMs: 0 });
    await loaded();
    const second = listing.records(undefined);
    expect(visibility.reads).toHaveLength(2);
    visibility.reads[1]!.resolve();
    await second;
  });

  it("narrows one listing to a requester's own runs", async () => {
    const { listing, loaded } = setup(() => [
      pending(1, { requested_by: 'alice' }),
      pending(2, { requested_by: 'bob' }),
      pending(3, { requested_by: 'alice' }),
    ]);
    await loaded();
    expect(ids(await listing.records('alice'))).toEqual(['req-1.transfer', 'req-3.transfer']);
    expect(ids(await listing.records('carol'))).toEqual([]);
  });

  it('does not keep a failed read: the next caller reads visibility again', async () => {
    const { visibility, listing } = setup(() => [pending(1)]);
    const failing = [listing.records(undefined), listing.records(undefined)];
    visibility.reads[0]!.reject(new Error('visibility unavailable'));
    for (const caller of failing) await expect(caller).rejects.toThrow('visibility unavailable');
    const retried = listing.records(undefined);
    expect(visibility.reads).toHaveLength(2);
    visibility.reads[1]!.resolve();
    expect(ids(await retried)).toHaveLength(1);
  });

  it('lays a change made here over a listing read before it, until a listing shows it further along', async () => {
    const vote = { by: 'carol', verdict: 'approve' as const, at: '2026-12-01T12:00:00.000Z' };
    let listed = [pending(1, { decisions: [] }), pending(2)];
    const { time, visibility, listing, loaded } = setup(() => listed);
    await loaded();

    listing.noteChange(pending(1, { decisions: [vote], progress: '1 of 2' }));
    listing.noteChange(pending(2, { status: 'approved', decided_by: 'carol' }));
    const served = await listing.records(undefined);
    expect(visibility.reads).toHaveLength(1); // a change made here costs no read
    expect(served.records.map((r) => [r.approval_id, r.progress])).toEqual([['req-1.transfer', '1 of 2']]);

    listed = [pending(1, { decisions: [vote, { ...vote, by: 'dave' }], progress: '2 of 2' }), pending(2)];
    time.advance(1000);
    await listing.records(undefined);
    visibility.reads[1]!.resolve();
    await vi.waitFor(async () =>
      expect((await listing.records(undefined)).records.map((r) => r.progress)).toEqual(['2 of 2']),
    );
  });

  it('forgets a change made here once visibility has had overlayMs to catch up', async () => {
    const { time, visibility, listing, loaded } = setup(() => [pending(1)], { overlayMs: 5000 });
    await loaded();
    listing.noteChange(pending(1, { status: 'rejected' }));
    expect(ids(await listing.records(undefined))).toEqual([]);
    time.advance(5000);
    const later = listing.records(undefined);
    visibility.reads[1]!.resolve();
    await later;
    await vi.waitFor(async () => expect(ids(await listing.records(undefined))).toEqual(['req-1.transfer']));
  });

  describe('kept warm', () => {
    it('reads at start and again refreshMs after each read, and pages never read', async () => {
      const visibility = fakeVisibility(() => [pending(1)]);
      const primed: { ids: string[]; warming: boolean }[] = [];
      const listing: InboxListing = new InboxListing(visibility.read, {
        refreshMs: 5,
        maxAgeMs: 60_000,
        onFirstListing: (records) => primed.push({ ids: records.map((r) => r.approval_id), warming: listing.warming }),
      });
      const started = listing.start();
      expect(listing.warming).toBe(true);
      visibility.reads[0]!.resolve();
      await started;
      expect(listing.warming).toBe(false);
      expect(primed).toEqual([{ ids: ['req-1.transfer'], warming: true }]);
      await vi.waitFor(() => expect(visibility.reads).toHaveLength(2));
      // Past refreshMs with the next read under way: the page is served the kept listing.
      expect(ids(await listing.records(undefined))).toEqual(['req-1.transfer']);
      expect(visibility.reads).toHaveLength(2);
      visibility.reads[1]!.resolve();
      await vi.waitFor(() => expect(visibility.reads).toHaveLength(3));
      listing.close();
      visibility.reads[2]!.resolve();
      await new Promise((resolve) => setImmediate(resolve));
      expect(visibility.reads).toHaveLength(3);
    });

    it('keeps serving the last listing when background reads fail, tells of the outage once, and reads on', async () => {
      const failures: unknown[] = [];
      const visibility = fakeVisibility(() => [pending(1)]);
      const listing = new InboxListing(visibility.read, {
        refreshMs: 5,
        maxAgeMs: 60_000,
        onReadError: (err) => failures.push(err),
      });
      const started = listing.start();
      visibility.reads[0]!.resolve();
      await started;
      await vi.waitFor(() => expect(visibility.reads).toHaveLength(2));
      visibility.reads[1]!.reject(new Error('visibility unavailable'));
      await vi.waitFor(() => expect(visibility.reads).toHaveLength(3));
      visibility.reads[2]!.reject(new Error('visibility unavailable'));
      await vi.waitFor(() => expect(visibility.reads).toHaveLength(4));
      expect(failures).toHaveLength(1); // one outage, told once
      expect(ids(await listing.records(undefined))).toEqual(['req-1.transfer']);
      listing.close();
    });
  });
});
