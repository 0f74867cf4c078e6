/**
 * Identity: who is calling, and what they may see and decide.
 *
 * Auth off (the local default): ids come from the request body and the caller may see everything;
 * the four-eyes rule is still enforced. Auth on (`GATEWAY_AUTH=token`, or `jwt` for JWTs, see
 * jwt-auth.ts): every protected route needs `Authorization: Bearer <token>`, the user id comes from
 * the token, and a body id that disagrees with it is refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { IdentitySchema } from '../src/shared/contracts.js';
import { normalizeIdentity, sameIdentity } from '../src/shared/identity.js';
import { ApiError, describeZodError } from './errors.js';
import type { JwtVerifier } from './jwt-auth.js';
import type { StreamTickets } from './stream-tickets.js';
import { LINK_PATH_PREFIX } from '../src/webhooks/approval-links.js';
import { ROLES, type Identity } from './caller-identity.js';

export { ROLES, type Identity, type Role } from './caller-identity.js';

export interface GatewayVariables {
  identity: Identity;
}

/** The user id used when auth is off and the body names none (as in the original banking API). */
export const DEFAULT_USER_ID = 'default_user';

/**
 * `groups`: what approval stages and `requester_groups` rules of the policy check; sent to the run
 * with each decision.
 */
const TokenEntrySchema = z.strictObject({
  user_id: IdentitySchema,
  role: z.enum(ROLES),
  groups: z.array(IdentitySchema).max(50).optional(),
});
export const TokenFileSchema = z.record(z.string().min(16, 'tokens must be at least 16 characters'), TokenEntrySchema);
export type TokenFile = z.infer<typeof TokenFileSchema>;

/**
 * Tokens are kept by their SHA-256, so a lookup does not compare secrets byte by byte. Two
 * different ids that name one person after normalisation (`Bob`, `bob`) are refused: four eyes
 * would otherwise depend on which token someone used.
 */
export class TokenTable {
  private readonly byHash = new Map<string, TokenFile[string]>();

  constructor(tokens: TokenFile) {
    const spelled = new Map<string, string>();
    for (const [token, entry] of Object.entries(tokens)) {
      const key = normalizeIdentity(entry.user_id);
      const earlier = spelled.get(key);
      if (earlier !== undefined && earlier !== entry.user_id) {
        throw new Error(
          `user ids ${JSON.stringify(earlier)} and ${JSON.stringify(entry.user_id)} name the same person ` +
            "once normalised; spell each person's id one way",
        );
      }
      spelled.set(key, entry.user_id);
      this.byHash.set(hashToken(token), entry);
    }
  }

  /** A person's groups as their token names them (several tokens of one person: all their groups). */
  groupsOfUser(userId: string): string[] {
    const groups = new Set<string>();
    for (const entry of this.byHash.values()) {
      if (sameIdentity(entry.user_id, userId)) for (const group of entry.groups ?? []) groups.add(group);
    }
    return [...groups];
  }

  lookup(token: string): TokenFile[string] | undefined {
    return this.byHash.get(hashToken(token));
  }

  static fromFile(path: string): TokenTable {
    return new TokenTable(TokenTable.fileOf(path));
  }

  /** The people a tokens file names (one entry per token), for those who act on their behalf. */
  static entriesOf(path: string): TokenFile[string][] {
    return Object.values(TokenTable.fileOf(path));
  }

  private static fileOf(path: string): TokenFile {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`GATEWAY_TOKENS_FILE ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const parsed = TokenFileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`GATEWAY_TOKENS_FILE ${path}: ${describeZodError(parsed.error)}`);
    try {
      new TokenTable(parsed.data);
    } catch (err) {
      throw new Error(`GATEWAY_TOKENS_FILE ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return parsed.data;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
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
    path === '/favicon.ico' ||
    // One-click approval links: the signed link stands for its person.
    path.startsWith(LINK_PATH_PREFIX)
  );
}

export interface AuthOptions {
  /** Undefined (and no `jwt`): auth off. */
  tokens: TokenTable | undefined;
  /** GATEWAY_AUTH=jwt: verifies bearer JWTs instead of looking tokens up. */
  jwt?: JwtVerifier | undefined;
  tickets: StreamTickets;
}

const STREAM_PATH = /^\/api\/workflows\/([^/]+)\/stream$/;

