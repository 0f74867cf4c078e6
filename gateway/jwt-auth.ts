/**
 * `GATEWAY_AUTH=jwt`: bearer tokens are JWTs, verified by Hono's JWK middleware against a JWKS URL
 * or by its JWT middleware against one public key file, with issuer, audience and expiry checked.
 * Claims named in config give the user id, the role and the groups; the identity that results is
 * the same as a token file's, so every rule downstream (four eyes, groups, who sees what) applies
 * unchanged.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { jwk } from 'hono/jwk';
import { jwt } from 'hono/jwt';
import type { JWTPayload } from 'hono/utils/jwt/types';
import type { AsymmetricAlgorithm } from 'hono/utils/jwt/jwa';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import type { Config } from '../src/runtime/config.js';
import { ConfigError } from '../src/runtime/config.js';
import { IdentitySchema } from '../src/shared/contracts.js';
import { ApiError } from './errors.js';
import { ROLES, type Identity, type Role } from './caller-identity.js';

type JwtConfig = Pick<
  Config,
  | 'JWT_JWKS_URL'
  | 'JWT_PUBLIC_KEY_FILE'
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
  | 'JWT_ALGORITHMS'
  | 'JWT_USER_CLAIM'
  | 'JWT_ROLE_CLAIM'
  | 'JWT_GROUPS_CLAIM'
>;

/** Checks one request's bearer JWT; resolves to the caller's identity or throws a 401 ApiError. */
export type JwtVerifier = (c: Context) => Promise<Identity & { kind: 'token' }>;

/** How long fetched signing keys are used before the JWKS is asked again. */
const JWKS_CACHE_MS = 5 * 60_000;
/**
 * A token with a `kid` the cache lacks asks again at once (keys rotate), but not more often than
 * this, so tokens with made-up kids cannot flood the issuer.
 */
const JWKS_REFETCH_MIN_MS = 10_000;

/** The algorithm a key file's key signs with: the key decides, so a token cannot pick a weaker one. */
function algorithmOfKey(pem: string, file: string): AsymmetricAlgorithm {
  const key = createPublicKey(pem);
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'ed25519':
      return 'EdDSA';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return 'ES256';
      if (curve === 'secp384r1') return 'ES384';
      if (curve === 'secp521r1') return 'ES512';
      throw new ConfigError(
        `invalid configuration:\n  JWT_PUBLIC_KEY_FILE ${file}: unsupported EC curve ${curve ?? 'unknown'}`,
      );
    }
    default:
      throw new ConfigError(
        `invalid configuration:\n  JWT_PUBLIC_KEY_FILE ${file}: ` +
          `unsupported key type ${key.asymmetricKeyType ?? 'unknown'} (RSA, EC or Ed25519)`,
      );
  }
}

