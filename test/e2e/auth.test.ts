/**
 * Auth on (GATEWAY_AUTH=token, tokens from a temp file) against the real stack. Every documented
 * route is enumerated from /openapi.json: only the public ones answer without a token. Requesters
 * cannot read or decide each other's runs, an approver cannot approve their own transfer, and ids
 * in a body or query that disagree with the token are refused. Nothing refused reaches a run.
 * (test/e2e/auth-e2e.test.ts covers the basic cases for the default user; these add the rest.)
 */
import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, readSse, type JsonResponse } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import {
  decisionsInHistory,
  expectExactlyOnQueue,
  get,
  LIFE_OS_SENTENCE,
  STACK_TRACE_LINE,
  waitForStatus,
} from '../support/reliability.js';
import { useStackWithTokens } from '../support/fixtures.js';
import { postDecision } from '../support/chat.js';

const TOKENS = {
  alice: 'requester-token-alice-0000000001',
  bob: 'requester-token-bob-00000000000001',
  manager: 'approver-token-manager-000000001',
  admin: 'admin-token-root-00000000000000001',
} as const;
type Who = keyof typeof TOKENS;

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

const stack = useStackWithTokens({
  [TOKENS.alice]: { user_id: 'alice', role: 'requester' },
  [TOKENS.bob]: { user_id: 'bob', role: 'requester' },
  [TOKENS.manager]: { user_id: 'manager@bank.com', role: 'approver' },
  [TOKENS.admin]: { user_id: 'root@bank.com', role: 'admin' },
});
const started: string[] = [];

interface Pending {
  workflowId: string;
  sessionId: string;
  approvalId: string;
}
let aliceTransfer: Pending;
let aliceLife: Pending;

const as = (who: Who): Record<string, string> => ({ authorization: `Bearer ${TOKENS[who]}` });

function expectError(res: JsonResponse, status: number, code: string, what: string): void {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body, what).toEqual({ error: { code, message: expect.any(String) } });
  expect(JSON.stringify(res.body)).not.toMatch(STACK_TRACE_LINE);
}

async function chat(who: Who, message: string): Promise<Pending> {
  const res = await call(stack.baseUrl, 'POST', '/chat', { message }, as(who));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  started.push(res.body.workflow_id);
  return { workflowId: res.body.workflow_id, sessionId: res.body.session_id, approvalId: res.body.reply.approval_id };
}

/** Decision updates and signals, and cancel requests, that reached the run. */
async function expectUntouched(workflowId: string): Promise<void> {
  const handle = stack.client.workflow.getHandle(workflowId);
  expect(await decisionsInHistory(handle)).toEqual([]);
  const history = await handle.fetchHistory();
  expect(history.events?.filter((e) => e.workflowExecutionCancelRequestedEventAttributes != null)).toEqual([]);
  expect((await get(stack.baseUrl, `/api/workflows/${workflowId}`, as('admin'))).body.status).toBe('WAITING_APPROVAL');
}

beforeAll(async () => {
  aliceTransfer = await chat('alice', 'Transfer 6000 to Kiran');
  const submitted = await call(
    stack.baseUrl,
    'POST',
    '/api/workflows/submit',
    { intent: LIFE_OS_SENTENCE },
    as('alice'),
  );
  expect(submitted.status).toBe(200);
  started.push(submitted.body.workflow_id);
  await waitForStatus(stack.baseUrl, submitted.body.workflow_id, ['WAITING_APPROVAL'], 30_000, as('alice'));
  const approvals = await get(stack.baseUrl, `/api/approvals/workflow/${submitted.body.workflow_id}`, as('alice'));
  aliceLife = {
    workflowId: submitted.body.workflow_id,
    sessionId: submitted.body.session_id,
    approvalId: approvals.body.approvals[0].approval_id,
  };
});

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