/**
 * Sets `identity` on the context. With tokens, protected routes need a known bearer token. The
 * SSE stream also takes `?ticket=` (from `POST /api/workflows/{id}/stream-ticket`) because a
 * browser EventSource cannot send headers; the ticket stands for the identity it was issued to.
 */
export function authMiddleware(options: AuthOptions): MiddlewareHandler<{ Variables: GatewayVariables }> {
  return async function auth(c, next) {
    const stream = c.req.method === 'GET' ? STREAM_PATH.exec(c.req.path) : null;
    const ticket = stream ? c.req.query('ticket') : undefined;
    if (stream && ticket !== undefined) {
      const identity = options.tickets.redeem(ticket, safeDecode(stream[1]!));
      if (!identity)
        throw ApiError.unauthorized(
          'Unknown, used or expired stream ticket; ask POST /api/workflows/{id}/stream-ticket for a new one',
        );
      c.set('identity', identity);
      return next();
    }
    const header = c.req.header('authorization');
    const token = header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if ((!options.tokens && !options.jwt) || isPublicPath(c.req.path)) {
      // A public page still knows who is signed in (an approval link refuses someone else).
      c.set('identity', (token && (await signedInOnPublicPath(options, token, c))) || { kind: 'anonymous' });
      return next();
    }
    if (!token) throw ApiError.unauthorized('Missing bearer token (Authorization: Bearer <token>)');
    if (options.jwt) {
      c.set('identity', await options.jwt(c));
      return next();
    }
    const entry = options.tokens?.lookup(token);
    if (!entry) throw ApiError.unauthorized('Unknown bearer token');
    c.set('identity', { kind: 'token', ...entry });
    return next();
  };
}

/**
 * Who a bearer token on a public path names, if anyone; an unknown or invalid one names no one
 * (the path is public). A JWT is verified only on approval links, the one public page that asks.
 */
async function signedInOnPublicPath(options: AuthOptions, token: string, c: Context): Promise<Identity | undefined> {
  const known = options.tokens?.lookup(token);
  if (known) return { kind: 'token', ...known };
  if (!options.jwt || !c.req.path.startsWith(LINK_PATH_PREFIX)) return undefined;
  return options.jwt(c).catch(() => undefined);
}

/**
 * The acting user id: the token's, or the body's (default `default_user`) when auth is off.
 * A body id that names someone else than the token is 403.
 */
export function actingUserId(identity: Identity, claimed: string | undefined, field = 'user_id'): string {
  if (identity.kind === 'anonymous') return claimed ?? DEFAULT_USER_ID;
  if (claimed !== undefined && !sameIdentity(claimed, identity.user_id)) {
    throw ApiError.forbidden(`${field} ${claimed} does not match the authenticated user ${identity.user_id}`);
  }
  return identity.user_id;
}

/** The decider's id: the token's, or the body's (required when auth is off). */
export function deciderIdOf(identity: Identity, claimed: string | undefined, field: string): string {
  if (identity.kind === 'anonymous' && claimed === undefined) throw ApiError.badRequest(`body.${field}: required`);
  return actingUserId(identity, claimed, field);
}

/** Requesters see only their own runs, sessions and approvals; approvers and admins see all. */
export function canSeeAllUsers(identity: Identity): boolean {
  return identity.kind === 'anonymous' || identity.role !== 'requester';
}

export function canRead(identity: Identity, ownerId: string): boolean {
  return canSeeAllUsers(identity) || (identity.kind === 'token' && sameIdentity(identity.user_id, ownerId));
}

/**
 * What the caller may not see is answered exactly like what does not exist (the caller passes the
 * same message its lookup uses for a missing id), so ids cannot be probed.
 */
export function assertCanRead(identity: Identity, ownerId: string, notFoundMessage: string): void {
  if (!canRead(identity, ownerId)) throw ApiError.notFound(notFoundMessage);
}

/** A user's session list: refused whether or not the user exists, so a 403 reveals nothing. */
export function assertCanListSessionsOf(identity: Identity, userId: string): void {
  if (!canRead(identity, userId)) throw ApiError.forbidden("You may not list another user's sessions");
}

/** The caller's groups as authenticated; none when auth is off, so only `*` stages accept such a decision. */
export function groupsOf(identity: Identity): string[] | undefined {
  return identity.kind === 'token' && identity.groups && identity.groups.length > 0 ? [...identity.groups] : undefined;
}
