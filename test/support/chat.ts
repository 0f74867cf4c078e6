/** The chat and approval routes as tests call them over HTTP, each answer as the gateway gave it. */
import { call, type JsonResponse } from './http.js';

/**
 * POST /chat with `message` as `userId` (and `more` of the body, e.g. a session_id, and `headers`);
 * the gateway's answer as it is, whatever its status.
 */
export function chatAs(
  baseUrl: string,
  message: string,
  userId: string,
  more: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return call(baseUrl, 'POST', '/chat', { message, user_id: userId, ...more }, headers);
}

/** POST /api/approvals/{approvalId}/decision with `body` (decision, decided_by, action_hash, ...). */
export function postDecision(
  baseUrl: string,
  approvalId: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return call(baseUrl, 'POST', `/api/approvals/${approvalId}/decision`, body, headers);
}

/** A decision as most tests send it: approve or reject, by `decidedBy`, on the action they saw (`actionHash`). */
export function decideOverHttp(
  baseUrl: string,
  approvalId: string,
  decision: 'approve' | 'reject',
  decidedBy: string,
  actionHash?: string,
): Promise<JsonResponse> {
  const body = { decision, decided_by: decidedBy, ...(actionHash !== undefined && { action_hash: actionHash }) };
  return postDecision(baseUrl, approvalId, body);
}

/** POST /api/approvals/{approvalId}/edit with `body` (args, edited_by, reason, action_hash). */
export function postEdit(baseUrl: string, approvalId: string, body: Record<string, unknown>): Promise<JsonResponse> {
  return call(baseUrl, 'POST', `/api/approvals/${approvalId}/edit`, body);
}
