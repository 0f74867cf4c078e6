/** Approval links through `app.request` where Temporal is not the subject: refusals that come before any run is read. */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { testSecretsEnv } from '../../dev/stack-secrets.js';
import { parseConfig } from '../../src/runtime/config.js';
import { createGatewayApp } from '../../gateway/app.js';
import { TokenTable } from '../../gateway/auth.js';
import { signLink } from '../../src/webhooks/approval-links.js';

const SECRET = 'a-link-secret-of-at-least-32-characters';
const TOKENS = { manager: 'token-of-manager-0000001', bob: 'token-of-bob-00000000001' };
const tokens = new TokenTable({
  [TOKENS.manager]: { user_id: 'manager@bank.com', role: 'approver' },
  [TOKENS.bob]: { user_id: 'bob', role: 'approver' },
});
// Every case here is refused before a run is read; a client that throws on use proves it.
const noTemporal = new Proxy(
  {},
  {
    get: () => {
      throw new Error('Temporal was used');
    },
  },
) as Client;
const future = Math.floor(Date.now() / 1000) + 3600;
const token = signLink(SECRET, {
  a: 'req-1.transfer',
  h: null,
  p: 'manager@bank.com',
  d: 'approve',
  e: future,
  r: 'approver',
});

function appWith(env: Record<string, string>) {
  return createGatewayApp({
    client: noTemporal,
    config: parseConfig({ ...testSecretsEnv(), GATEWAY_AUTH: 'token', ...env }),
    tokens,
  });
}

describe('/approval-links/{token}', () => {
  const app = appWith({ APPROVAL_LINK_SECRET: SECRET });

  it.each(['GET', 'POST'])(
    '%s by someone signed in as another person: the link cannot be handed over',
    async (method) => {
      const res = await app.request(`/approval-links/${token}`, {
        method,
        headers: { authorization: `Bearer ${TOKENS.bob}` },
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      // As the README says: the link, a credential, never leaves in a Referer.
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const page = await res.text();
      expect(page).toContain('This link is for someone else');
      expect(page).toContain('sent to manager@bank.com');
    },
  );

  it('needs no bearer token (the link stands for its person), but answers a clear page when links are off', async () => {
    const res = await appWith({}).request(`/approval-links/${token}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('does not accept approval links');
  });

  it('escapes what it shows', async () => {
    const res = await app.request('/approval-links/%3Cscript%3E.x');
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('<script>');
  });
});
