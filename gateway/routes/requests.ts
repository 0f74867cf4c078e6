/** A request reviewed as a whole: its review, and one decision covering several of its steps. */
import { apiRouter, errors, json, jsonBody, readJsonFirst, routesTagged } from '../openapi.js';
import type { Reviews } from '../approvals/review.js';
import {
  ReviewDecisionRequestSchema,
  ReviewDecisionResponseSchema,
  ReviewParamSchema,
  ReviewQuerySchema,
  ReviewResponseSchema,
} from '../approvals/review-schemas.js';

const route = routesTagged({ tags: ['approvals'] });

const review = route.get('/{workflow_id}/review', {
  summary:
    'The request reviewed as a whole: every step still to come (waiting for a decision or to run), what each ' +
    'depends on, the totals (money out in cents, recipients, applications sent, events created) and the ' +
    'review_hash a review decision is bound to. With choices, each step previews what they would do: a rejected ' +
    "or skipped step's dependents show as skipped. Readable by whoever may read the run's approvals",
  request: { params: ReviewParamSchema, query: ReviewQuerySchema },
  responses: { 200: json(ReviewResponseSchema), ...errors(400, 401, 404, 503) },
});

const decision = route.post('/{workflow_id}/review/decision', {
  summary:
    'One signed decision on several steps of the request (approve, reject or skip each), bound to the ' +
    'review_hash: when a plan or an action changed since the review, 409 stale_review and nothing is decided. ' +
    'The run applies it at once and judges each step under its own policy (stages, groups, four eyes): a step the ' +
    'decider may not decide is refused on its own and the others are decided; results say per step what happened ' +
    'and why. Needs a worker (503 when none takes it)',
  middleware: [readJsonFirst(ReviewParamSchema)] as const,
  request: { params: ReviewParamSchema, body: jsonBody(ReviewDecisionRequestSchema) },
  responses: { 200: json(ReviewDecisionResponseSchema), ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
});

export function requestRoutes(reviews: Reviews) {
  return apiRouter()
    .openapi(review, async (c) => {
      const { workflow_id } = c.req.valid('param');
      const { choices } = c.req.valid('query');
      return c.json(await reviews.read(workflow_id, c.get('identity'), choices), 200);
    })
    .openapi(decision, async (c) => {
      const { workflow_id } = c.req.valid('param');
      return c.json(await reviews.decide(workflow_id, c.get('identity'), c.req.valid('json')), 200);
    });
}
