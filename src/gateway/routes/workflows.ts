/** The Life-OS API: submit, the run view, cancel, the timeline, its stream ticket and its Server-Sent Events stream. */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { FINAL_RUN_STATUSES, RunViewSchema, type RunView } from '../../shared/contracts.js';
import { assertCanRead, type Identity } from '../auth.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { ApiError, ErrorCode } from '../errors.js';
import { reply } from '../reply.js';
import type { Runs } from '../runs.js';
import {
  LastEventIdSchema,
  StreamTicketResponseSchema,
  SubmitRequestSchema,
  SubmitResponseSchema,
  TimelineResponseSchema,
  WorkflowIdParamSchema,
} from '../schemas.js';
import { isFinalEvent } from '../timeline-hub.js';
import { startRequestOf } from '../start-request.js';
import { parseBodyOrQuery, parseParams, parseWith } from '../validation.js';

/** The run, or 404 (the same answer as for an unknown id) when the caller may not see it. */
async function visibleRun(runs: Runs, id: string, identity: Identity): Promise<RunView> {
  const view = await runs.getRun(id);
  assertCanRead(identity, view.user_id, `No workflow ${id}`);
  return view;
}

/** For a stream and its ticket: only the run's owner is checked, and that needs no worker. */
async function assertCanFollow(runs: Runs, id: string, identity: Identity): Promise<void> {
  assertCanRead(identity, await runs.ownerOf(id), `No workflow ${id}`);
}

/** For a status read: the run, or its memo view (`stale`) when no worker answers in time. */
async function visibleRunOrMemo(runs: Runs, id: string, identity: Identity): Promise<RunView> {
  const view = await runs.getRunOrMemo(id);
  assertCanRead(identity, view.user_id, `No workflow ${id}`);
  return view;
}

export function workflowRoutes(deps: RouteDeps) {
  return new Hono<GatewayEnv>()
    .post('/submit', async (c) => {
      const body = await parseBodyOrQuery(c, SubmitRequestSchema);
      const started = await deps.starter.start(startRequestOf(c, body.intent, body), deps.submitWaitMs, 'planned');
      return reply(c, SubmitResponseSchema, {
        workflow_id: started.workflow_id,
        session_id: started.session_id,
        status: started.view?.status ?? started.status ?? 'QUEUED',
        intent: started.view?.intent ?? started.intent ?? 'unknown',
      });
    })
    .get('/:id', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      return reply(c, RunViewSchema, await visibleRunOrMemo(deps.runs, id, c.get('identity')));
    })
    .post('/:id/cancel', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const view = await visibleRun(deps.runs, id, c.get('identity'));
      if (FINAL_RUN_STATUSES.includes(view.status))
        throw ApiError.alreadyFinished(`Workflow ${id} is already ${view.status}`);
      const cancelled = await deps.runs.cancel(id, deps.config.CHAT_WAIT_MS);
      deps.approvals.noteRunChanged(cancelled);
      return reply(c, RunViewSchema, cancelled);
    })
    .get('/:id/timeline', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const [view, events] = await Promise.all([
        visibleRun(deps.runs, id, c.get('identity')),
        deps.runs.getTimeline(id, 0),
      ]);
      return reply(c, TimelineResponseSchema, { workflow_id: id, status: view.status, events });
    })
    .post('/:id/stream-ticket', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const identity = c.get('identity');
      await assertCanFollow(deps.runs, id, identity);
      const issued = deps.tickets.issue(id, identity);
      if (!issued)
        throw new ApiError(503, ErrorCode.TooManyTickets, 'Too many stream tickets are open; try again in a minute');
      return reply(c, StreamTicketResponseSchema, issued);
    })
    .get('/:id/stream', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const lastEventId = c.req.header('last-event-id') ?? c.req.query('last_event_id');
      const afterSeq =
        lastEventId === undefined ? 0 : parseWith(LastEventIdSchema, lastEventId, 'header.Last-Event-ID');
      await assertCanFollow(deps.runs, id, c.get('identity'));
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
