/**
 * Hostile input against the real stack: malformed and deeply nested JSON, huge strings, wrong
 * types, control and unicode characters in ids, header injection, 200 SSE clients on one run, and
 * a schema-driven fuzz pass. Every answer is a 2xx or a 4xx in the one error shape with no stack
 * trace, the gateway stays up, and no invalid request starts a workflow or reaches a run.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ApproveRequestSchema, ChatRequestSchema, DecisionRequestSchema, SubmitRequestSchema } from '../../src/gateway/schemas.js';
import { call, readSse, type JsonResponse, type SseRead } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import { rawRequest } from '../support/raw-http.js';
import { decisionsInHistory, expectExactlyOnQueue, STACK_TRACE_LINE, timelineOf, waitForStatus } from '../support/reliability.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
/** Every execution a valid request started; visibility must list exactly these at the end. */
const started: string[] = [];
/** A transfer waiting for approval that no request in this file may touch. */
let untouched: { workflowId: string; sessionId: string; approvalId: string };

beforeAll(async () => {
  stack = await startStack({ gateway: { heartbeatMs: 200 } });
  untouched = await pendingTransfer();
});
afterAll(async () => {
  await stack?.stop();
});

async function pendingTransfer(): Promise<{ workflowId: string; sessionId: string; approvalId: string }> {
  const res = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 6000 to Kiran', user_id: 'default_user' });
  expect(res.body.status).toBe('PENDING_APPROVAL');
  recordStarted(res);
  return { workflowId: res.body.workflow_id, sessionId: res.body.session_id, approvalId: res.body.reply.approval_id };
}

function recordStarted(res: JsonResponse): void {
  if (res.status === 200 && typeof res.body?.workflow_id === 'string') started.push(res.body.workflow_id, `session-${res.body.session_id}`);
}

/** A 2xx, or a 4xx in the one error shape; never a 5xx, never a stack trace. */
function expectWellFormed(res: { status: number; body: unknown; text?: string }, what: string): void {
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
  expect(typeof res.body === 'string' ? res.body : JSON.stringify(res.body), what).not.toMatch(STACK_TRACE_LINE);
  if (res.status >= 400) expect(res.body, what).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
}

