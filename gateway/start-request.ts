/** What a caller asks to start, as both start routes (`POST /chat`, `POST /api/workflows/submit`) read it. */
import type { Context } from 'hono';
import { actingUserId, groupsOf } from './auth.js';
import type { GatewayEnv } from './context.js';
import type { StartRequest } from './start-run.js';
import { idempotencyKeyOf } from './validation.js';

/**
 * The run to start for `message`: for the authenticated user (or the body's `user_id` when auth is
 * off) with their groups, in `session_id` if given, under the `Idempotency-Key` header if sent.
 */
export function startRequestOf(
  c: Context<GatewayEnv>,
  message: string,
  asked: { user_id?: string | undefined; session_id?: string | undefined },
): StartRequest {
  const idempotencyKey = idempotencyKeyOf(c);
  const identity = c.get('identity');
  return {
    user_id: actingUserId(identity, asked.user_id),
    requester_groups: groupsOf(identity),
    message,
    session_id: asked.session_id,
    idempotencyKey,
  };
}
