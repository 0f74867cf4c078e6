/**
 * Every invalid request is refused with the one error shape before the gateway touches Temporal:
 * the app runs here on a client that records (and refuses) any use, so nothing can be started or sent.
 */
import { Client, Connection } from '@temporalio/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/runtime/config.js';
import { createGatewayApp } from '../../gateway/app.js';
import { TokenTable } from '../../gateway/auth.js';
import { gatewayConnectionOptions } from '../../gateway/gateway-connection.js';
import { BAD_REQUESTS, send } from '../support/bad-requests.js';
import { testSecretsEnv } from '../../dev/stack-secrets.js';

const touched: string[] = [];

/** A Temporal client that must not be used: any property read is recorded and throws. */
function forbiddenClient(): Client {
  return new Proxy({} as Client, {
    get(_target, prop) {
      touched.push(String(prop));
      throw new Error(`the gateway used Temporal (client.${String(prop)}) for an invalid request`);
    },
  });
}

const config = parseConfig({ ...testSecretsEnv(), TASK_QUEUE: 'validation-tests' });
const app = createGatewayApp({ client: forbiddenClient(), config });
const request = (url: string, init: RequestInit) => Promise.resolve(app.request(url, init));

afterEach(() => {
  expect(touched).toEqual([]);
  touched.length = 0;
});

describe('invalid requests (auth off)', () => {
  it.each(BAD_REQUESTS.map((b) => [b.name, b] as const))('%s', async (_name, bad) => {
    const res = await send('', bad, request);
    expect(res.status).toBe(bad.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(body.error.code).toBe(bad.code);
    if (bad.message) expect(body.error.message).toMatch(bad.message);
  });

  it('refuses an oversized body sent without Content-Length (chunked) with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await app.request('/chat', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'payload_too_large', message: expect.stringContaining('65536') },
    });
  });

  it('never leaks a stack trace: an unexpected failure is a generic 500', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await app.request('/api/workflows/req-x');
    touched.length = 0;
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[1])).toMatch(/used Temporal/);
    logged.mockRestore();
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
    expect(JSON.stringify(body)).not.toMatch(/at |forbiddenClient|\.ts/);
  });
});

describe('auth on (GATEWAY_AUTH=token)', () => {
  const tokens = new TokenTable({
    'token-of-alice-0000000001': { user_id: 'alice', role: 'requester' },
    'token-of-the-manager-0001': { user_id: 'manager@bank.com', role: 'approver' },
  });
  const authed = createGatewayApp({
    client: forbiddenClient(),
    config: parseConfig({ ...testSecretsEnv(), GATEWAY_AUTH: 'token' }),
    tokens,
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  it('answers 401 without a token, with an unknown token, and with a malformed header', async () => {
    const variants: Record<string, string>[] = [{}, bearer('not-a-known-token-at-all'), { authorization: 'Basic abc' }];
    for (const headers of variants) {
      const res = await authed.request('/chat', { method: 'POST', body: JSON.stringify({ message: 'hi' }), headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    for (const path of ['/api/approvals', '/sessions', '/api/workflows/req-x', '/workflow/s/status']) {
      expect((await authed.request(path)).status).toBe(401);
    }
  });

  it('answers 403 when a body id disagrees with the token', async () => {
    const chat = await authed.request('/chat', {
      method: 'POST',
      body: JSON.stringify({ message: 'hi', user_id: 'bob' }),
      headers: bearer('token-of-alice-0000000001'),
    });
    expect(chat.status).toBe(403);
    expect(((await chat.json()) as { error: { message: string } }).error.message).toMatch(/bob.*alice/);
    const approve = await authed.request('/workflow/s1/approve', {
      method: 'POST',
      body: JSON.stringify({ approver_id: 'someone@bank.com', approved: true }),
      headers: bearer('token-of-the-manager-0001'),
    });
    expect(approve.status).toBe(403);
    const decision = await authed.request('/api/approvals/req-x.transfer/decision', {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve', decided_by: 'alice' }),
      headers: bearer('token-of-the-manager-0001'),
    });
    expect(decision.status).toBe(403);
    const sessions = await authed.request('/sessions?user_id=bob', { headers: bearer('token-of-alice-0000000001') });
    expect(sessions.status).toBe(403);
  });

  it('keeps health, docs and the web page public', async () => {
    for (const path of ['/healthz', '/openapi.json', '/docs', '/', '/docs/swagger-ui.css']) {
      expect((await authed.request(path)).status, path).toBe(200);
    }
  });
});

describe('readiness', () => {
  it('answers /readyz with 503 when Temporal is unreachable, and /healthz with 200', async () => {
    const connection = Connection.lazy(gatewayConnectionOptions({ TEMPORAL_ADDRESS: '127.0.0.1:1' }));
    const client = new Client({ connection });
    const unreachable = createGatewayApp({ client, config });
    try {
      const started = Date.now();
      const ready = await unreachable.request('/readyz');
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('temporal_unavailable');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await unreachable.request('/healthz')).status).toBe(200);
    } finally {
      await connection.close().catch(() => undefined);
    }
  });
});
