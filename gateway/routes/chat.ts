/** The banking assistant's API: chat, the session's approval, the session's status and the user's sessions. */
import { actingUserId, assertCanListSessionsOf, assertCanRead, deciderIdOf } from '../auth.js';
import { acceptedReply } from '../approvals/decision-replies.js';
import { approveReply, chatReply, runningReply } from '../chat-replies.js';
import type { RouteDeps } from '../context.js';
import {
  accepted,
  apiRouter,
  errors,
  IDEMPOTENCY_KEY_HEADER,
  json,
  jsonBody,
  readJsonFirst,
  routesTagged,
} from '../openapi.js';
import {
  ApproveRequestSchema,
  ApproveResponseSchema,
  ChatRequestSchema,
  DecisionAcceptedSchema,
  ChatResponseSchema,
  SessionIdParamSchema,
  SessionsQuerySchema,
  SessionsResponseSchema,
  SessionStatusResponseSchema,
} from '../schemas.js';
import { startRequestOf } from '../start-request.js';

const route = routesTagged({ tags: ['chat'] });

const chat = route.post('/chat', {
  summary: 'Send a chat message: starts a request run and answers when it settles (or RUNNING after the wait budget)',
  middleware: [readJsonFirst()] as const,
  parameters: [IDEMPOTENCY_KEY_HEADER],
  request: { body: jsonBody(ChatRequestSchema) },
  responses: { 200: json(ChatResponseSchema), ...errors(400, 401, 403, 409, 413, 415, 503) },
});

const approve = route.post('/workflow/{session_id}/approve', {
  summary:
    'Decide an approval of the session; answers once the run acted on it. Name it with approval_id: without ' +
    "it, the session's only pending approval is decided, and more than one pending is 409 ambiguous_approval " +
    '(error.pending_approvals lists them). When no worker takes the decision within 2 s it is checked against ' +
    "the approval record in the run's memo and kept in the run's history: 202 accepted, applied when a worker " +
    'returns',
  middleware: [readJsonFirst(SessionIdParamSchema)] as const,
  request: { params: SessionIdParamSchema, body: jsonBody(ApproveRequestSchema) },
  responses: {
    200: json(ApproveResponseSchema),
    202: accepted(DecisionAcceptedSchema),
    ...errors(400, 401, 403, 404, 409, 413, 415, 503),
  },
});

const status = route.get('/workflow/{session_id}/status', {
  summary:
    "The session's latest run with its pending approvals. When no worker answers within the query budget (or " +
    'the worker fails the query), a finished run from its result, an open one as its memo view (`stale: true`: ' +
    'status and pending approvals, message and steps empty)',
  request: { params: SessionIdParamSchema },
  responses: { 200: json(SessionStatusResponseSchema), ...errors(400, 401, 403, 404) },
});

const sessions = route.get('/sessions', {
  summary: "A user's sessions (from visibility: eventually consistent)",
  request: { query: SessionsQuerySchema },
  responses: { 200: json(SessionsResponseSchema), ...errors(400, 401, 403) },
});

export function chatRoutes(deps: RouteDeps) {
  return apiRouter()
    .openapi(chat, async (c) => {
      const body = c.req.valid('json');
      const started = await deps.starter.start(startRequestOf(c, body.message, body), deps.config.CHAT_WAIT_MS);
      const answer = started.view ? chatReply(started.view) : runningReply(started.intent);
      return c.json(
        {
          reply: answer.reply,
          session_id: started.session_id,
          workflow_id: started.workflow_id,
          status: answer.status,
        },
        200,
      );
    })
    .openapi(approve, async (c) => {
      const { session_id } = c.req.valid('param');
      const body = c.req.valid('json');
      const identity = c.get('identity');
      const deciderId = deciderIdOf(identity, body.approver_id, 'approver_id');
      const found = await deps.approvals.findInSession(session_id, identity, body.approval_id);
      const decided = await deps.approvals.decide(found, identity, {
        approved: body.approved,
        deciderId,
        reason: body.reason,
        actionHash: body.action_hash,
      });
      if (!decided.applied) return c.json(acceptedReply(decided), 202);
      return c.json(approveReply(decided), 200);
    })
    .openapi(status, async (c) => {
      const { session_id } = c.req.valid('param');
      const view = await deps.runs.latestRunOrMemo(session_id);
      assertCanRead(c.get('identity'), view.user_id, `No session ${session_id}`);
      return c.json({ ...view, pending_approvals: view.approvals.filter((a) => a.status === 'pending') }, 200);
    })
    .openapi(sessions, async (c) => {
      const query = c.req.valid('query');
      const identity = c.get('identity');
      const userId = query.user_id ?? actingUserId(identity, undefined);
      assertCanListSessionsOf(identity, userId);
      return c.json({ sessions: await deps.listings.sessionsOf(userId) }, 200);
    });
}
