/** The banking assistant's API: chat, the session's approval, the session's status and the user's sessions. */
import { Hono } from 'hono';
import { actingUserId, assertCanListSessionsOf, assertCanRead, deciderIdOf } from '../auth.js';
import { acceptedReply } from '../approvals/decision-replies.js';
import { approveReply, chatReply, runningReply } from '../chat-replies.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { reply } from '../reply.js';
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
import { parseJsonBody, parseParams, parseQuery } from '../validation.js';

export function chatRoutes(deps: RouteDeps) {
  return new Hono<GatewayEnv>()
    .post('/chat', async (c) => {
      const body = await parseJsonBody(c, ChatRequestSchema);
      const started = await deps.starter.start(startRequestOf(c, body.message, body), deps.config.CHAT_WAIT_MS);
      const answer = started.view ? chatReply(started.view) : runningReply(started.intent);
      return reply(c, ChatResponseSchema, {
        reply: answer.reply,
        session_id: started.session_id,
        workflow_id: started.workflow_id,
        status: answer.status,
      });
    })
    .post('/workflow/:session_id/approve', async (c) => {
      const { session_id } = parseParams(c, SessionIdParamSchema);
      const body = await parseJsonBody(c, ApproveRequestSchema);
      const identity = c.get('identity');
      const deciderId = deciderIdOf(identity, body.approver_id, 'approver_id');
      const found = await deps.approvals.findInSession(session_id, identity, body.approval_id);
      const decided = await deps.approvals.decide(found, identity, {
        approved: body.approved,
        deciderId,
        reason: body.reason,
        actionHash: body.action_hash,
      });
      if (!decided.applied) return reply(c, DecisionAcceptedSchema, acceptedReply(decided), 202);
      return reply(c, ApproveResponseSchema, approveReply(decided));
    })
    .get('/workflow/:session_id/status', async (c) => {
      const { session_id } = parseParams(c, SessionIdParamSchema);
      const view = await deps.runs.latestRunOrMemo(session_id);
      assertCanRead(c.get('identity'), view.user_id, `No session ${session_id}`);
      return reply(c, SessionStatusResponseSchema, {
        ...view,
        pending_approvals: view.approvals.filter((a) => a.status === 'pending'),
      });
    })
    .get('/sessions', async (c) => {
      const query = parseQuery(c, SessionsQuerySchema);
      const identity = c.get('identity');
      const userId = query.user_id ?? actingUserId(identity, undefined);
      assertCanListSessionsOf(identity, userId);
      return reply(c, SessionsResponseSchema, { sessions: await deps.listings.sessionsOf(userId) });
    });
}
