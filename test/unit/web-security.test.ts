/**
 * What a browser page on another origin can make the gateway do (nothing), the headers every
 * answer carries, and SSE tickets: through `app.request` on a client that refuses any use, so a
 * refused request provably reached no run.
 */
import type { Client } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/runtime/config.js';
import { createGatewayApp } from '../../gateway/app.js';
import { testSecretsEnv } from '../../dev/stack-secrets.js';
import { TokenTable } from '../../gateway/auth.js';
import { StreamTickets } from '../../gateway/stream-tickets.js';

const touched: string[] = [];
function forbiddenClient(): Client {
  return new Proxy({} as Client, {
    get(_target, prop) {
      touched.push(String(prop));
      throw new Error(`the gateway used Temporal (client.${String(prop)})`);
    },
  });
}
afterEach(() => {
  expect(touched).toEqual([]);
  touched.length = 0;
});

const offApp = createGatewayApp({
  client: forbiddenClient(),
  config: parseConfig({ ...testSecretsEnv(), GATEWAY_ALLOWED_ORIGINS: 'https://ops.example.com' }),
});
const chatBody = JSON.stringify({ message: 'Transfer 6000 to alice', user_id: 'default_user', session_id: 'forged' });
const post = (headers: Record<string, string>, url = 'http://127.0.0.1:8000/chat') =>
  offApp.request(url, { method: 'POST', body: chatBody, headers: { 'content-type': 'application/json', ...headers } });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('state changes only from the gateway origin (auth off)', () => {
  it.each<[string, Record<string, string>]>([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['the opaque origin of a sandboxed page or file', { origin: 'null' }],
    ['an opaque origin that the browser says is cross-site', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
    ['another port on the same host', { origin: 'http://127.0.0.1:9999' }],
    ['a cross-site fetch with no Origin', { 'sec-fetch-site': 'cross-site' }],
    ['a same-site fetch from a sibling origin', { 'sec-fetch-site': 'same-site' }],
    ['only a foreign Referer', { referer: 'https://evil.example/page.html' }],
  ])('refuses %s with 403 forbidden_origin', async (_name, headers) => {
    const res = await post(headers);
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('forbidden_origin');
  });

  it('refuses every state-changing route the same way', async () => {
    for (const path of [
      '/workflow/s1/approve',
      '/api/approvals/req-1.transfer/decision',
      '/api/workflows/submit',
      '/api/workflows/req-1/cancel',
      '/api/workflows/req-1/stream-ticket',
    ]) {
      const res = await post({ origin: 'https://evil.example' }, `http://127.0.0.1:8000${path}`);
      expect(res.status, path).toBe(403);
    }
  });

  it('refuses a foreign Host (DNS rebinding) even on reads', async () => {
    const res = await offApp.request('http://rebound.evil.example:8000/api/approvals');
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('forbidden_origin');
  });

  it('lets its own page, an allowed origin and non-browser clients through to validation', async () => {
    // An invalid body proves the request passed the guard without starting anything.
    const invalid = (headers: Record<string, string>) =>
      offApp.request('http://127.0.0.1:8000/chat', {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json', ...headers },
      });
    const variants: Record<string, string>[] = [
      { origin: 'http://127.0.0.1:8000' },
      { origin: 'https://ops.example.com' },
      { 'sec-fetch-site': 'same-origin' },
      // Its own page under Referrer-Policy: no-referrer (a link page's form): the browser hides the Origin.
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      { referer: 'http://127.0.0.1:8000/' },
      {},
    ];
    for (const headers of variants) {
      const res = await invalid(headers);
      expect(res.status, JSON.stringify(headers)).toBe(400);
    }
  });

  it('refuses a bad GATEWAY_ALLOWED_ORIGINS at start-up, naming the entry', () => {
    expect(() => parseConfig({ GATEWAY_ALLOWED_ORIGINS: 'https://ok.example, ops.example.com' })).toThrow(
      /GATEWAY_ALLOWED_ORIGINS.*ops\.example\.com/,
    );
    expect(() => parseConfig({ GATEWAY_ALLOWED_ORIGINS: 'https://ok.example/path' })).toThrow(
      /GATEWAY_ALLOWED_ORIGINS/,
    );
  });
});

describe('secure headers', () => {
  it('sends CSP without inline script, no framing, nosniff and a referrer policy on the page, the docs, the API and errors', async () => {
    for (const path of [
      '/',
      '/docs',
      '/docs/init.js',
      '/openapi.json',
      '/api/config',
      '/healthz',
      '/assets/app.js',
      '/api/nothing',
    ]) {
      const res = await offApp.request(`http://127.0.0.1:8000${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).not.toMatch(/unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
    }
  });

  it('serves pages with no inline script for that CSP to block', async () => {
    for (const path of ['/', '/docs']) {
      const html = await (await offApp.request(`http://127.0.0.1:8000${path}`)).text();
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag, path).toMatch(/\ssrc=/);
      expect(html, path).not.toMatch(/<script\b[^>]*>[^<\s]/);
      expect(html, path).not.toMatch(/\son[a-z]+=/i);
    }
  });
});

describe('SSE tickets', () => {
  it('are single use, expire, and open only the run they were issued for', () => {
    let now = 1_000_000;
    const tickets = new StreamTickets(60_000, () => now);
    const who = { kind: 'token', user_id: 'alice', role: 'requester' } as const;
    const a = tickets.issue('req-1', who)!;
    expect(new Date(a.expires_at).getTime()).toBe(now + 60_000);
    expect(tickets.redeem(a.ticket, 'req-2')).toBeUndefined();
    expect(tickets.redeem(a.ticket, 'req-1')).toBeUndefined();
    const b = tickets.issue('req-1', who)!;
    expect(tickets.redeem(b.ticket, 'req-1')).toEqual(who);
    expect(tickets.redeem(b.ticket, 'req-1')).toBeUndefined();
    const c = tickets.issue('req-1', who)!;
    now += 60_000;
    expect(tickets.redeem(c.ticket, 'req-1')).toBeUndefined();
  });

  it('replace the bearer token in the URL: ?access_token= no longer opens a stream', async () => {
    const tokens = new TokenTable({ 'token-of-alice-000000001': { user_id: 'alice', role: 'requester' } });
    const authed = createGatewayApp({
      client: forbiddenClient(),
      config: parseConfig({ ...testSecretsEnv(), GATEWAY_AUTH: 'token' }),
      tokens,
    });
    for (const query of ['access_token=token-of-alice-000000001', 'ticket=not-a-ticket', 'ticket=']) {
      const res = await authed.request(`/api/workflows/req-1/stream?${query}`);
      expect(res.status, query).toBe(401);
    }
  });
});
