/**
 * GATEWAY_AUTH=jwt settings checked at start-up, and a public key file instead of a JWKS: the
 * gateway's own auth middleware with Hono's JWT middleware behind it, called through app.request.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/runtime/config.js';
import { authMiddleware, type GatewayVariables } from '../../gateway/auth.js';
import { onError } from '../../gateway/errors.js';
import { createJwtVerifier } from '../../gateway/jwt-auth.js';
import { StreamTickets } from '../../gateway/stream-tickets.js';
import { startJwtIssuer, TEST_AUDIENCE, TEST_ISSUER, type JwtIssuer } from '../support/jwt-issuer.js';

const dir = mkdtempSync(path.join(tmpdir(), 'jwt-settings-'));
let issuer: JwtIssuer;
let keyFile: string;
beforeAll(async () => {
  issuer = await startJwtIssuer();
  keyFile = path.join(dir, 'issuer.pem');
  writeFileSync(keyFile, issuer.publicKeyPem);
});
afterAll(async () => {
  await issuer?.close();
  rmSync(dir, { recursive: true, force: true });
});

const jwtEnv = (extra: Record<string, string>) => ({
  GATEWAY_AUTH: 'jwt',
  JWT_ISSUER: TEST_ISSUER,
  JWT_AUDIENCE: TEST_AUDIENCE,
  ...extra,
});

describe('JWT settings at start-up', () => {
  it.each<[string, Record<string, string>, string]>([
    [
      'no key source',
      { GATEWAY_AUTH: 'jwt', JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' },
      'JWT_JWKS_URL: GATEWAY_AUTH=jwt needs exactly one of JWT_JWKS_URL and JWT_PUBLIC_KEY_FILE',
    ],
    [
      'both key sources',
      jwtEnv({ JWT_JWKS_URL: 'https://idp.test/jwks', JWT_PUBLIC_KEY_FILE: '/k.pem' }),
      'needs exactly one of',
    ],
    [
      'no issuer',
      { GATEWAY_AUTH: 'jwt', JWT_AUDIENCE: 'a', JWT_JWKS_URL: 'https://idp.test/jwks' },
      'JWT_ISSUER: required with GATEWAY_AUTH=jwt',
    ],
    [
      'no audience',
      { GATEWAY_AUTH: 'jwt', JWT_ISSUER: 'i', JWT_JWKS_URL: 'https://idp.test/jwks' },
      'JWT_AUDIENCE: required with GATEWAY_AUTH=jwt',
    ],
    ['a JWKS URL that is not one', jwtEnv({ JWT_JWKS_URL: 'not a url' }), 'JWT_JWKS_URL'],
    [
      'a symmetric algorithm',
      jwtEnv({ JWT_JWKS_URL: 'https://idp.test/jwks', JWT_ALGORITHMS: 'HS256' }),
      'JWT_ALGORITHMS',
    ],
  ])('refuses %s, naming the setting', (_name, env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('refuses a key file that cannot be read or is not a public key, naming it', () => {
    const missing = path.join(dir, 'missing.pem');
    expect(() => createJwtVerifier(parseConfig(jwtEnv({ JWT_PUBLIC_KEY_FILE: missing })))).toThrow(
      `JWT_PUBLIC_KEY_FILE ${missing}: ENOENT`,
    );
    const garbage = path.join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    expect(() => createJwtVerifier(parseConfig(jwtEnv({ JWT_PUBLIC_KEY_FILE: garbage })))).toThrow(
      `JWT_PUBLIC_KEY_FILE ${garbage}:`,
    );
  });
});

describe('a public key file', () => {
  function appWithKeyFile() {
    const config = parseConfig(jwtEnv({ JWT_PUBLIC_KEY_FILE: keyFile }));
    const app = new Hono<{ Variables: GatewayVariables }>()
      .use(authMiddleware({ tokens: undefined, jwt: createJwtVerifier(config), tickets: new StreamTickets() }))
      .get('/api/whoami', (c) => c.json(c.get('identity')));
    app.onError(onError);
    return app;
  }

  it('verifies a token signed by its key, with the default claims sub, role and groups', async () => {
    const token = await issuer.sign({ sub: 'carol', role: 'approver', groups: ['approvers', 'managers'] });
    const res = await appWithKeyFile().request('/api/whoami', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      kind: 'token',
      user_id: 'carol',
      role: 'approver',
      groups: ['approvers', 'managers'],
    });
  });

  it('makes a token without a role claim a requester with no groups (least privilege)', async () => {
    const token = await issuer.sign({ sub: 'dave' });
    const res = await appWithKeyFile().request('/api/whoami', { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual({ kind: 'token', user_id: 'dave', role: 'requester', groups: [] });
  });

  it.each<[string, Record<string, unknown>]>([
    ['wrong issuer', { sub: 'carol', iss: 'https://elsewhere.test' }],
    ['wrong audience', { sub: 'carol', aud: 'someone-else' }],
    ['groups that are not a list of names', { sub: 'carol', groups: 'approvers' }],
  ])('refuses a %s with 401', async (_name, claims) => {
    const token = await issuer.sign(claims);
    const res = await appWithKeyFile().request('/api/whoami', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^(Invalid bearer token|Bearer token claim groups)/,
    );
  });
});
