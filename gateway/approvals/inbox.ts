/**
 * The inbox as pages: filters, sort orders, an opaque cursor and a total over the pending
 * approvals read from visibility. Pure, so the rules are unit-tested in tables; the route parses
 * the query (InboxQuerySchema) and hands the records here.
 */
import { z } from 'zod';
import { IdentitySchema, ToolNameSchema, type ApprovalRecord } from '../../src/shared/contracts.js';
import { parseDuration } from '../../src/shared/duration.js';
import { parseMoneyToCents } from '../../src/shared/money.js';
import { actingUserId, groupsOf, type Identity } from '../auth.js';
import { ApiError } from '../errors.js';
import { mayApprove as judgeMayApprove } from '../../src/shared/approval/judge.js';
import { deciderOf } from './rules.js';

export const INBOX_SORTS = ['oldest', 'newest', 'deadline', 'amount'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

const money = (field: string) =>
  z.string().transform((v, ctx) => {
    const cents = parseMoneyToCents(v);
    if (cents === undefined || cents < 0) {
      ctx.addIssue({
        code: 'custom',
        message: `${field} must be an amount in dollars with at most two decimals, e.g. 5000 or 1250.50`,
      });
      return z.NEVER;
    }
    return cents;
  });
const age = z.string().transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined || ms < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 30s, 15m, 24h or 2d' });
    return z.NEVER;
  }
  return ms;
});
const flag = z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true');

export const InboxQuerySchema = z
  .strictObject({
    status: z
      .enum(['pending'], { message: 'only status=pending is supported (decided approvals are in each run)' })
      .default('pending'),
    limit: z.coerce.number().int().min(1).max(200).default(50).describe('Approvals per page (1-200, default 50)'),
    cursor: z.string().min(1).max(600).optional().describe('`next_cursor` of the previous page, with the same sort'),
    sort: z
      .enum(INBOX_SORTS)
      .default('oldest')
      .describe('oldest (default) or newest request first, nearest deadline first, or largest amount first'),
    can_decide: flag
      .optional()
      .describe('true: only approvals the caller (or `decider` when auth is off) may approve now'),
    decider: IdentitySchema.optional().describe(
      "With auth off: whose decisions can_decide means; with auth on it is the token's user",
    ),
    tool: ToolNameSchema.optional(),
    requester: IdentitySchema.optional().describe('Only approvals requested by this user'),
    min_amount: money('min_amount').optional().describe('Only transfers of at least this many dollars'),
    max_amount: money('max_amount').optional().describe('Only transfers of at most this many dollars'),
    min_age: age.optional().describe('Only approvals requested at least this long ago (30s, 15m, 24h, 2d)'),
    max_age: age.optional().describe('Only approvals requested at most this long ago'),
    escalated: flag.optional().describe('true: only escalated approvals; false: only those not escalated'),
  })
  .refine((q) => q.min_amount === undefined || q.max_amount === undefined || q.min_amount <= q.max_amount, {
    message: 'must not be above max_amount',
    path: ['min_amount'],
  })
  .refine((q) => q.min_age === undefined || q.max_age === undefined || q.min_age <= q.max_age, {
    message: 'must not be above max_age',
    path: ['min_age'],
  });
export type InboxQuery = z.output<typeof InboxQuerySchema>;

export interface InboxPage {
  approvals: ApprovalRecord[];
  next_cursor?: string;
  /** How many approvals match the filters, on every page. */
  total: number;
}

/** Who asks: their id, groups and stand-ins, for `can_decide` and `may_decide`. */
export interface InboxCaller {
  identity: Identity;
  deciderId: string | undefined;
  groups: readonly string[] | undefined;
  /** The groups of each person the caller stands in for now (out of office). */
  standIns?: readonly (readonly string[])[] | undefined;
}

/** With auth on the decider is the token's user (another `decider` is 403); with auth off, whom the query names. */
export function inboxCallerOf(
  identity: Identity,
  decider: string | undefined,
  standIns: readonly (readonly string[])[] = [],
): InboxCaller {
  return {
    identity,
    deciderId: identity.kind === 'token' ? actingUserId(identity, decider, 'decider') : decider,
    groups: groupsOf(identity),
    standIns,
  };
}

/** An approval is escalated once its rule's escalation fired (the run marks the record with `escalated_at`). */
export function isEscalated(approval: ApprovalRecord): boolean {
  return approval.escalated_at !== undefined;
}

