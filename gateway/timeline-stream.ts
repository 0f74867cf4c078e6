/**
 * A run's timeline as Server-Sent Events: one event per timeline event (id = seq), a `: ping`
 * comment every heartbeat, closed after the final event or when the client goes away.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isFinalEvent, type TimelineSubscription } from './timeline-hub.js';

export function streamTimeline(c: Context, subscription: TimelineSubscription, heartbeatMs: number): Response {
  return streamSSE(c, async (stream) => {
    const gone = new Promise<null>((resolve) => {
      stream.onAbort(() => resolve(null));
      c.req.raw.signal.addEventListener('abort', () => resolve(null), { once: true });
    });
    const heartbeat = setInterval(() => void stream.write(': ping\n\n'), heartbeatMs);
    try {
      for (;;) {
        const batch = await Promise.race([subscription.next(), gone]);
        if (batch === null || stream.aborted) break;
        for (const event of batch) {
          await stream.writeSSE({ id: String(event.seq), event: event.event, data: JSON.stringify(event) });
        }
        if (batch.some(isFinalEvent)) break;
      }
    } finally {
      clearInterval(heartbeat);
      subscription.close();
    }
  });
}
