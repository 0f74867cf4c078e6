/** Seed 1: chat, the session's approval, the session's status and the user's sessions. */
import { Hono } from 'hono';
import { actingUserId, assertCanRead, type Identity } from '../auth.js';
import { approveReply, chatReply, runningReply } from '../chat-replies.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { decide } from '../decisions.js';
import { ApiError } from '../errors.js';
import { ApproveRequestSchema, ChatRequestSchema, SessionIdParamSchema, SessionsQuerySchema } from '../schemas.js';
import { idempotencyKeyOf, parseJsonBody, parseParams, parseQuery } from '../validation.js';
import type { ApprovalRecord, RunView } from '../../shared/contracts.js';

/** The decider's id: the token's, or the body's (required when auth is off). */
export function deciderIdOf(identity: Identity, claimed: string | undefined, field: string): string {
  if (identity.kind === 'anonymous' && claimed === undefined) throw ApiError.badRequest(`body.${field}: required`);
  return actingUserId(identity, claimed, field);
}

/**
 * The approval a session-level decision applies to: the named one, else the oldest pending one;
 * 409 when it (or every one) is already decided, 404 when there is none.
 */
export function approvalToDecide(view: RunView, approvalId?: string): ApprovalRecord {
  if (approvalId !== undefined) {
    const named = view.approvals.find((a) => a.approval_id === approvalId);
    if (!named) throw ApiError.notFound(`The latest run of session ${view.session_id} has no approval ${approvalId}`);
    return named;
  }
  const pending = view.approvals.find((a) => a.status === 'pending');
  if (pending) return pending;
  const latest = view.approvals.at(-1);
  if (latest) throw ApiError.conflict(`Approval ${latest.approval_id} is already ${latest.status}`);
  throw ApiError.notFound(`The latest run of session ${view.session_id} has no approval to decide`);
}

export function chatRoutes(deps: RouteDeps) {
  return new Hono<GatewayEnv>()
    .post('/chat', async (c) => {
      const body = await parseJsonBody(c, ChatRequestSchema);
      const idempotencyKey = idempotencyKeyOf(c);
      const userId = actingUserId(c.get('identity'), body.user_id);
      const started = await deps.starter.start(
        { user_id: userId, message: body.message, session_id: body.session_id, idempotencyKey },
        deps.config.CHAT_WAIT_MS,
      );
      const answer = started.view ? chatReply(started.view) : runningReply(started.intent);
      return c.json({ reply: answer.reply, session_id: started.session_id, workflow_id: started.workflow_id, status: answer.status });
    })
    .post('/workflow/:session_id/approve', async (c) => {
      const { session_id } = parseParams(c, SessionIdParamSchema);
      const body = await parseJsonBody(c, ApproveRequestSchema);
      const identity = c.get('identity');
      const deciderId = deciderIdOf(identity, body.approver_id, 'approver_id');
      const view = await deps.runs.latestRunOf(session_id);
      const approval = approvalToDecide(view, body.approval_id);
      const decided = await decide(
        deps.runs,
        identity,
        { view, approval, approved: body.approved, deciderId, reason: body.reason },
        deps.config.CHAT_WAIT_MS,
      );
      return c.json(approveReply(decided));
    })
    .get('/workflow/:session_id/status', async (c) => {
      const { session_id } = parseParams(c, SessionIdParamSchema);
      const view = await deps.runs.latestRunOf(session_id);
      assertCanRead(c.get('identity'), view.user_id, 'this session');
      return c.json({ ...view, pending_approvals: view.approvals.filter((a) => a.status === 'pending') });
    })
    .get('/sessions', async (c) => {
      const query = parseQuery(c, SessionsQuerySchema);
      const identity = c.get('identity');
      const userId = query.user_id ?? actingUserId(identity, undefined);
      assertCanRead(identity, userId, "this user's sessions");
      return c.json({ sessions: await deps.listings.sessionsOf(userId) });
    });
}
