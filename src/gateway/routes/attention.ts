/** Steps held for an operator: the list across runs and an operator's action on one. */
import { Hono } from 'hono';
import { Attention, assertOperator, pageOf } from '../attention.js';
import { AttentionQuerySchema, StepActionParamSchema, StepActionRequestSchema } from '../attention-schemas.js';
import { actingUserId, canSeeAllUsers } from '../auth.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { parseJsonBody, parseParams, parseQuery } from '../validation.js';

export function attentionRoutes(deps: RouteDeps) {
  const attention = new Attention(deps.runs.client, deps.runs, deps.config.TASK_QUEUE);
  return new Hono<GatewayEnv>()
    .get('/', async (c) => {
      const { limit, cursor } = parseQuery(c, AttentionQuerySchema);
      const identity = c.get('identity');
      const owner = canSeeAllUsers(identity) || identity.kind !== 'token' ? undefined : identity.user_id;
      return c.json(pageOf(await attention.list(owner), limit, cursor));
    })
    .post('/:workflow_id/:step_id', async (c) => {
      const { workflow_id, step_id } = parseParams(c, StepActionParamSchema);
      const body = await parseJsonBody(c, StepActionRequestSchema);
      const identity = c.get('identity');
      assertOperator(identity);
      const decidedBy = actingUserId(identity, body.decided_by, 'decided_by');
      const step = await attention.act(
        {
          step_id,
          action: body.action,
          decided_by: decidedBy,
          ...(body.args !== undefined && { args: body.args }),
          ...(body.reason !== undefined && { reason: body.reason }),
        },
        workflow_id,
        deps.config.CHAT_WAIT_MS,
      );
      return c.json({ success: true as const, workflow_id, message: `${body.action} of ${step_id} taken by ${decidedBy}: the step is ${step.state}`, step });
    });
}
