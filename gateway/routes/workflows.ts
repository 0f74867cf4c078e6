/** The Life-OS API: submit, the run view, cancel, the timeline, its stream ticket and its Server-Sent Events stream. */
import { FINAL_RUN_STATUSES, RunViewSchema } from '../../src/shared/contracts.js';
import type { RouteDeps } from '../context.js';
import { ApiError, ErrorCode } from '../errors.js';
import {
  apiRouter,
  content,
  errors,
  IDEMPOTENCY_KEY_HEADER,
  json,
  LAST_EVENT_ID_HEADER,
  plainSchema,
  queryParameters,
  routesTagged,
} from '../openapi.js';
import {
  LastEventIdSchema,
  StreamQuerySchema,
  StreamTicketResponseSchema,
  SubmitRequestSchema,
  SubmitResponseSchema,
  TimelineResponseSchema,
  WorkflowIdParamSchema,
} from '../schemas.js';
import { streamTimeline } from '../timeline-stream.js';
import { startRequestOf } from '../start-request.js';
import { parseBodyOrQuery, parseWith } from '../validation.js';

const route = routesTagged({ tags: ['workflows'] });
const params = WorkflowIdParamSchema;

const submit = route.post('/submit', {
  summary: 'Submit a request (query parameters or JSON body); answers at once',
  // Body or query: read by the handler, so both are documented from the schema rather than validated here.
  parameters: [...queryParameters(SubmitRequestSchema), IDEMPOTENCY_KEY_HEADER],
  request: {
    body: { required: false, content: { 'application/json': { schema: plainSchema(SubmitRequestSchema, 'input') } } },
  },
  responses: { 200: json(SubmitResponseSchema), ...errors(400, 401, 403, 409, 413, 415, 503) },
});

const runView = route.get('/{id}', {
  summary:
    'The run view (the `run` query). When no worker answers within the query budget (or the worker fails the ' +
    'query): a finished run from its result, an open one from its memo and search attributes, marked ' +
    '`stale: true` (status and pending approvals; message and steps empty)',
  request: { params },
  responses: { 200: json(RunViewSchema), ...errors(400, 401, 403, 404) },
});

const cancel = route.post('/{id}/cancel', {
  summary:
    'Cancel a run that has not finished. 409 already_finished when the run had finished, or finished with ' +
    'nothing left to cancel (a decision or its last step won the race)',
  request: { params },
  responses: { 200: json(RunViewSchema), ...errors(400, 401, 403, 404, 409) },
});

const streamTicket = route.post('/{id}/stream-ticket', {
  summary:
    "A single-use ticket (60 s) for this run's stream, bound to the caller: EventSource cannot send " +
    'Authorization, and a bearer token in a URL leaks into logs',
  request: { params },
  responses: { 200: json(StreamTicketResponseSchema), ...errors(400, 401, 403, 404, 503) },
});

const timeline = route.get('/{id}/timeline', {
  summary: "The run's whole timeline",
  request: { params },
  responses: { 200: json(TimelineResponseSchema), ...errors(400, 401, 403, 404) },
});

const stream = route.get('/{id}/stream', {
  summary:
    'Server-Sent Events: one event per timeline event (id = seq), resumable with Last-Event-ID, closed after ' +
    'the final event. Authenticate with the Authorization header or ?ticket= (401 for an unknown, used or ' +
    'expired ticket)',
  // The resume point is read by the handler (the header wins over the query), hence documented, not validated.
  parameters: [...queryParameters(StreamQuerySchema), LAST_EVENT_ID_HEADER],
  request: { params },
  responses: {
    200: content(
      'text/event-stream',
      'id: <seq>\\nevent: <name>\\ndata: <timeline event JSON>; `: ping` comments every 15 s',
    ),
    ...errors(400, 401, 403, 404),
  },
});

export function workflowRoutes(deps: RouteDeps) {
  return apiRouter()
    .openapi(submit, async (c) => {
      const body = await parseBodyOrQuery(c, SubmitRequestSchema);
      const started = await deps.starter.start(startRequestOf(c, body.intent, body), deps.submitWaitMs, 'planned');
      return c.json(
        {
          workflow_id: started.workflow_id,
          session_id: started.session_id,
          status: started.view?.status ?? started.status ?? 'QUEUED',
          intent: started.view?.intent ?? started.intent ?? 'unknown',
        },
        200,
      );
    })
    .openapi(runView, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await deps.runs.visibleRunOrMemo(id, c.get('identity')), 200);
    })
    .openapi(cancel, async (c) => {
      const { id } = c.req.valid('param');
      const view = await deps.runs.visibleRun(id, c.get('identity'));
      if (FINAL_RUN_STATUSES.includes(view.status))
        throw ApiError.alreadyFinished(`Workflow ${id} is already ${view.status}`);
      const cancelled = await deps.runs.cancel(id, deps.config.CHAT_WAIT_MS);
      deps.approvals.noteRunChanged(cancelled);
      return c.json(cancelled, 200);
    })
    .openapi(timeline, async (c) => {
      const { id } = c.req.valid('param');
      const [view, events] = await Promise.all([
        deps.runs.visibleRun(id, c.get('identity')),
        deps.runs.getTimeline(id, 0),
      ]);
      return c.json({ workflow_id: id, status: view.status, events }, 200);
    })
    .openapi(streamTicket, async (c) => {
      const { id } = c.req.valid('param');
      const identity = c.get('identity');
      await deps.runs.assertCanFollow(id, identity);
      const issued = deps.tickets.issue(id, identity);
      if (!issued)
        throw new ApiError(503, ErrorCode.TooManyTickets, 'Too many stream tickets are open; try again in a minute');
      return c.json(issued, 200);
    })
    .openapi(stream, async (c) => {
      const { id } = c.req.valid('param');
      const lastEventId = c.req.header('last-event-id') ?? c.req.query('last_event_id');
      const afterSeq =
        lastEventId === undefined ? 0 : parseWith(LastEventIdSchema, lastEventId, 'header.Last-Event-ID');
      await deps.runs.assertCanFollow(id, c.get('identity'));
      const subscription = await deps.timelines.subscribe(id, afterSeq);
      return streamTimeline(c, subscription, deps.heartbeatMs);
    });
}
