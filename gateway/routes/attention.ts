/** Steps held for an operator: the list across runs and an operator's action on one. */
import { assertOperator, pageOf } from '../attention.js';
import {
  AttentionQuerySchema,
  AttentionResponseSchema,
  StepActionAcceptedSchema,
  StepActionParamSchema,
  StepActionRequestSchema,
  StepActionResponseSchema,
} from '../attention-schemas.js';
import { actingUserId, canSeeAllUsers } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { accepted, apiRouter, errors, json, jsonBody, readJsonFirst, routesTagged } from '../openapi.js';

const route = routesTagged({ tags: ['attention'] });

const list = route.get('/', {
  summary:
    'Steps held in NEEDS_ATTENTION across runs, longest-held first, paged (from visibility: eventually consistent)',
  request: { query: AttentionQuerySchema },
  responses: { 200: json(AttentionResponseSchema), ...errors(400, 401) },
});

const act = route.post('/{workflow_id}/{step_id}', {
  summary:
    "An operator's action on a held step: retry, retry_with_edits, skip or fail, signed by the gateway; answers " +
    "once the run acted on it, or 202 when no worker took it in time (kept in the run's history, judged when a " +
    'worker runs)',
  middleware: [readJsonFirst(StepActionParamSchema)] as const,
  request: { params: StepActionParamSchema, body: jsonBody(StepActionRequestSchema) },
  responses: {
    200: json(StepActionResponseSchema),
    202: accepted(StepActionAcceptedSchema),
    ...errors(400, 401, 403, 404, 409, 413, 415, 503),
  },
});

export function attentionRoutes(deps: RouteDeps) {
  const { attention } = deps;
  return apiRouter()
    .openapi(list, async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const identity = c.get('identity');
      const owner = canSeeAllUsers(identity) || identity.kind !== 'token' ? undefined : identity.user_id;
      return c.json(pageOf(await attention.list(owner), limit, cursor), 200);
    })
    .openapi(act, async (c) => {
      const { workflow_id, step_id } = c.req.valid('param');
      const body = c.req.valid('json');
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
        const message =
          `${body.action} of ${step_id} by ${decidedBy} is kept for the run: no worker took it within ` +
          `${deps.config.CHAT_WAIT_MS} ms; the run judges it when a worker runs`;
        return c.json({ status: 'accepted' as const, applied: false as const, workflow_id, message }, 202);
      }
      const { step } = outcome;
      return c.json(
        {
          success: true as const,
          status: 'applied' as const,
          applied: true as const,
          workflow_id,
          message: `${body.action} of ${step_id} taken by ${decidedBy}: the step is ${step.state}`,
          step,
        },
        200,
      );
    });
}