/** Sends a body exactly as given (string, bytes or a stream) and reads the answer as JSON when it is JSON. */
async function send(method: string, path: string, body?: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<JsonResponse & { text: string }> {
  const init: RequestInit & { duplex?: 'half' } = { method, headers, body };
  if (body instanceof ReadableStream) init.duplex = 'half';
  const res = await fetch(`${stack.baseUrl}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: kept as text, which expectWellFormed refuses for an error.
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

const routes = () => ({
  chat: '/chat',
  submit: '/api/workflows/submit',
  approve: `/workflow/${untouched.sessionId}/approve`,
  decision: `/api/approvals/${untouched.approvalId}/decision`,
});

describe('malformed, deep and huge bodies', () => {
  it('answers malformed JSON with 400 invalid_json on every body route', async () => {
    const malformed = [
      '{',
      '{"message":}',
      "{'message':'Transfer 6000 to Kiran'}",
      '{"message":"x"}trailing',
      '[1,]',
      'nul',
      'NaN',
      '\u0000',
      '{"message":"\\x41"}',
      '{"message":"unterminated',
      '\\',
    ];
    for (const [name, path] of Object.entries(routes())) {
      for (const body of malformed) {
        const res = await send('POST', path, body);
        expectWellFormed(res, `${name} ${JSON.stringify(body)}`);
        expect(res.status, `${name} ${JSON.stringify(body)}`).toBe(400);
        expect(res.body.error.code).toBe('invalid_json');
      }
      // Bytes that are not UTF-8, and a body whose content type is not JSON (what a foreign page's form sends).
      expectWellFormed(await send('POST', path, new Uint8Array([0xff, 0xfe, 0x7b, 0x22, 0xc3])), `${name} invalid UTF-8`);
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await send('POST', path, 'message=Transfer+6000+to+Kiran', { 'content-type': contentType });
        expectWellFormed(res, `${name} as ${contentType}`);
        expect(res.status).toBe(415);
        expect(res.body.error.code).toBe('unsupported_media_type');
      }
    }
  });

  it('refuses 10,000 levels of nesting anywhere in a body with a 400 and stays up', async () => {
    const deepArray = '['.repeat(10_000) + ']'.repeat(10_000);
    const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const bodies: Record<string, string[]> = {
      chat: [deepArray, deepObject, `{"message":${deepArray}}`, `{"message":"hi","user_id":${deepObject}}`],
      submit: [deepObject, `{"intent":${deepObject}}`, `{"intent":"plan groceries","session_id":${deepArray}}`],
      approve: [deepArray, `{"approved":${deepArray},"approver_id":"m@bank.com"}`, `{"approved":true,"approver_id":"m@bank.com","reason":${deepObject}}`],
      decision: [deepObject, `{"decision":"approve","decided_by":${deepArray}}`, `{"decision":"approve","decided_by":"m@bank.com","reason":${deepObject}}`],
    };
    for (const [name, path] of Object.entries(routes())) {
      for (const body of bodies[name]!) {
        const res = await send('POST', path, body);
        expectWellFormed(res, `${name} nested ${body.slice(0, 30)}`);
        expect(res.status).toBe(400);
      }
      // 100,000 levels is beyond the body limit: refused before it is parsed.
      const tooDeep = await send('POST', path, '['.repeat(100_000) + ']'.repeat(100_000));
      expectWellFormed(tooDeep, `${name} 100k levels`);
      expect(tooDeep.status).toBe(413);
    }
    expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
  });

  it('answers 1 MB strings with 413 (with a length, and streamed without one) and keeps the connection usable', async () => {
    const huge = 'x'.repeat(1 << 20);
    const bodies: Record<string, unknown> = {
      chat: { message: huge },
      submit: { intent: huge },
      approve: { approved: true, approver_id: 'm@bank.com', reason: huge },
      decision: { decision: 'approve', decided_by: 'm@bank.com', reason: huge },
    };
    for (const [name, path] of Object.entries(routes())) {
      const res = await send('POST', path, JSON.stringify(bodies[name]));
      expectWellFormed(res, `${name} 1 MB`);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      // A client's next requests on its connection pool still get answers.
      for (let i = 0; i < 3; i++) {
        const next = await send('POST', '/chat', '{"message":""}');
        expect(next.status, `request ${i + 1} after the 413`).toBe(400);
      }
      const chunks = [new TextEncoder().encode(`{"message":"`), ...Array.from({ length: 16 }, () => new TextEncoder().encode('y'.repeat(64 * 1024)))];
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const streamed = await send('POST', path, stream);
      expectWellFormed(streamed, `${name} 1 MB streamed`);
      expect(streamed.status).toBe(413);
    }
  });

  it('answers strings over their limits and wrong types with 400 naming the field', async () => {
    const cases: [keyof ReturnType<typeof routes>, unknown, RegExp][] = [
      ['chat', { message: 'a'.repeat(3000) }, /body\.message/],
      ['chat', { message: 'hi', user_id: 'u'.repeat(3000) }, /body\.user_id/],
      ['chat', { message: 'hi', session_id: 12 }, /body\.session_id/],
      ['chat', { message: true }, /body\.message/],
      ['chat', { message: { text: 'hi' } }, /body\.message/],
      ['chat', { message: ['Transfer', 6000] }, /body\.message/],
      ['chat', 'Transfer 6000 to Kiran', /body/],
      ['chat', 6000, /body/],
      ['chat', null, /body/],
      ['submit', { intent: 'a'.repeat(3000) }, /body\.intent/],
      ['submit', { intent: 42 }, /body\.intent/],
      ['approve', { approved: 'true', approver_id: 'm@bank.com' }, /body\.approved/],
      ['approve', { approved: 1, approver_id: 'm@bank.com' }, /body\.approved/],
      ['approve', { approved: true, approver_id: ['m@bank.com'] }, /body\.approver_id/],
      ['approve', { approved: true, approver_id: 'm@bank.com', reason: 'r'.repeat(3000) }, /body\.reason/],
      ['decision', { decision: 'APPROVE', decided_by: 'm@bank.com' }, /body\.decision/],
      ['decision', { decision: ['approve'], decided_by: 'm@bank.com' }, /body\.decision/],
      ['decision', { decision: 'approve', decided_by: 1.5 }, /body\.decided_by/],
      ['decision', { decision: 'approve', decided_by: 1e300 }, /body\.decided_by/],
      ['decision', { decision: 'approve', decided_by: { id: 'm' } }, /body\.decided_by/],
    ];
    for (const [route, body, field] of cases) {
      const res = await call(stack.baseUrl, 'POST', routes()[route], JSON.stringify(body));
      expectWellFormed(res, `${route} ${JSON.stringify(body).slice(0, 60)}`);
      expect(res.status, `${route} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(res.body.error.message).toMatch(field);
    }
  });
});

describe('control and unicode characters in ids', () => {
  const hostileIds = ['\u0000', '\u202e', '\u202euser', '😀', '../../etc/passwd', '..', '.', '%', '%00', ' ', '\r\nX-Injected: 1', "'", '"', '<script>', 'a/b', 'a'.repeat(400), 'req-x\u0000.transfer', `${'\u0301'.repeat(5)}`];
  /** Allowed by the id rules (letters of any script), so they reach Temporal and must come back 404. */
  const unicodeIds = ['ünïcødé', '用户名', 'مستخدم', 'Ωmega.transfer'];

  it('refuses hostile ids in every path with 400 or 404, and unicode letters with 404', async () => {
    const templates: [string, string][] = [
      ['GET', '/api/workflows/:id'],
      ['GET', '/api/workflows/:id/timeline'],
      ['GET', '/api/workflows/:id/stream'],
      ['POST', '/api/workflows/:id/cancel'],
      ['GET', '/api/approvals/workflow/:id'],
      ['GET', '/api/approvals/:id'],
      ['POST', '/api/approvals/:id/decision'],
      ['GET', '/workflow/:id/status'],
      ['POST', '/workflow/:id/approve'],
    ];
    const bodyFor = (path: string) =>
      path.endsWith('/decision') ? { decision: 'approve', decided_by: 'm@bank.com' } : path.endsWith('/approve') ? { approved: true, approver_id: 'm@bank.com' } : undefined;
    for (const [method, template] of templates) {
      for (const id of [...hostileIds, ...unicodeIds]) {
        const path = template.replace(':id', encodeURIComponent(id));
        const res = await call(stack.baseUrl, method, path, bodyFor(template));
        expectWellFormed(res, `${method} ${template} with ${JSON.stringify(id)}`);
        expect([400, 404], `${method} ${template} with ${JSON.stringify(id)}: ${JSON.stringify(res.body)}`).toContain(res.status);
        if (unicodeIds.includes(id)) expect(res.status, `${method} ${template} with ${id}: ${JSON.stringify(res.body)}`).toBe(404);
      }
    }
  });

  it('refuses hostile ids in bodies and queries with 400; unicode user ids list nothing', async () => {
    // '.' and '..' are fine as ids in a body (only a path normalises them away).
    for (const id of hostileIds.filter((h) => h !== '.' && h !== '..')) {
      for (const [path, body] of [
        ['/chat', { message: 'Transfer 1 to Kiran', user_id: id }],
        ['/chat', { message: 'Transfer 1 to Kiran', session_id: id }],
        ['/api/workflows/submit', { intent: 'plan groceries', user_id: id }],
        [routes().approve, { approved: true, approver_id: id }],
        [routes().decision, { decision: 'approve', decided_by: id }],
      ] as const) {
        const res = await call(stack.baseUrl, 'POST', path, body);
        expectWellFormed(res, `${path} ${JSON.stringify(body)}`);
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      }
      const listed = await call(stack.baseUrl, 'GET', `/sessions?user_id=${encodeURIComponent(id)}`);
      expectWellFormed(listed, `sessions of ${JSON.stringify(id)}`);
      expect(listed.status).toBe(400);
    }
    for (const id of unicodeIds.slice(0, 3)) {
      const listed = await call(stack.baseUrl, 'GET', `/sessions?user_id=${encodeURIComponent(id)}`);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({ sessions: [] });
    }
    for (const query of ['status=pending&status=approved', 'status[]=pending', `status=${encodeURIComponent("pending' OR 1=1")}`]) {
      expectWellFormed(await call(stack.baseUrl, 'GET', `/api/approvals?${query}`), `approvals?${query}`);
    }
  });

  it('answers raw requests that fetch would refuse or normalise with a 4xx, and serves no file outside public/', async () => {
    const host = `Host: ${new URL(stack.baseUrl).host}`;
    const requests: [string[], BufferEncoding?][] = [
      [['GET /api/workflows/😀 HTTP/1.1', host]],
      [['GET /api/workflows/\u00ff\u00fe HTTP/1.1', host], 'latin1'],
      [['GET /api/workflows/a b HTTP/1.1', host]],
      [['GET /api/workflows/%ZZ HTTP/1.1', host]],
      [['GET /assets/../../../../etc/passwd HTTP/1.1', host]],
      [['GET /assets/..%2F..%2F..%2Fpackage.json HTTP/1.1', host]],
      [['GET /assets/%2e%2e/%2e%2e/package.json HTTP/1.1', host]],
      [['GET /docs/..%2F..%2Fpackage.json HTTP/1.1', host]],
      [['GET /healthz HTTP/1.1', host, `X-Big: ${'a'.repeat(20_000)}`]],
      [['BREW /chat HTTP/1.1', host]],
      [['POST /chat HTTP/1.1', host, 'Content-Length: 5', 'Transfer-Encoding: chunked']],
    ];
    for (const [lines, encoding] of requests) {
      const res = await rawRequest(stack.baseUrl, lines, { encoding });
      const what = `${lines[0]!.slice(0, 60)} -> ${res.status} ${res.body.slice(0, 120)}`;
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      expect(res.status, what).toBeLessThan(500);
      expect(res.body, what).not.toMatch(/root:|"name": "approval-workflow-engine"/);
      expect(res.body, what).not.toMatch(STACK_TRACE_LINE);
      // Node's HTTP parser answers the malformed ones itself, with no body; the gateway answers the rest in its shape.
      if (res.body !== '') expect(JSON.parse(res.body), what).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('header injection', () => {
  it('reads Last-Event-ID as digits only; an injected line never reaches the stream', async () => {
    const done = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 10 to Kiran' });
    expect(done.body.status).toBe('COMPLETED');
    recordStarted(done);
    const id: string = done.body.workflow_id;
    const total = (await timelineOf(stack.baseUrl, id)).length;
    const host = `Host: ${new URL(stack.baseUrl).host}`;

    // "1\r\nevent: x" on the wire is two header lines: the stream resumes after seq 1 and the
    // second line is just an unknown header.
    const split = await waitFor(
      async () => {
        const res = await rawRequest(stack.baseUrl, [`GET /api/workflows/${id}/stream HTTP/1.1`, host, 'Last-Event-ID: 1', 'event: x']);
        return res.status === 503 ? undefined : res;
      },
      { what: 'the stream to answer something else than 503' },
    );
    expect(split.status).toBe(200);
    expect(split.body).not.toMatch(/^event: x/m);
    expect([...split.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(Array.from({ length: total - 1 }, (_, i) => i + 2));
    // A bare CR, a bare LF or a NUL inside the value is refused by the HTTP parser.
    for (const value of ['1\revent: x', '1\nevent: x', '1\u0000']) {
      const res = await rawRequest(stack.baseUrl, [`GET /api/workflows/${id}/stream HTTP/1.1`, host, `Last-Event-ID: ${value}`]);
      expect(res.status, JSON.stringify(value)).toBe(400);
      expect(res.body).not.toMatch(/^event:/m);
    }
    // Through fetch and the query string, anything but digits is a 400 in the error shape.
    for (const value of ['1 event: x', '1,2', '0x10', '1e3', '٣', '99999999999999999999']) {
      const viaQuery = await call(stack.baseUrl, 'GET', `/api/workflows/${id}/stream?last_event_id=${encodeURIComponent(`${value}\r\nevent: x`)}`);
      expectWellFormed(viaQuery, `last_event_id=${JSON.stringify(value)}`);
      expect(viaQuery.status).toBe(400);
      if (/^[\x20-\x7e]*$/.test(value)) {
        const viaHeader = await call(stack.baseUrl, 'GET', `/api/workflows/${id}/stream`, undefined, { 'Last-Event-ID': value });
        expectWellFormed(viaHeader, `Last-Event-ID ${JSON.stringify(value)}`);
        expect(viaHeader.status).toBe(400);
      }
    }
    // Nothing a client sends is echoed into response headers.
    const echoed = await rawRequest(stack.baseUrl, ['POST /chat HTTP/1.1', host, 'Content-Type: application/json', 'Idempotency-Key: a\rSet-Cookie: x=1', 'Content-Length: 2'], { body: '{}' });
    expect(echoed.head).not.toMatch(/set-cookie/i);
  });
});

/** `global.gc` when node runs with --expose-gc, else the same function exposed at run time. */
function collectGarbage(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * An SSE client that connects again while the gateway answers 503 ("try again shortly": on a
 * loaded machine a query can miss the gateway's deadline); any other answer is returned.
 */
async function follow(url: string, opts: Parameters<typeof readSse>[1]): Promise<SseRead> {
  for (let attempt = 1; ; attempt++) {
    const read = await readSse(url, opts);
    if (read.status !== 503 || attempt === 5) return read;
  }
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('200 SSE clients on one run', () => {
  const CLIENTS = 200;

  it('all get every event; when they leave the hub has no poller left and memory comes back', { timeout: 90_000 }, async () => {
    const gc = collectGarbage();
    const heapBefore = heapAfterGc(gc);

    // Clients that stay to the end: every one reads the whole timeline, then the server closes.
    const run = await pendingTransfer();
    const url = `${stack.baseUrl}/api/workflows/${run.workflowId}/stream`;
    const waiting = new Set<number>();
    const reads: Promise<SseRead>[] = Array.from({ length: CLIENTS }, (_, i) =>
      follow(url, {
        timeoutMs: 60_000,
        stopWhen: (events) => {
          if (events.some((e) => e.event === 'approval_required')) waiting.add(i);
          return false;
        },
      }),
    );
    await waitFor(() => waiting.size === CLIENTS || undefined, { timeoutMs: 30_000, what: `${CLIENTS} clients to see approval_required` });
    expect(stack.timelines.activePollers()).toBe(1);
    const approved = await call(stack.baseUrl, 'POST', `/workflow/${run.sessionId}/approve`, { approver_id: 'manager@bank.com', approved: true });
    expect(approved.status).toBe(200);
    const finished = await Promise.all(reads);
    const timeline = await timelineOf(stack.baseUrl, run.workflowId);
    expect(timeline.at(-1)!.event).toBe('workflow_complete');
    for (const read of finished) {
      expect(read.status).toBe(200);
      expect(read.closedByServer).toBe(true);
      expect(read.events.map((e) => Number(e.id))).toEqual(timeline.map((e) => e.seq));
      expect(read.events.map((e) => JSON.parse(e.data) as unknown)).toEqual(timeline);
    }
    await waitFor(() => stack.timelines.activePollers() === 0 || undefined, { what: 'no poller after the run ended' });

    // Clients that leave while the run still waits: the poller stops once the last one is gone.
    const idle = await pendingTransfer();
    let leave = false;
    const seen = new Set<number>();
    const leaving = Array.from({ length: CLIENTS }, (_, i) =>
      follow(`${stack.baseUrl}/api/workflows/${idle.workflowId}/stream`, {
        timeoutMs: 60_000,
        stopWhen: (events) => {
          if (events.some((e) => e.event === 'approval_required')) seen.add(i);
          return leave && seen.has(i);
        },
      }),
    );
    await waitFor(() => seen.size === CLIENTS || undefined, { timeoutMs: 30_000, what: `${CLIENTS} clients on the waiting run` });
    expect(stack.timelines.activePollers()).toBe(1);
    leave = true; // each client disconnects at its next heartbeat
    for (const read of await Promise.all(leaving)) expect(read.closedByServer).toBe(false);
    await waitFor(() => stack.timelines.activePollers() === 0 || undefined, { what: 'no poller after every client left' });

    const grown = heapAfterGc(gc) - heapBefore;
    expect(grown, `heap grew by ${(grown / 1e6).toFixed(1)} MB`).toBeLessThan(16 * 1024 * 1024);
    expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('schema-driven fuzz (fast-check, fixed seed)', () => {
  const SEED = 20261122;
  const RUNS = 200;
  const weird = fc.constantFrom('', ' ', '\u0000', '\u202e', '😀', '../../etc/passwd', "x' OR '1'='1", '<script>', '\r\nX: y', 'ü', '%', '__proto__', 'a'.repeat(129), 'x'.repeat(2001));
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    weird,
  );
  const id = fc.oneof(fc.stringMatching(/^[a-z0-9@._+:-]{1,24}$/), fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 10 }), weird);
  const anyJson = fc.jsonValue({ maxDepth: 4 });

  /** Plausible values per field name, mixed with anything at all: roughly a fifth of the bodies are valid. */
  function fieldValue(key: string): fc.Arbitrary<unknown> {
    const plausible: Record<string, fc.Arbitrary<unknown>> = {
      message: text,
      intent: text,
      reason: fc.oneof(text, fc.constant(null)),
      user_id: fc.oneof(id, fc.constant(null)),
      session_id: fc.oneof(id, fc.constant(null)),
      approver_id: fc.oneof(id, fc.constant(null)),
      decided_by: fc.oneof(id, fc.nat(), fc.integer(), fc.double()),
      approved: fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1)),
      decision: fc.oneof(fc.constantFrom('approve', 'reject'), fc.constantFrom('APPROVE', 'yes', ''), text),
      approval_id: fc.oneof(fc.constant(untouched.approvalId), text),
    };
    return fc.oneof({ weight: 4, arbitrary: plausible[key] ?? anyJson }, { weight: 1, arbitrary: anyJson });
  }

  /** Bodies built from the route schema's own fields (each present or not), extra keys, or any JSON. */
  function bodies(schema: z.ZodObject): fc.Arbitrary<unknown> {
    const fields = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, fieldValue(key)]));
    return fc.oneof(
      { weight: 6, arbitrary: fc.record(fields, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 })).map(([a, b]) => ({ ...b, ...a })) },
      { weight: 1, arbitrary: anyJson },
    );
  }

  it('answers every generated body below 500, in the error shape when refused, and starts or decides only on valid ones', { timeout: 150_000 }, async () => {
    // Decisions are aimed at a run of their own, so the untouched one stays untouched.
    const target = await pendingTransfer();
    const cases: { name: string; path: string; schema: z.ZodObject }[] = [
      { name: 'chat', path: '/chat', schema: ChatRequestSchema },
      { name: 'submit', path: '/api/workflows/submit', schema: SubmitRequestSchema },
      { name: 'decision', path: `/api/approvals/${target.approvalId}/decision`, schema: DecisionRequestSchema },
      { name: 'approve', path: `/workflow/${target.sessionId}/approve`, schema: ApproveRequestSchema },
    ];
    const validDecisions: unknown[] = [];
    let valid = 0;
    for (const route of cases) {
      await fc.assert(
        fc.asyncProperty(bodies(route.schema), async (body) => {
          const isValid = route.schema.safeParse(body).success;
          const res = await call(stack.baseUrl, 'POST', route.path, JSON.stringify(body));
          expectWellFormed(res, `${route.name} ${JSON.stringify(body)}`);
          if (!isValid) expect(res.status, `${route.name} invalid ${JSON.stringify(body)}`).toBe(400);
          if (res.status === 200) expect(isValid, `${route.name} accepted ${JSON.stringify(body)}`).toBe(true);
          if (isValid) {
            valid += 1;
            if (route.name === 'decision' || route.name === 'approve') validDecisions.push(body);
            if (route.name === 'chat' || route.name === 'submit') recordStarted(res);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    }
    expect(valid, 'the generators reach valid bodies too').toBeGreaterThan(RUNS / 10);

    // Only a valid decision can have reached the target: at most one per valid request, each one of them.
    const reached = await decisionsInHistory(stack.client.workflow.getHandle(target.workflowId));
    expect(reached.length).toBeLessThanOrEqual(validDecisions.length);
    const deciders = new Set(
      validDecisions.map((b) => {
        const parsed = b as { decided_by?: unknown; approver_id?: unknown };
        return String(parsed.decided_by ?? parsed.approver_id);
      }),
    );
    for (const r of reached) expect(deciders.has(r.decision.approver_id), JSON.stringify(r.decision)).toBe(true);
  });
});

describe('afterwards', () => {
  it('is still up, the untouched run heard nothing, and visibility lists only what valid requests started', async () => {
    expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
    expect((await call(stack.baseUrl, 'GET', '/readyz')).status).toBe(200);
    const handle = stack.client.workflow.getHandle(untouched.workflowId);
    expect(await decisionsInHistory(handle)).toEqual([]);
    expect(await waitForStatus(stack.baseUrl, untouched.workflowId, ['WAITING_APPROVAL'])).toBe('WAITING_APPROVAL');
    const events = (await timelineOf(stack.baseUrl, untouched.workflowId)).map((e) => e.event);
    expect(events).toEqual(['plan_created', 'step_ready', 'step_blocked', 'approval_required']);

    // A last run of our own: once visibility lists it, it lists everything started before it.
    const sentinel = await call(stack.baseUrl, 'POST', '/chat', { message: 'plan groceries' });
    recordStarted(sentinel);
    await expectExactlyOnQueue(stack.client, stack.taskQueue, started, 30_000);
  });
});
