/** Policy simulation: a candidate policy tried on the requests in the audit trail before it is switched on. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import type { AuditStore } from '../../src/audit/audit-store.js';
import { simulatePolicy } from '../../src/audit/policy-simulation.js';
import { parseDuration } from '../../src/shared/duration.js';
import { SimulateBodySchema } from '../audit-schemas.js';
import type { Identity } from '../auth.js';
import type { GatewayEnv } from '../context.js';
import { ApiError, describeZodError } from '../errors.js';
import { assertJsonContentType } from '../validation.js';

/** The most records one simulation reads; a longer range is refused rather than answered in part. */
const MAX_RECORDS = 200_000;
const PAGE = 1000;

const simulateRoute = createRoute({
  method: 'post',
  path: '/simulate',
  summary: 'What a candidate policy would have done to the recorded requests, against what happened',
  request: { body: { content: { 'application/json': { schema: SimulateBodySchema } }, required: true } },
  responses: { 200: { description: 'Each request step by step, and totals per rule and group' } },
});

function assertMaySimulate(identity: Identity): void {
  if (identity.kind === 'anonymous') return;
  if (identity.role !== 'auditor' && identity.role !== 'admin')
    throw ApiError.forbidden('Only an auditor or an admin may simulate policies');
}

async function recordsBetween(store: AuditStore, from: string, to: string | undefined): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let afterSeq: number | undefined;
  for (;;) {
    const page = await store.page({ from, to, after_seq: afterSeq }, PAGE);
    records.push(...page.records);
    if (records.length > MAX_RECORDS)
      throw ApiError.badRequest(`the range holds more than ${MAX_RECORDS} audit records: choose a shorter one`);
    if (page.next_after_seq === undefined) return records;
    afterSeq = page.next_after_seq;
  }
}

export function policyRoutes(store: () => AuditStore, now: () => number = Date.now) {
  const app = new OpenAPIHono<GatewayEnv>({
    defaultHook: (result) => {
      if (!result.success) throw ApiError.badRequest(describeZodError(result.error, 'body'));
    },
  });
  app.use('/simulate', async (c, next) => {
    assertMaySimulate(c.get('identity'));
    assertJsonContentType(c, false);
    await next();
  });
  return app.openapi(simulateRoute, async (c) => {
    const body = c.req.valid('json');
    const from = body.from ?? new Date(now() - parseDuration(body.since ?? '30d')!).toISOString();
    const to = body.to === undefined ? undefined : new Date(body.to).toISOString();
    const records = await recordsBetween(store(), new Date(from).toISOString(), to);
    return c.json(
      { policy: { id: body.policy.id }, from, ...(to && { to }), ...simulatePolicy(body.policy, records) },
      200,
    );
  });
}