describe('auth on: who may call what', () => {
  it('answers every documented route but the public ones with 401 when the token is missing, unknown or malformed', async () => {
    const operations = await documentedOperations();
    expect(operations.length).toBeGreaterThanOrEqual(18);
    const real = {
      id: aliceTransfer.workflowId,
      approvalId: aliceTransfer.approvalId,
      sessionId: aliceTransfer.sessionId,
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
    await expectUntouched(aliceTransfer.workflowId);
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

  it("keeps a requester out of another requester's runs, sessions and approvals (404, as for ids that do not exist), and nothing reaches the runs", async () => {
    for (const run of [aliceTransfer, aliceLife]) {
      const reads = [
        `/api/workflows/${run.workflowId}`,
        `/api/workflows/${run.workflowId}/timeline`,
        `/api/approvals/workflow/${run.workflowId}`,
        `/api/approvals/${run.approvalId}`,
        `/workflow/${run.sessionId}/status`,
      ];
      for (const p of reads) expectError(await get(stack.baseUrl, p, as('bob')), 404, 'not_found', `bob GET ${p}`);
      expectError(
        await get(stack.baseUrl, '/sessions?user_id=alice', as('bob')),
        403,
        'forbidden',
        "bob lists alice's sessions",
      );
      const stream = await readSse(`${stack.baseUrl}/api/workflows/${run.workflowId}/stream`, {
        headers: as('bob'),
        timeoutMs: 5000,
      });
      expect(stream.status).toBe(404);
      expect(stream.events).toEqual([]);
      expectError(
        await call(stack.baseUrl, 'POST', `/api/workflows/${run.workflowId}/stream-ticket`, undefined, as('bob')),
        404,
        'not_found',
        'bob asks for a ticket',
      );
      for (const approved of [true, false]) {
        expectError(
          await call(stack.baseUrl, 'POST', `/workflow/${run.sessionId}/approve`, { approved }, as('bob')),
          404,
          'not_found',
          `bob decides ${run.approvalId} through the session`,
        );
        expectError(
          await postDecision(stack.baseUrl, run.approvalId, { decision: approved ? 'approve' : 'reject' }, as('bob')),
          404,
          'not_found',
          `bob decides ${run.approvalId}`,
        );
      }
      expectError(
        await call(stack.baseUrl, 'POST', `/api/workflows/${run.workflowId}/cancel`, undefined, as('bob')),
        404,
        'not_found',
        'bob cancels',
      );
      expect((await get(stack.baseUrl, `/api/workflows/${run.workflowId}`, as('alice'))).status).toBe(200);
      await expectUntouched(run.workflowId);
    }

    // Listings: bob's own sessions and inbox never show alice's, even once visibility has them.
    await waitFor(
      async () => {
        const all = await call(stack.baseUrl, 'GET', '/sessions?user_id=alice', undefined, as('admin'));
        return all.body.sessions?.length >= 2 || undefined;
      },
      { timeoutMs: 20_000, what: "alice's sessions in visibility" },
    );
    const bobs = await call(stack.baseUrl, 'GET', '/sessions', undefined, as('bob'));
    expect(bobs.status).toBe(200);
    expect(bobs.body.sessions).toEqual([]);
    const inbox = await call(stack.baseUrl, 'GET', '/api/approvals?status=pending', undefined, as('bob'));
    expect(inbox.body.approvals).toEqual([]);
  });

  it('refuses an approver approving their own transfer on both routes (four eyes); an admin may', async () => {
    const own = await chat('manager', 'Transfer 6000 to Kiran');
    for (const res of [
      await call(stack.baseUrl, 'POST', `/workflow/${own.sessionId}/approve`, { approved: true }, as('manager')),
      await postDecision(stack.baseUrl, own.approvalId, { decision: 'approve' }, as('manager')),
      await postDecision(
        stack.baseUrl,
        own.approvalId,
        { decision: 'approve', decided_by: 'manager@bank.com' },
        as('manager'),
      ),
    ]) {
      expectError(res, 403, 'forbidden', 'manager approves own transfer');
      expect(res.body.error.message).toMatch(/four-eyes/);
    }
    expectError(
      await call(stack.baseUrl, 'POST', `/workflow/${own.sessionId}/approve`, { approved: true }, as('bob')),
      404,
      'not_found',
      'bob approves',
    );
    await expectUntouched(own.workflowId);

    const admin = await call(
      stack.baseUrl,
      'POST',
      `/workflow/${own.sessionId}/approve`,
      { approved: true },
      as('admin'),
    );
    expect(admin.status, JSON.stringify(admin.body)).toBe(200);
    expect(admin.body).toMatchObject({
      status: 'approved',
      approved_by: 'root@bank.com',
      result: { status: 'success' },
    });
  });

  it('refuses ids in a body or query that disagree with the token (403) and starts nothing', async () => {
    const refusals: [Who, string, string, unknown][] = [
      ['alice', 'POST', '/chat', { message: 'Transfer 1 to Kiran', user_id: 'bob' }],
      ['alice', 'POST', '/api/workflows/submit', { intent: 'plan groceries', user_id: 'bob' }],
      ['alice', 'POST', `/api/workflows/submit?user_id=bob&intent=${encodeURIComponent('plan groceries')}`, undefined],
      ['alice', 'GET', '/sessions?user_id=bob', undefined],
      [
        'manager',
        'POST',
        `/workflow/${aliceTransfer.sessionId}/approve`,
        { approved: true, approver_id: 'root@bank.com' },
      ],
      [
        'manager',
        'POST',
        `/api/approvals/${aliceTransfer.approvalId}/decision`,
        { decision: 'approve', decided_by: 'root@bank.com' },
      ],
      [
        'manager',
        'POST',
        `/api/approvals/${aliceTransfer.approvalId}/decision`,
        { decision: 'approve', decided_by: 1 },
      ],
      ['admin', 'POST', `/api/approvals/${aliceLife.approvalId}/decision`, { decision: 'reject', decided_by: 'alice' }],
      ['bob', 'POST', '/chat', { message: 'plan groceries', session_id: aliceTransfer.sessionId }],
    ];
    for (const [who, method, p, body] of refusals) {
      expectError(
        await call(stack.baseUrl, method, p, body, as(who)),
        403,
        'forbidden',
        `${who} ${method} ${p} ${JSON.stringify(body)}`,
      );
    }
    await expectUntouched(aliceTransfer.workflowId);
    await expectUntouched(aliceLife.workflowId);

    // An id that agrees with the token is fine: this run is the sentinel that visibility must show.
    const agreeing = await call(
      stack.baseUrl,
      'POST',
      '/chat',
      { message: 'plan groceries', user_id: 'alice' },
      as('alice'),
    );
    expect(agreeing.status).toBe(200);
    started.push(agreeing.body.workflow_id);
    await expectExactlyOnQueue(stack.client, stack.taskQueue, started);
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
