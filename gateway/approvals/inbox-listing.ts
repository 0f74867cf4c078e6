/**
 * The inbox's raw records: one visibility list of every pending approval, kept and shared by every
 * caller (a requester's view is the same listing filtered to their runs). Reading it costs about a
 * second with a thousand runs waiting, so no page waits for it while a kept listing is young
 * enough: once `refreshMs` old it is renewed (in the background when kept warm, else by the
 * request that finds it old, which is still answered from it), and a listing older than `maxAgeMs`
 * is never served (the request waits for a new read). Changes made through this gateway are laid
 * over every listing (inbox-overlay.ts), so whoever made one sees it on their next page.
 */
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { withOwnChanges } from './inbox-overlay.js';

/** Reads every pending approval from visibility. */
export type ReadListing = () => Promise<ApprovalRecord[]>;

export interface InboxListingOptions {
  /** A listing this old is renewed; with 0 every request renews it. */
  refreshMs: number;
  /**
   * The oldest listing served (from when its read began); 0: every request waits for its own read
   * (concurrent ones share).
   */
  maxAgeMs: number;
  /** How long a change made here is laid over listings; visibility's lag, generously, past `maxAgeMs`. */
  overlayMs?: number;
  now?: () => number;
  /**
   * Told of the first failed background read after a good one (once an outage, not every read); the
   * last listing is served until it is `maxAgeMs` old.
   */
  onReadError?: (err: unknown) => void;
  /** Given the first listing a warm start read, before the listing stops `warming`. */
  onFirstListing?: (records: readonly ApprovalRecord[]) => void;
}

export interface Listing {
  records: readonly ApprovalRecord[];
  /** When the read began (epoch ms): nothing changed before then is missing, visibility's lag aside. */
  readAt: number;
}

const VISIBILITY_LAG_MS = 10_000;

export class InboxListing {
  readonly #own = new Map<string, { record: ApprovalRecord; at: number }>();
  readonly #refreshMs: number;
  readonly #maxAgeMs: number;
  readonly #overlayMs: number;
  readonly #now: () => number;
  readonly #onReadError: (err: unknown) => void;
  readonly #onFirstListing: (records: readonly ApprovalRecord[]) => void;
  #current: Listing | undefined;
  #reading: Promise<Listing> | undefined;
  #reads = 0;
  #timer: NodeJS.Timeout | undefined;
  #warm = false;
  #firstRead: Promise<void> | undefined;
  #firstReadEnded = false;
  #failing = false;

  constructor(
    private readonly read: ReadListing,
    options: InboxListingOptions,
  ) {
    this.#refreshMs = options.refreshMs;
    this.#maxAgeMs = options.maxAgeMs;
    this.#overlayMs = options.overlayMs ?? options.maxAgeMs + VISIBILITY_LAG_MS;
    this.#now = options.now ?? Date.now;
    this.#onReadError = options.onReadError ?? (() => undefined);
    this.#onFirstListing = options.onFirstListing ?? (() => undefined);
  }

  /**
   * The pending approvals (of `userId`'s runs only, when given) as this gateway knows them, and
   * when they were listed.
   */
  async records(userId: string | undefined): Promise<{ records: ApprovalRecord[]; listedAt: number }> {
    const listing = await this.#servable();
    const records = withOwnChanges(listing.records, this.#ownRecords());
    return {
      records: userId === undefined ? records : records.filter((r) => r.requested_by === userId),
      listedAt: listing.readAt,
    };
  }

  /** A change made through this gateway (decision, hand-over, edit, cancel): the record as the run answered it. */
  noteChange(record: ApprovalRecord): void {
    this.#own.set(record.approval_id, { record, at: this.#now() });
  }

  /**
   * Keeps the listing warm: reads it now and again `refreshMs` after each read ends, so pages are
   * served from a listing at most `refreshMs` plus one read old. Resolves once the first read ended.
   */
  start(): Promise<void> {
    if (this.#warm) return this.#firstRead ?? Promise.resolve();
    this.#warm = true;
    this.#firstRead = this.#backgroundRead().finally(() => {
      try {
        if (this.#current) this.#onFirstListing(this.#current.records);
      } finally {
        this.#firstReadEnded = true;
      }
    });
    return this.#firstRead;
  }

  /** Stops the background reads; pages still read on demand. */
  close(): void {
    this.#warm = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Reads visibility now (or joins the read under way) and keeps what it read. */
  renew(): Promise<Listing> {
    return this.#renew();
  }

  /** Kept warm and its first read not ended yet (a failed one ends it too: the inbox then reads on demand). */
  get warming(): boolean {
    return this.#warm && !this.#firstReadEnded;
  }

  /** The kept listing, without reading: for tests. */
  get current(): Listing | undefined {
    return this.#current;
  }

  /** How many visibility reads began, for tests and the bench. */
  get reads(): number {
    return this.#reads;
  }

  async #backgroundRead(): Promise<void> {
    try {
      await this.#renew();
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) this.#onReadError(err);
      this.#failing = true;
    }
    if (!this.#warm) return;
    this.#timer = setTimeout(() => void this.#backgroundRead(), this.#refreshMs);
    this.#timer.unref();
  }

  #servable(): Promise<Listing> {
    const current = this.#current;
    const age = current === undefined ? Infinity : this.#now() - current.readAt;
    if (current === undefined || age >= this.#maxAgeMs) return this.#renew();
    // Warm listings are renewed on their own schedule; a request renews only one nobody keeps warm.
    if (!this.#warm && age >= this.#refreshMs) this.#renew().catch(this.#onReadError);
    return Promise.resolve(current);
  }

  /** One read at a time: whoever asks while one runs shares it. */
  #renew(): Promise<Listing> {
    if (this.#reading) return this.#reading;
    const readAt = this.#now();
    this.#reads += 1;
    const reading = this.read().then((records) => {
      const listing = { records, readAt };
      if (!this.#current || this.#current.readAt <= readAt) this.#current = listing;
      this.#forgetOldChanges();
      return listing;
    });
    this.#reading = reading;
    const done = () => {
      if (this.#reading === reading) this.#reading = undefined;
    };
    reading.then(done, done);
    return reading;
  }

  #forgetOldChanges(): void {
    const now = this.#now();
    for (const [id, own] of this.#own) if (now - own.at >= this.#overlayMs) this.#own.delete(id);
  }

  #ownRecords(): Map<string, ApprovalRecord> {
    this.#forgetOldChanges();
    return new Map([...this.#own].map(([id, own]) => [id, own.record]));
  }
}
