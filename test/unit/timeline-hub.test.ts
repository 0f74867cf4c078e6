/** The shared timeline pollers: one per workflow, cursors per client, nothing left running. */
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../src/shared/contracts.js';
import { TimelineHub } from '../../gateway/timeline-hub.js';
import { waitFor } from '../../dev/ports.js';

/** A timeline that holds `initial` events and grows when the test appends. */
function fakeTimeline(...initial: TimelineEvent['event'][]) {
  const events: TimelineEvent[] = [];
  const calls: { id: string; after: number }[] = [];
  let failNext: Error | undefined;
  const append = (event: TimelineEvent['event']): void => {
    events.push({ seq: events.length + 1, event, message: event, timestamp: new Date().toISOString(), metadata: {} });
  };
  initial.forEach(append);
  return {
    events,
    calls,
    append,
    failWith(err: Error) {
      failNext = err;
    },
    fetch: async (id: string, after: number) => {
      calls.push({ id, after });
      if (failNext) {
        const err = failNext;
        failNext = undefined;
        throw err;
      }
      return events.filter((e) => e.seq > after);
    },
  };
}

describe('TimelineHub', () => {
  it('shares one poller among subscribers, each from its own cursor, and ends them at the final event', async () => {
    const t = fakeTimeline('plan_created', 'step_ready');
    const hub = new TimelineHub(t.fetch, { pollMs: 5 });
    const a = await hub.subscribe('wf', 0);
    const b = await hub.subscribe('wf', 1);
    expect(hub.activePollers()).toBe(1);
    expect((await a.next())!.map((e) => e.seq)).toEqual([1, 2]);
    expect((await b.next())!.map((e) => e.seq)).toEqual([2]);
    t.append('step_running');
    t.append('workflow_complete');
    expect((await a.next())!.map((e) => e.event)).toEqual(['step_running', 'workflow_complete']);
    expect((await b.next())!.map((e) => e.event)).toEqual(['step_running', 'workflow_complete']);
    expect(await a.next()).toBeNull();
    expect(await b.next()).toBeNull();
    expect(hub.activePollers()).toBe(0);
    expect(new Set(t.calls.map((c) => c.id))).toEqual(new Set(['wf']));
    // Every poll after the first asks only for what is new.
    expect(t.calls[0]!.after).toBe(0);
    expect(t.calls.slice(1).every((c) => c.after >= 2)).toBe(true);
  });

  it('stops polling when the last subscriber leaves', async () => {
    const t = fakeTimeline('plan_created');
    const hub = new TimelineHub(t.fetch, { pollMs: 5 });
    const a = await hub.subscribe('wf', 0);
    const b = await hub.subscribe('wf', 0);
    a.close();
    expect(hub.activePollers()).toBe(1);
    await waitFor(() => t.calls.length >= 3 || undefined);
    b.close();
    // No subscriber and no timer left: nothing can poll again.
    expect(hub.activePollers()).toBe(0);
    expect(await b.next()).toBeNull();
  });

  it('ends at once for a finished timeline and rejects when the first poll fails', async () => {
    const t = fakeTimeline('plan_created', 'workflow_failed');
    const hub = new TimelineHub(t.fetch, { pollMs: 5 });
    const late = await hub.subscribe('done', 2);
    expect(await late.next()).toBeNull();
    expect(hub.activePollers()).toBe(0);

    t.failWith(new Error('no such workflow'));
    await expect(hub.subscribe('missing', 0)).rejects.toThrow('no such workflow');
    expect(hub.activePollers()).toBe(0);
  });

  it('keeps polling through a transient failure, and close() ends every stream', async () => {
    const t = fakeTimeline('plan_created');
    const errors: unknown[] = [];
    const hub = new TimelineHub(t.fetch, { pollMs: 5, onPollError: (_id, err) => errors.push(err) });
    const a = await hub.subscribe('wf', 0);
    await a.next();
    t.failWith(new Error('UNAVAILABLE'));
    await waitFor(() => errors.length === 1 || undefined);
    t.append('step_ready');
    expect((await a.next())!.map((e) => e.event)).toEqual(['step_ready']);
    hub.close();
    expect(await a.next()).toBeNull();
    expect(hub.activePollers()).toBe(0);
  });
});
