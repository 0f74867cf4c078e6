/** Steps held for an operator: the list across runs and an operator's action on one. */
import { Hono } from 'hono';
import { assertOperator, pageOf } from '../attention.js';
import { AttentionQuerySchema, StepActionParamSchema, StepActionRequestSchema } from '../attention-schemas.js';
import { actingUserId, canSeeAllUsers } from '../auth.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { parseJsonBody, parseParams, parseQuery } from '../validation.js';

export function attentionRoutes(deps: RouteDeps) {
  const { attention } = deps;
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
      const role = assertOperator(identity);
      const decidedBy = actingUserId(identity, body.decided_by, 'decided_by');
      const outcome = await deps.attention.act(
        {
          step_id,
          action: body.action,
          decided_by: decidedBy,
          role,
          ...(body.args !== undefined && { args: body.args }),
          ...(body.reason !== undefined && { reason: body.reason }),
        },
        workflow_id,
        deps.config.CHAT_WAIT_MS,
      );
      if (!outcome.applied) {
        const message = `${body.action} of ${step_id} by ${decidedBy} is kept for the run: no worker took it within ${deps.config.CHAT_WAIT_MS} ms; the run judges it when a worker runs`;
        return c.json({ status: 'accepted' as const, applied: false as const, workflow_id, message }, 202);
      }
      const { step } = outcome;
      return c.json({
        success: true as const,
        status: 'applied' as const,
        applied: true as const,
        workflow_id,
        message: `${body.action} of ${step_id} taken by ${decidedBy}: the step is ${step.state}`,
        step,
      });
    });
}
