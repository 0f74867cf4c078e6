/** The audit trail for auditors and admins: a filtered, paged listing and the whole chain as NDJSON. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import type { AuditStore } from '../../src/audit/audit-store.js';
import { TrailVerifier } from '../../src/audit/verify-trail.js';
import type { Config } from '../../src/runtime/config.js';
import { loadTrustedKeys } from '../../src/runtime/decision-keys.js';
import type { TrustedDecisionKey } from '../../src/shared/workflow-contracts.js';
import type { Identity } from '../auth.js';
import type { GatewayEnv } from '../context.js';
import { AuditPageSchema, AuditQuerySchema, AuditVerdictSchema, cursorOf, utcTime } from '../audit-schemas.js';
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

const verifyRoute = createRoute({
  method: 'get',
  path: '/verify',
  summary: 'Checks the stored chain as verify-audit checks an export, with the public keys this gateway knows',
  responses: {
    200: {
      description: 'The verdict and the chain head',
      content: { 'application/json': { schema: AuditVerdictSchema } },
    },
  },
});

/**
 * The public keys whose signatures a run accepts, as far as the gateway's settings name them: its
 * own signing key's public half, the gateway keys and the operators' keys. A file that cannot be
 * read is left out, so a signature made with it fails verification and shows.
 */
export function verifyingKeysOf(
  config: Pick<Config, 'DECISION_SIGNING_KEY_FILE' | 'DECISION_PUBLIC_KEY_FILES' | 'OPERATOR_PUBLIC_KEY_FILES'>,
): TrustedDecisionKey[] {
  const gatewayFiles = [
    ...(config.DECISION_SIGNING_KEY_FILE ? [config.DECISION_SIGNING_KEY_FILE] : []),
    ...config.DECISION_PUBLIC_KEY_FILES,
  ];
  const keys = [
    ...gatewayFiles.map((file) => [file, 'gateway'] as const),
    ...config.OPERATOR_PUBLIC_KEY_FILES.map((file) => [file, 'operator'] as const),
  ].flatMap(([file, role]) => {
    try {
      return loadTrustedKeys([file], role);
    } catch {
      return [];
    }
  });
  return keys.filter((key, i) => keys.findIndex((k) => k.key_id === key.key_id) === i);
}

/** `store` is opened on first use, so a gateway that is never asked for the trail opens nothing. */
export function auditRoutes(store: () => AuditStore, keys: () => readonly TrustedDecisionKey[] = () => []) {
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
    })
    .openapi(verifyRoute, async (c) => {
      assertMayReadAudit(c.get('identity'));
      const verifier = new TrailVerifier(keys());
      let afterSeq: number | undefined;
      for (;;) {
        const page = await store().page({ after_seq: afterSeq }, EXPORT_PAGE);
        for (const record of page.records) {
          const failure = verifier.check(JSON.stringify(record));
          if (failure) return c.json({ ok: false, records: verifier.records, signed: verifier.signed, failure }, 200);
        }
        if (page.next_after_seq === undefined) break;
        afterSeq = page.next_after_seq;
      }
      const head = verifier.head;
      return c.json({ ok: true, records: verifier.records, signed: verifier.signed, ...(head && { head }) }, 200);
    });
}