/** Whether `deciderId` may approve `approval` now, as the approval judge answers it (with their stand-ins). */
export function mayApprove(
  approval: ApprovalRecord,
  caller: InboxCaller & { deciderId: string },
  nowMs = Date.now(),
): boolean {
  const decider = deciderOf(caller.identity, caller.deciderId, caller.groups);
  const context = { now: new Date(nowMs).toISOString(), standInGroups: caller.standIns ?? [] };
  return judgeMayApprove(approval, decider, context);
}

function matches(approval: ApprovalRecord, query: InboxQuery, caller: InboxCaller, nowMs: number): boolean {
  if (query.tool !== undefined && approval.tool !== query.tool) return false;
  if (query.requester !== undefined && approval.requested_by !== query.requester) return false;
  if (query.min_amount !== undefined && (approval.amount_cents ?? -1) < query.min_amount) return false;
  if (
    query.max_amount !== undefined &&
    (approval.amount_cents === undefined || approval.amount_cents > query.max_amount)
  )
    return false;
  const ageMs = nowMs - Date.parse(approval.requested_at);
  if (query.min_age !== undefined && ageMs < query.min_age) return false;
  if (query.max_age !== undefined && ageMs > query.max_age) return false;
  if (query.escalated !== undefined && isEscalated(approval) !== query.escalated) return false;
  if (query.can_decide !== undefined) {
    if (caller.deciderId === undefined)
      throw ApiError.badRequest('query.decider: required with can_decide when auth is off');
    if (mayApprove(approval, { ...caller, deciderId: caller.deciderId }, nowMs) !== query.can_decide) return false;
  }
  return true;
}

const AMOUNT_CEILING = 10 ** 15;

/** A string whose ascending order is the sort's order; the approval id breaks ties. */
function sortKey(approval: ApprovalRecord, sort: InboxSort): string {
  switch (sort) {
    case 'oldest':
      return `${approval.requested_at}|${approval.approval_id}`;
    case 'newest':
      return `${String(AMOUNT_CEILING - Date.parse(approval.requested_at)).padStart(16, '0')}|${approval.approval_id}`;
    case 'deadline':
      return `${approval.expires_at}|${approval.approval_id}`;
    case 'amount': {
      // Largest first; approvals without an amount come last.
      const largestFirst = String(AMOUNT_CEILING - (approval.amount_cents ?? -1)).padStart(16, '0');
      return `${largestFirst}|${approval.requested_at}|${approval.approval_id}`;
    }
  }
}

function encodeCursor(sort: InboxSort, key: string): string {
  return Buffer.from(JSON.stringify([sort, key]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, sort: InboxSort): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[1] !== 'string' ||
    !INBOX_SORTS.includes(decoded[0] as InboxSort)
  ) {
    throw ApiError.badRequest('query.cursor: not a cursor from this listing');
  }
  if (decoded[0] !== sort)
    throw ApiError.badRequest(`query.cursor: made for sort=${String(decoded[0])}, not sort=${sort}`);
  return decoded[1];
}

/**
 * One page of the matching approvals after `cursor`. The cursor is the last record's sort key, so
 * an approval decided between two pages neither repeats nor hides another one.
 */
export function inboxPage(
  records: readonly ApprovalRecord[],
  query: InboxQuery,
  caller: InboxCaller,
  nowMs: number,
): InboxPage {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.sort);
  const keyed = records
    .filter((a) => a.status === 'pending' && matches(a, query, caller, nowMs))
    .map((approval) => ({ approval, key: sortKey(approval, query.sort) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rest = after === undefined ? keyed : keyed.filter((k) => k.key > after);
  const page = rest.slice(0, query.limit);
  const last = page.at(-1);
  return {
    approvals: page.map((k) => k.approval),
    ...(rest.length > query.limit && last && { next_cursor: encodeCursor(query.sort, last.key) }),
    total: keyed.length,
  };
}

/**
 * A first page's work done once on `records`, the answers thrown away: a fresh process compiles the
 * query schema and the sort on first use (tens of ms on a busy machine), which the gateway does
 * before it says it is ready rather than in its first caller's page.
 */
export function primeInboxPage(records: readonly ApprovalRecord[]): void {
  const caller: InboxCaller = { identity: { kind: 'anonymous' }, deciderId: undefined, groups: undefined };
  for (const sort of INBOX_SORTS)
    JSON.stringify(inboxPage(records, InboxQuerySchema.parse({ sort }), caller, Date.now()));
}
