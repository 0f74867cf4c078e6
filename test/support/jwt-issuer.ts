/** A JWT issuer for tests: its own keys, a JWKS served over real HTTP on loopback, and tokens signed on demand. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const TEST_ISSUER = 'https://issuer.test.local';
export const TEST_AUDIENCE = 'approvals-gateway';

export interface JwtIssuer {
  jwksUrl: string;
  /** The public key as PEM (SPKI), for JWT_PUBLIC_KEY_FILE. */
  publicKeyPem: string;
  /**
   * A token with the issuer's key; `claims` override the defaults (iss, aud, an expiry one hour
   * ahead); `expiresIn: null` leaves `exp` out.
   */
  sign(claims: JWTPayload, options?: { expiresIn?: string | number | null; kid?: string }): Promise<string>;
  close(): Promise<void>;
}

const ALG = 'ES256';

export async function startJwtIssuer(kid = 'test-key-1'): Promise<JwtIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    publicKeyPem: await exportSPKI(publicKey),
    sign: (claims, options = {}) =>
      signWith(
        privateKey,
        { iss: TEST_ISSUER, aud: TEST_AUDIENCE, ...claims },
        options.expiresIn === undefined ? '1h' : options.expiresIn,
        options.kid ?? kid,
      ),
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/**
 * The gateway settings that trust `issuer` (GATEWAY_AUTH=jwt): identity from `email`, role from
 * `app_role`. Tests add the rest (a groups claim, a policy, link secrets) on top.
 */
export function jwtGatewayEnv(issuer: JwtIssuer): Record<string, string> {
  return {
    GATEWAY_AUTH: 'jwt',
    JWT_JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: TEST_ISSUER,
    JWT_AUDIENCE: TEST_AUDIENCE,
    JWT_USER_CLAIM: 'email',
    JWT_ROLE_CLAIM: 'app_role',
  };
}

/** Signs with a key of the caller's choosing (a stranger's key, to prove a token it signs is refused). */
export async function signWith(
  key: CryptoKey,
  claims: JWTPayload,
  expiresIn: string | number | null,
  kid: string,
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: ALG, kid, typ: 'JWT' }).setIssuedAt();
  return (expiresIn === null ? jwt : jwt.setExpirationTime(expiresIn)).sign(key);
}

export async function strangerKey(): Promise<CryptoKey> {
  return (await generateKeyPair(ALG)).privateKey;
}

/** A token with `alg: none`: no signature at all. */
export function unsignedToken(claims: JWTPayload, kid = 'test-key-1'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT', kid })}.${part({ iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.`;
}
