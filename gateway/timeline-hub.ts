/**
 * One timeline poller per workflow, shared by every SSE client following it. Polls the `timeline`
 * query (queries write no history) and stops as soon as nobody listens or the run's final event
 * has been seen, so no timer outlives its last subscriber.
 */
import { FINAL_TIMELINE_EVENTS, type TimelineEvent } from '../src/shared/contracts.js';

export type TimelineFetch = (workflowId: string, afterSeq: number) => Promise<TimelineEvent[]>;

export interface TimelineHubOptions {
  /** Time between polls of one workflow's timeline. */
  pollMs: number;
  /** Where poll failures after the first are reported. */
  onPollError?: (workflowId: string, err: unknown) => void;
}

/** One client's view of a poller: events after its own cursor, in order, then the end. */
export interface TimelineSubscription {
  /** The next events (at least one), or null once the timeline is over or the poller stopped. */
  next(): Promise<TimelineEvent[] | null>;
  close(): void;
}

export function isFinalEvent(event: TimelineEvent): boolean {
  return FINAL_TIMELINE_EVENTS.includes(event.event);
}

class Subscriber implements TimelineSubscription {
  private queue: TimelineEvent[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    private cursor: number,
    private readonly onClose: (s: Subscriber) => void,
  ) {}

  push(events: readonly TimelineEvent[]): void {
    const fresh = events.filter((e) => e.seq > this.cursor);
    if (fresh.length === 0) return;
    this.cursor = fresh.at(-1)!.seq;
    this.queue.push(...fresh);
    this.signal();
  }

  end(): void {
    this.ended = true;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async next(): Promise<TimelineEvent[] | null> {
    while (this.queue.length === 0) {
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    const batch = this.queue;
    this.queue = [];
    return batch;
  }

  close(): void {
    this.queue = [];
    this.end();
    this.onClose(this);
  }
}

class Poller {
  readonly events: TimelineEvent[] = [];
  readonly subscribers = new Set<Subscriber>();
  finished = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly workflowId: string,
    private readonly fetch: TimelineFetch,
    private readonly options: TimelineHubOptions,
    private readonly onStop: (p: Poller) => void,
  ) {}

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** The first fetch: its failure (an unknown workflow) is the subscriber's to report. */
  async prime(): Promise<void> {
    this.absorb(await this.fetch(this.workflowId, 0));
    this.schedule();
  }

  private absorb(events: readonly TimelineEvent[]): void {
    const fresh = events.filter((e) => e.seq > this.lastSeq).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0) return;
    this.events.push(...fresh);
    for (const s of this.subscribers) s.push(fresh);
    if (fresh.some(isFinalEvent)) {
      this.finished = true;
      this.stop();
    }
  }

  private schedule(): void {
    if (this.stopped || this.finished) return;
    this.timer = setTimeout(() => void this.tick(), this.options.pollMs);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    try {
      this.absorb(await this.fetch(this.workflowId, this.lastSeq));
    } catch (err) {
      this.options.onPollError?.(this.workflowId, err);
    }
    this.schedule();
  }

  /** Stops polling and ends every subscriber (after it received what was already fetched). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const s of this.subscribers) s.end();
    this.onStop(this);
  }

  hasTimer(): boolean {
    return this.timer !== undefined;
  }
}

export class TimelineHub {
  private readonly pollers = new Map<string, { poller: Poller; ready: Promise<void> }>();

  constructor(
    private readonly fetch: TimelineFetch,
    private readonly options: TimelineHubOptions,
  ) {}

  /** Follows a workflow's timeline from after `afterSeq`; rejects when the first poll fails. */
  async subscribe(workflowId: string, afterSeq: number): Promise<TimelineSubscription> {
    let entry = this.pollers.get(workflowId);
    if (!entry) {
      const poller = new Poller(workflowId, this.fetch, this.options, (p) => {
        if (this.pollers.get(workflowId)?.poller === p) this.pollers.delete(workflowId);
      });
      const ready = poller.prime().catch((err: unknown) => {
        poller.stop();
        throw err;
      });
      entry = { poller, ready };
      this.pollers.set(workflowId, entry);
    }
    const { poller, ready } = entry;
    await ready;
    const subscriber = new Subscriber(afterSeq, (s) => {
      poller.subscribers.delete(s);
      if (poller.subscribers.size === 0) poller.stop();
    });
    subscriber.push(poller.events);
    if (poller.finished || !this.pollers.has(workflowId)) subscriber.end();
    else poller.subscribers.add(subscriber);
    return subscriber;
  }

  /** Pollers still running (for tests and metrics): zero once every client has gone. */
  activePollers(): number {
    return [...this.pollers.values()].filter((e) => e.poller.hasTimer() || e.poller.subscribers.size > 0).length;
  }

  /** Clients following a timeline over SSE right now. */
  subscriberCount(): number {
    return [...this.pollers.values()].reduce((sum, e) => sum + e.poller.subscribers.size, 0);
  }

  /** Ends every stream and stops every poller (gateway shutdown). */
  close(): void {
    for (const { poller } of [...this.pollers.values()]) poller.stop();
    this.pollers.clear();
  }
}
