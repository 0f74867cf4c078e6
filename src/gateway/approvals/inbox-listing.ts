/**
 * The inbox's raw records, read once and shared. Every caller within `ttlMs` gets the same listing
 * (one visibility list for many concurrent first pages); it holds raw approval records only, so who
 * may see or decide what is still worked out per caller afterwards. Visibility lags behind the runs
 * anyway, so a listing a second old says nothing less true than a fresh one, except about decisions
 * this gateway just made: those are laid over every listing for a while, so whoever decided sees
 * their decision at once however far visibility lags.
 */
import type { ApprovalRecord } from '../../shared/contracts.js';

/** Reads one listing: every pending approval, or only those of one requester's runs. */
export type ReadListing = (userId: string | undefined) => Promise<ApprovalRecord[]>;

export interface InboxListingOptions {
  /** How long one listing is served; 0 reads visibility for every request (concurrent ones still share). */
  ttlMs: number;
  /** How long a decision made here is laid over listings (at least `ttlMs`): visibility's lag, generously. */
  overlayMs?: number;
  now?: () => number;
}

interface Entry {
  readAt: number;
  records: Promise<ApprovalRecord[]>;
  settled: boolean;
}

interface Decided {
  record: ApprovalRecord;
  at: number;
}

const DEFAULT_OVERLAY_MS = 10_000;
const ALL = '\u0000all';

export class InboxListing {
  readonly #entries = new Map<string, Entry>();
  readonly #decided = new Map<string, Decided>();
  readonly #ttlMs: number;
  readonly #overlayMs: number;
  readonly #now: () => number;

  constructor(
    private readonly read: ReadListing,
    options: InboxListingOptions,
  ) {
    this.#ttlMs = options.ttlMs;
    this.#overlayMs = Math.max(options.overlayMs ?? DEFAULT_OVERLAY_MS, options.ttlMs);
    this.#now = options.now ?? Date.now;
  }

  /** The pending approvals (of `userId`'s runs only, when given), with this gateway's own decisions applied. */
  async records(userId: string | undefined): Promise<ApprovalRecord[]> {
    const listed = await this.#listing(userId ?? ALL);
    return this.#withOwnDecisions(listed);
  }

  /**
   * A decision this gateway made: the record as the run answered it. Cached listings are dropped
   * (the next caller reads visibility again) and the record overrides what visibility still says.
   */
  noteDecision(record: ApprovalRecord): void {
    const at = this.#now();
    this.#decided.set(record.approval_id, { record, at });
    this.#entries.clear();
  }

  #listing(key: string): Promise<ApprovalRecord[]> {
    const now = this.#now();
    this.#forgetExpired(now);
    const entry = this.#entries.get(key);
    if (entry) return entry.records;
    const fresh: Entry = { readAt: now, records: this.read(key === ALL ? undefined : key), settled: false };
    this.#entries.set(key, fresh);
    fresh.records.then(
      () => {
        fresh.settled = true;
        // A listing is fresh from when it returns: a slow read is not served as already stale.
        fresh.readAt = this.#now();
        if (this.#ttlMs === 0 && this.#entries.get(key) === fresh) this.#entries.delete(key);
      },
      // A failed read is never served again: the next caller tries visibility itself.
      () => {
        if (this.#entries.get(key) === fresh) this.#entries.delete(key);
      },
    );
    return fresh.records;
  }

  #forgetExpired(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.settled && now - entry.readAt >= this.#ttlMs) this.#entries.delete(key);
    }
    for (const [id, decided] of this.#decided) {
      if (now - decided.at >= this.#overlayMs) this.#decided.delete(id);
    }
  }

  #withOwnDecisions(listed: readonly ApprovalRecord[]): ApprovalRecord[] {
    if (this.#decided.size === 0) return [...listed];
    const records: ApprovalRecord[] = [];
    for (const listedRecord of listed) {
      const own = this.#decided.get(listedRecord.approval_id)?.record;
      if (!own) records.push(listedRecord);
      else if (own.status === 'pending') records.push(newerOf(own, listedRecord));
      // Decided here and no longer pending: gone from the inbox, whatever visibility still lists.
    }
    return records;
  }
}

/** Of two records of one pending approval, the one that has seen more decisions (votes only accrue). */
function newerOf(own: ApprovalRecord, listed: ApprovalRecord): ApprovalRecord {
  return (listed.decisions?.length ?? 0) > (own.decisions?.length ?? 0) ? listed : own;
}
