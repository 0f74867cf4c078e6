/**
 * Identity: who is calling, and what they may see and decide.
 *
 * Auth off (the local default): ids come from the request body and the caller may see everything;
 * the four-eyes rule is still enforced. Auth on (`GATEWAY_AUTH=token`): every protected route needs
 * `Authorization: Bearer <token>`, the user id comes from the token, and a body id that disagrees
 * with it is refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { IdentitySchema, type ApprovalRecord, type RunView } from '../shared/contracts.js';
import { isMoneyTransfer } from '../shared/policy.js';
import { ApiError, describeZodError } from './errors.js';

export const ROLES = ['requester', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'token'; user_id: string; role: Role };

export interface GatewayVariables {
  identity: Identity;
}

/** The user id used when auth is off and the body names none (as in the seed). */
export const DEFAULT_USER_ID = 'default_user';

const TokenEntrySchema = z.strictObject({ user_id: IdentitySchema, role: z.enum(ROLES) });
export const TokenFileSchema = z.record(z.string().min(16, 'tokens must be at least 16 characters'), TokenEntrySchema);
export type TokenFile = z.infer<typeof TokenFileSchema>;

/** Tokens are kept by their SHA-256, so a lookup does not compare secrets byte by byte. */
export class TokenTable {
  private readonly byHash = new Map<string, { user_id: string; role: Role }>();

  constructor(tokens: TokenFile) {
    for (const [token, entry] of Object.entries(tokens)) this.byHash.set(hashToken(token), entry);
  }

  lookup(token: string): { user_id: string; role: Role } | undefined {
    return this.byHash.get(hashToken(token));
  }

  static fromFile(path: string): TokenTable {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`GATEWAY_TOKENS_FILE ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = TokenFileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`GATEWAY_TOKENS_FILE ${path}: ${describeZodError(parsed.error)}`);
    return new TokenTable(parsed.data);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Paths anyone may fetch: health, the web page and its assets, the API documentation. */
export function isPublicPath(path: string): boolean {
  return (
    path === '/' ||
    path === '/healthz' ||
    path === '/readyz' ||
    path === '/openapi.json' ||
    path === '/api/config' ||
    path === '/docs' ||
    path.startsWith('/docs/') ||
    path.startsWith('/assets/') ||
    path === '/favicon.ico'
  );
}

export interface AuthOptions {
  /** Undefined: auth off. */
  tokens: TokenTable | undefined;
}

/**
 * Sets `identity` on the context. With tokens, protected routes need a known bearer token; the
 * SSE stream route also accepts `?access_token=` because a browser EventSource cannot send headers.
 */
export function authMiddleware(options: AuthOptions): MiddlewareHandler<{ Variables: GatewayVariables }> {
  return async function auth(c, next) {
    if (!options.tokens || isPublicPath(c.req.path)) {
      c.set('identity', { kind: 'anonymous' });
      return next();
    }
    const header = c.req.header('authorization');
    let token = header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!token && c.req.method === 'GET' && c.req.path.endsWith('/stream')) token = c.req.query('access_token');
    if (!token) throw ApiError.unauthorized('Missing bearer token (Authorization: Bearer <token>)');
    const entry = options.tokens.lookup(token);
    if (!entry) throw ApiError.unauthorized('Unknown bearer token');
    c.set('identity', { kind: 'token', ...entry });
    return next();
  };
}

/**
 * The acting user id: the token's, or the body's (default `default_user`) when auth is off.
 * A body id that names someone else than the token is 403.
 */
export function actingUserId(identity: Identity, claimed: string | undefined, field = 'user_id'): string {
  if (identity.kind === 'anonymous') return claimed ?? DEFAULT_USER_ID;
  if (claimed !== undefined && claimed !== identity.user_id) {
    throw ApiError.forbidden(`${field} ${claimed} does not match the authenticated user ${identity.user_id}`);
  }
  return identity.user_id;
}

/** Requesters see only their own runs, sessions and approvals; approvers and admins see all. */
export function canSeeAllUsers(identity: Identity): boolean {
  return identity.kind === 'anonymous' || identity.role !== 'requester';
}

export function assertCanRead(identity: Identity, ownerId: string, what = 'this run'): void {
  if (canSeeAllUsers(identity) || (identity.kind === 'token' && identity.user_id === ownerId)) return;
  throw ApiError.forbidden(`You may not see ${what}: it belongs to another user`);
}

/**
 * Role rules for deciding: requesters may decide only non-money L3 steps of their own runs;
 * approvers and admins may decide anyone's. The four-eyes rule (checkDecider) applies on top, for everyone.
 */
export function assertCanDecide(
  identity: Identity,
  run: Pick<RunView, 'user_id'>,
  approval: Pick<ApprovalRecord, 'tool' | 'risk_level'>,
): void {
  if (identity.kind === 'anonymous' || identity.role !== 'requester') return;
  if (run.user_id !== identity.user_id) throw ApiError.forbidden('Requesters may only decide steps of their own runs');
  if (isMoneyTransfer(approval)) throw ApiError.forbidden('Money transfers must be decided by an approver');
  if (approval.risk_level !== 'L3') throw ApiError.forbidden(`Only an approver may decide a ${approval.risk_level} step`);
}
