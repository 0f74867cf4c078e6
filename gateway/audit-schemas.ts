/** The audit API's query and answer shapes: one source for validation and the OpenAPI document. */
import { z } from '@hono/zod-openapi';
import { AuditRecordSchema } from '../src/audit/audit-record.js';
import { parseDuration } from '../src/shared/duration.js';
import { PolicyDocumentSchema } from '../src/shared/policy/schema.js';

const isoTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time such as 2026-12-01T00:00:00Z' });

/** A cursor names the last record a page held; opaque to clients. */
export function cursorOf(seq: number): string {
  return Buffer.from(`audit:${seq}`).toString('base64url');
}

const cursor = z
  .string()
  .max(64)
  .transform((text, ctx) => {
    const match = /^audit:(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString());
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out' });
      return z.NEVER;
    }
    return Number(match[1]);
  });

export const AuditQuerySchema = z.strictObject({
  from: isoTime.optional().describe('Records that happened at or after this time'),
  to: isoTime.optional().describe('Records that happened before this time'),
  workflow_id: z.string().min(1).max(200).optional().describe('One run'),
  person: z.string().min(1).max(200).optional().describe('The person a record is about: requester, decider, editor'),
  tool: z.string().min(1).max(64).optional(),
  outcome: z.string().min(1).max(64).optional().describe('e.g. approved, expired, failed, COMPLETED'),
  kind: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: cursor.optional().describe('next_cursor of the page before'),
});

export const AuditPageSchema = z
  .object({
    records: z.array(AuditRecordSchema),
    next_cursor: z.string().optional().describe('Absent on the last page'),
  })
  .openapi('AuditPage');

export const AuditVerdictSchema = z
  .object({
    ok: z.boolean(),
    records: z.number().int().describe('Records that verified, in chain order'),
    signed: z.number().int().describe('Signed messages among them whose signature verified'),
    head: z
      .object({ seq: z.number().int(), hash: z.string() })
      .optional()
      .describe('The last record: keep its hash elsewhere, a later export must contain it'),
    failure: z
      .object({
        line: z.number().int(),
        seq: z.number().int().optional(),
        key: z.string().optional(),
        problem: z.string(),
      })
      .optional()
      .describe('The first record that fails, counted from 1 in chain order'),
  })
  .openapi('AuditVerdict');

/** Times are compared as text in the store: normalised to UTC's `Z` form so they sort as times. */
export function utcTime(time: string | undefined): string | undefined {
  return time === undefined ? undefined : new Date(time).toISOString();
}

export const SimulateBodySchema = z.strictObject({
  policy: PolicyDocumentSchema.describe('The candidate policy: the same schema and validation as POLICY_FILE'),
  since: z
    .string()
    .refine((text) => parseDuration(text) !== undefined, 'must be a duration such as 30d, 12h or 90m')
    .optional()
    .describe('Requests started this long ago or later (default 30d) unless `from` is given'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
