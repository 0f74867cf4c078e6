/**
 * Auth on (GATEWAY_AUTH=token, tokens from a temp file) against the real stack: every documented
 * route is enumerated from /openapi.json, and only the public ones answer without a token; no path
 * trick reaches a protected route through a public prefix. Nothing refused reaches a run.
 * (test/e2e/auth.test.ts keeps requesters in their own runs; test/e2e/auth-e2e.test.ts covers the basic cases.)
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { as, TOKENS, useAuthOnStack } from '../support/auth-on.js';

/** The routes the brief allows without a token; `/api/config` (the page's settings) is the gateway's addition. */
const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /',
  'GET /docs',
  'GET /openapi.json',
  'GET /api/config',
]);
/** Public because the signed link is the credential: the route refuses a bad link itself (a page, never 401). */
const LINK_ROUTES = new Set(['GET /approval-links/{token}', 'POST /approval-links/{token}']);

const { stack, aliceTransfer, expectUntouched } = useAuthOnStack();

interface Operation {
  method: string;
  template: string;
  documentedPublic: boolean;
}

async function documentedOperations(): Promise<Operation[]> {
  const doc = await call<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>(
    stack.baseUrl,
    'GET',
    '/openapi.json',
  );
  expect(doc.status).toBe(200);
  return Object.entries(doc.body.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      documentedPublic: Array.isArray(op.security) && op.security.length === 0,
    })),
  );
}

function fill(template: string, ids: { id: string; approvalId: string; sessionId: string }): string {
  const id = template.startsWith('/api/approvals/{id}') ? ids.approvalId : ids.id;
  return template.replace('{session_id}', ids.sessionId).replace('{id}', id);
}

/** A GET answered with headers only: SSE streams would otherwise stay open. */
async function statusOf(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: abort.signal,
  });
  const text = res.headers.get('content-type')?.startsWith('text/event-stream') ? '' : await res.text();
  abort.abort();
  return { status: res.status, text };
}

describe('auth on: every route but the public ones needs a token', () => {
  it('answers every documented route but the public ones with 401 when the token is missing, unknown or malformed', async () => {
    const operations = await documentedOperations();
    expect(operations.length).toBeGreaterThanOrEqual(18);
    const real = {
      id: aliceTransfer().workflowId,
      approvalId: aliceTransfer().approvalId,
      sessionId: aliceTransfer().sessionId,
    };
    const bodies: Record<string, unknown> = {
      'POST /chat': { message: 'Transfer 1 to Kiran' },
      'POST /workflow/{session_id}/approve': { approved: true, approver_id: 'manager@bank.com' },
      'POST /api/workflows/submit': { intent: 'plan groceries' },
      'POST /api/approvals/{id}/decision': { decision: 'approve', decided_by: 'manager@bank.com' },
    };
    const badCredentials: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-a-token-anyone-was-given' },
      { authorization: `Bearer ${TOKENS.alice}x` },
      { authorization: 'Bearer' },
      { authorization: `Basic ${Buffer.from(`alice:${TOKENS.alice}`).toString('base64')}` },
      { authorization: `Token ${TOKENS.admin}` },
      { 'x-access-token': TOKENS.admin },
    ];
    for (const op of operations) {
      const key = `${op.method} ${op.template}`;
      const isPublic = PUBLIC_ROUTES.has(key);
      expect(
        op.documentedPublic,
        `${key}: the document's security says ${op.documentedPublic ? 'public' : 'protected'}`,
      ).toBe(isPublic || LINK_ROUTES.has(key));
      if (LINK_ROUTES.has(key)) {
        for (const headers of badCredentials) {
          const res = await statusOf(`${stack.baseUrl}/approval-links/not-a-link`, op.method, headers);
          expect(res.status, `${key} refuses a bad link by itself`).toBe(404);
          expect(res.text).toContain('does not accept approval links');
        }
        continue;
      }
      const url = `${stack.baseUrl}${fill(op.template, real)}`;
      const body = bodies[key] === undefined ? undefined : JSON.stringify(bodies[key]);
      for (const headers of badCredentials) {
        const res = await statusOf(url, op.method, headers, body);
        if (isPublic) {
          expect(res.status, `${key} is public`).toBe(200);
          continue;
        }
        expect(res.status, `${key} with ${JSON.stringify(headers)}`).toBe(401);
        expect(JSON.parse(res.text)).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      }
      if (!isPublic && op.method === 'GET' && !key.endsWith('/stream')) {
        // ?access_token= is for EventSource only; any other route ignores it.
        const sep = url.includes('?') ? '&' : '?';
        expect(
          (await statusOf(`${url}${sep}access_token=${TOKENS.admin}`, 'GET', {})).status,
          `${key}?access_token`,
        ).toBe(401);
      }
      // With a token the route is there (never 401, never 5xx); unknown ids keep it free of side effects.
      const none = {
        id: 'req-00000000-0000-0000-0000-000000000000',
        approvalId: 'req-00000000-0000-0000-0000-000000000000.transfer',
        sessionId: 'no-such-session',
      };
      const authed = await statusOf(
        `${stack.baseUrl}${fill(op.template, none)}`,
        op.method,
        as('admin'),
        op.method === 'POST' ? '{}' : undefined,
      );
      expect(authed.status, `${key} with the admin's token`).not.toBe(401);
      expect(authed.status, `${key} with the admin's token`).toBeLessThan(500);
    }
    await expectUntouched(aliceTransfer().workflowId);
  });

  it('does not let a path trick reach a protected route through a public prefix', async () => {
    for (const raw of [
      '/docs/../api/approvals',
      '/assets/..%2F..%2Fapi%2Fapprovals',
      '/docs/%2e%2e/api/approvals',
      '/healthz/../sessions',
      '//api/approvals',
      '/API/approvals',
    ]) {
      const res = await rawGet(raw);
      expect([401, 404], `${raw}: ${res.status} ${res.body.slice(0, 200)}`).toContain(res.status);
      expect(res.body).not.toMatch(/"approvals"|"sessions"/);
    }
  });
});

/** A GET sent byte for byte as given (fetch would normalise the path first). */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: 'GET', path: rawPath }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
