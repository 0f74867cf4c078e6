/** The chat route as tests call it over HTTP. */
import { call, type JsonResponse } from './http.js';

/**
 * POST /chat with `message` as `userId` (and `more` of the body, e.g. a session_id); the gateway's
 * answer as it is, whatever its status.
 */
export function chatAs(
  baseUrl: string,
  message: string,
  userId: string,
  more: Record<string, unknown> = {},
): Promise<JsonResponse> {
  return call(baseUrl, 'POST', '/chat', { message, user_id: userId, ...more });
}
