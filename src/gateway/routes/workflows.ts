/** Seed 2: submit, the run view, cancel, the timeline and its Server-Sent Events stream. */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { FINAL_RUN_STATUSES } from '../../shared/contracts.js';
import { actingUserId, assertCanRead } from '../auth.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { ApiError } from '../errors.js';
import { LastEventIdSchema, SubmitRequestSchema, WorkflowIdParamSchema } from '../schemas.js';
import { isFinalEvent } from '../timeline-hub.js';
import { idempotencyKeyOf, parseBodyOrQuery, parseParams, parseWith } from '../validation.js';

export function workflowRoutes(deps: RouteDeps) {
  return new Hono<GatewayEnv>()
    .post('/submit', async (c) => {
      const body = await parseBodyOrQuery(c, SubmitRequestSchema);
      const idempotencyKey = idempotencyKeyOf(c);
      const userId = actingUserId(c.get('identity'), body.user_id);
      const started = await deps.starter.start(
        { user_id: userId, message: body.intent, session_id: body.session_id, idempotencyKey },
        deps.submitWaitMs,
        'planned',
      );
      return c.json({
        workflow_id: started.workflow_id,
        session_id: started.session_id,
        status: started.view?.status ?? started.status ?? 'QUEUED',
        intent: started.view?.intent ?? started.intent ?? 'unknown',
      });
    })
    .get('/:id', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const view = await deps.runs.getRun(id);
      assertCanRead(c.get('identity'), view.user_id);
      return c.json(view);
    })
    .post('/:id/cancel', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const view = await deps.runs.getRun(id);
      assertCanRead(c.get('identity'), view.user_id);
      if (FINAL_RUN_STATUSES.includes(view.status)) throw ApiError.conflict(`Workflow ${id} is already ${view.status}`);
      return c.json(await deps.runs.cancel(id, deps.config.CHAT_WAIT_MS));
    })
    .get('/:id/timeline', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const [view, events] = await Promise.all([deps.runs.getRun(id), deps.runs.getTimeline(id, 0)]);
      assertCanRead(c.get('identity'), view.user_id);
      return c.json({ workflow_id: id, status: view.status, events });
    })
    .get('/:id/stream', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const lastEventId = c.req.header('last-event-id') ?? c.req.query('last_event_id');
      const afterSeq = lastEventId === undefined ? 0 : parseWith(LastEventIdSchema, lastEventId, 'header.Last-Event-ID');
      const view = await deps.runs.getRun(id);
      assertCanRead(c.get('identity'), view.user_id);
      const subscription = await deps.timelines.subscribe(id, afterSeq);
      return streamSSE(c, async (stream) => {
        const gone = new Promise<null>((resolve) => {
          stream.onAbort(() => resolve(null));
          c.req.raw.signal.addEventListener('abort', () => resolve(null), { once: true });
        });
        const heartbeat = setInterval(() => void stream.write(': ping\n\n'), deps.heartbeatMs);
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
    });
}
