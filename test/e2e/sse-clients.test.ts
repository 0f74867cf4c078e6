/**
 * 200 SSE clients on one run: all get every event; when they leave, the timeline hub has no poller
 * left and the heap comes back.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { call, readSse, type SseRead } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import { timelineOf } from '../support/reliability.js';
import { useHostileStack } from './hostile-support.js';

const { stack, pendingTransfer } = useHostileStack();

/** `global.gc` when node runs with --expose-gc, else the same function exposed at run time. */
function collectGarbage(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** How long a client keeps connecting again while the gateway answers 503. */
const CONNECT_DEADLINE_MS = 45_000;

/**
 * An SSE client that connects again while the gateway answers 503 ("try again shortly": on a
 * loaded machine the first timeline query can miss the gateway's deadline, several times in a
 * row), up to a deadline; any other answer is returned.
 */
async function follow(url: string, opts: Parameters<typeof readSse>[1]): Promise<SseRead> {
  const deadline = Date.now() + CONNECT_DEADLINE_MS;
  for (;;) {
    const read = await readSse(url, opts);
    if (read.status !== 503 || Date.now() > deadline) return read;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('200 SSE clients on one run', () => {
  const CLIENTS = 200;

  it(
    'all get every event; when they leave the hub has no poller left and memory comes back',
    { timeout: 240_000 },
    async () => {
      const gc = collectGarbage();
      const heapBefore = heapAfterGc(gc);

      // Clients that stay to the end: every one reads the whole timeline, then the server closes.
      const run = await pendingTransfer();
      const url = `${stack.baseUrl}/api/workflows/${run.workflowId}/stream`;
      const waiting = new Set<number>();
      const reads: Promise<SseRead>[] = Array.from({ length: CLIENTS }, (_, i) =>
        follow(url, {
          timeoutMs: 60_000,
          stopWhen: (events) => {
            if (events.some((e) => e.event === 'approval_required')) waiting.add(i);
            return false;
          },
        }),
      );
      await waitFor(() => waiting.size === CLIENTS || undefined, {
        timeoutMs: CONNECT_DEADLINE_MS + 15_000,
        what: `${CLIENTS} clients to see approval_required`,
      });
      expect(stack.timelines.activePollers()).toBe(1);
      const approved = await call(stack.baseUrl, 'POST', `/workflow/${run.sessionId}/approve`, {
        approver_id: 'manager@bank.com',
        approved: true,
      });
      expect(approved.status).toBe(200);
      const finished = await Promise.all(reads);
      const timeline = await timelineOf(stack.baseUrl, run.workflowId);
      expect(timeline.at(-1)!.event).toBe('workflow_complete');
      for (const read of finished) {
        expect(read.status).toBe(200);
        expect(read.closedByServer).toBe(true);
        expect(read.events.map((e) => Number(e.id))).toEqual(timeline.map((e) => e.seq));
        expect(read.events.map((e) => JSON.parse(e.data) as unknown)).toEqual(timeline);
      }
      await waitFor(() => stack.timelines.activePollers() === 0 || undefined, {
        what: 'no poller after the run ended',
      });

      // Clients that leave while the run still waits: the poller stops once the last one is gone.
      const idle = await pendingTransfer();
      let leave = false;
      const seen = new Set<number>();
      const leaving = Array.from({ length: CLIENTS }, (_, i) =>
        follow(`${stack.baseUrl}/api/workflows/${idle.workflowId}/stream`, {
          timeoutMs: 60_000,
          stopWhen: (events) => {
            if (events.some((e) => e.event === 'approval_required')) seen.add(i);
            return leave && seen.has(i);
          },
        }),
      );
      await waitFor(() => seen.size === CLIENTS || undefined, {
        timeoutMs: CONNECT_DEADLINE_MS + 15_000,
        what: `${CLIENTS} clients on the waiting run`,
      });
      expect(stack.timelines.activePollers()).toBe(1);
      leave = true; // each client disconnects at its next heartbeat
      for (const read of await Promise.all(leaving)) expect(read.closedByServer).toBe(false);
      await waitFor(() => stack.timelines.activePollers() === 0 || undefined, {
        what: 'no poller after every client left',
      });

      const grown = heapAfterGc(gc) - heapBefore;
      expect(grown, `heap grew by ${(grown / 1e6).toFixed(1)} MB`).toBeLessThan(16 * 1024 * 1024);
      expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
    },
  );
});