function keyFileMiddleware(file: string, verification: { iss: string; aud: string }): MiddlewareHandler {
  let pem: string;
  let alg: AsymmetricAlgorithm;
  try {
    pem = readFileSync(file, 'utf8');
    alg = algorithmOfKey(pem, file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(
      `invalid configuration:\n  JWT_PUBLIC_KEY_FILE ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return jwt({ secret: pem, alg, verification });
}

/** Keys from the JWKS, fetched again when stale or when a token names a key the cache lacks. */
function jwksKeys(url: string): (c: Context) => Promise<HonoJsonWebKey[]> {
  let cached: { keys: HonoJsonWebKey[]; at: number } | undefined;
  return async (c) => {
    const age = cached ? Date.now() - cached.at : Infinity;
    const known = cached?.keys.some((k) => k.kid === kidOf(c)) === true;
    if (cached && (age < JWKS_REFETCH_MIN_MS || (known && age < JWKS_CACHE_MS))) return cached.keys;
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`JWKS ${url} answered ${response.status}`);
    const body = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error(`JWKS ${url} has no keys array`);
    cached = { keys: body.keys as HonoJsonWebKey[], at: Date.now() };
    return cached.keys;
  };
}

function kidOf(c: Context): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const header = token?.split('.')[0];
  if (!header) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof parsed.kid === 'string' ? parsed.kid : undefined;
  } catch {
    return undefined;
  }
}

function claimError(claim: string, why: string): ApiError {
  return ApiError.unauthorized(`Bearer token claim ${claim}: ${why}`);
}

/** The identity a verified token's claims name; a claim that is missing or malformed is a 401 naming it. */
export function identityOfClaims(
  payload: JWTPayload,
  config: Pick<JwtConfig, 'JWT_USER_CLAIM' | 'JWT_ROLE_CLAIM' | 'JWT_GROUPS_CLAIM'>,
): Identity & { kind: 'token' } {
  const user = IdentitySchema.safeParse(payload[config.JWT_USER_CLAIM]);
  if (!user.success) throw claimError(config.JWT_USER_CLAIM, 'must be a user id');
  const rawRole = payload[config.JWT_ROLE_CLAIM] ?? 'requester';
  if (typeof rawRole !== 'string' || !(ROLES as readonly string[]).includes(rawRole))
    throw claimError(config.JWT_ROLE_CLAIM, `must be one of ${ROLES.join(', ')}`);
  const rawGroups = payload[config.JWT_GROUPS_CLAIM] ?? [];
  const groups = IdentitySchema.array().max(50).safeParse(rawGroups);
  if (!groups.success) throw claimError(config.JWT_GROUPS_CLAIM, 'must be a list of at most 50 group names');
  return { kind: 'token', user_id: user.data, role: rawRole as Role, groups: groups.data };
}

/** Builds the verifier at start-up; a key file that cannot be read or used stops the gateway here. */
export function createJwtVerifier(config: JwtConfig): JwtVerifier {
  if (!config.JWT_ISSUER || !config.JWT_AUDIENCE)
    throw new ConfigError('invalid configuration:\n  JWT_ISSUER, JWT_AUDIENCE: required with GATEWAY_AUTH=jwt');
  const verification = { iss: config.JWT_ISSUER, aud: config.JWT_AUDIENCE };
  let middleware: MiddlewareHandler;
  if (config.JWT_PUBLIC_KEY_FILE) middleware = keyFileMiddleware(config.JWT_PUBLIC_KEY_FILE, verification);
  else if (config.JWT_JWKS_URL)
    middleware = jwk({ keys: jwksKeys(config.JWT_JWKS_URL), alg: config.JWT_ALGORITHMS, verification });
  else
    throw new ConfigError(
      'invalid configuration:\n  JWT_JWKS_URL: ' +
        'GATEWAY_AUTH=jwt needs exactly one of JWT_JWKS_URL and JWT_PUBLIC_KEY_FILE',
    );

  return async (c) => {
    let payload: JWTPayload | undefined;
    try {
      await middleware(c, async () => {
        payload = c.get('jwtPayload') as JWTPayload;
      });
    } catch (err) {
      if (err instanceof HTTPException) throw ApiError.unauthorized(`Invalid bearer token: ${reasonOf(err)}`);
      // The JWKS could not be fetched: nobody can be verified, which is a 401 for this caller, logged for the operator.
      console.warn(`gateway: JWT verification failed: ${err instanceof Error ? err.message : String(err)}`);
      throw ApiError.unauthorized('Invalid bearer token: the signing keys could not be read');
    }
    if (!payload) throw ApiError.unauthorized('Invalid bearer token');
    // A token that never expires stays good for whoever copies it; the middleware checks exp only when present.
    if (typeof payload.exp !== 'number') throw ApiError.unauthorized('Invalid bearer token: no expiry (exp)');
    return identityOfClaims(payload, config);
  };
}

/** Hono's JWT errors by class name, in words a caller can act on; never the token itself. */
const REASONS: Record<string, string> = {
  JwtTokenIssuer: 'wrong issuer',
  JwtTokenAudience: 'wrong audience',
  JwtTokenExpired: 'expired',
  JwtTokenNotBefore: 'not valid yet',
  JwtTokenIssuedAt: 'issued in the future',
  JwtHeaderInvalid: 'unsigned or not a JWT',
  JwtHeaderRequiresKid: 'no key id (kid) in the header',
  JwtTokenSignatureMismatched: 'bad signature',
  JwtAlgorithmNotAllowed: 'signature algorithm not accepted',
  JwtSymmetricAlgorithmNotAllowed: 'signature algorithm not accepted',
  JwtAlgorithmMismatch: 'signature algorithm not accepted',
  JwtTokenInvalid: 'malformed, or signed by a key the issuer does not publish',
  JwtPayloadRequiresAud: 'no audience',
};

function reasonOf(err: HTTPException): string {
  const name = err.cause instanceof Error ? err.cause.name : '';
  return REASONS[name] ?? 'verification failed';
}
