/** The audit trail for auditors and admins: a filtered, paged listing and the whole chain as NDJSON. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import type { AuditStore } from '../../src/audit/audit-store.js';
import type { Identity } from '../auth.js';
import type { GatewayEnv } from '../context.js';
import { AuditPageSchema, AuditQuerySchema, cursorOf, utcTime } from '../audit-schemas.js';
import { ApiError, describeZodError } from '../errors.js';

/** Records per read while exporting: the export streams, it never holds the whole trail. */
const EXPORT_PAGE = 500;

/** Deny by default: with auth on, only an auditor or an admin; with auth off the gateway listens on loopback only. */
function assertMayReadAudit(identity: Identity): void {
  if (identity.kind === 'anonymous') return;
  if (identity.role !== 'auditor' && identity.role !== 'admin')
    throw ApiError.forbidden('Only an auditor or an admin may read the audit trail');
}

const listRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Audit records in chain order, filtered and paged',
  request: { query: AuditQuerySchema },
  responses: {
    200: { description: 'One page of records', content: { 'application/json': { schema: AuditPageSchema } } },
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/export',
  summary: 'The whole audit chain as NDJSON (one record a line), for ./temporal-dev.sh verify-audit',
  responses: { 200: { description: 'NDJSON: one audit record a line, in chain order' } },
});

/** `store` is opened on first use, so a gateway that is never asked for the trail opens nothing. */
export function auditRoutes(store: () => AuditStore) {
  const app = new OpenAPIHono<GatewayEnv>({
    defaultHook: (result) => {
      if (!result.success) throw ApiError.badRequest(describeZodError(result.error, 'query'));
    },
  });
  return app
    .openapi(listRoute, async (c) => {
      assertMayReadAudit(c.get('identity'));
      const { limit, cursor, from, to, ...filters } = c.req.valid('query');
      const page = await store().page({ ...filters, from: utcTime(from), to: utcTime(to), after_seq: cursor }, limit);
      return c.json(
        {
          records: page.records,
          ...(page.next_after_seq !== undefined && { next_cursor: cursorOf(page.next_after_seq) }),
        },
        200,
      );
    })
    .openapi(exportRoute, (c) => {
      assertMayReadAudit(c.get('identity'));
      c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="audit.ndjson"');
      return stream(c, async (out) => {
        let afterSeq: number | undefined;
        for (;;) {
          const page = await store().page({ after_seq: afterSeq }, EXPORT_PAGE);
          if (page.records.length > 0) await out.write(page.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
          if (page.next_after_seq === undefined || out.aborted) return;
          afterSeq = page.next_after_seq;
        }
      });
    });
}
