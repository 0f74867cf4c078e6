/**
 * Control and unicode characters in ids, in paths, bodies and queries, and raw requests that fetch
 * would refuse or normalise: each answer is a 4xx, no file outside public/ is served, and nothing is touched.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { rawRequest } from '../support/raw-http.js';
import { STACK_TRACE_LINE } from '../support/reliability.js';
import { expectWellFormed, useHostileStack } from './hostile-support.js';

const { stack, routes, expectLeftAlone } = useHostileStack();

describe('control and unicode characters in ids', () => {
  const hostileIds = [
    '\u0000',
    '\u202e',
    '\u202euser',
    '😀',
    '../../etc/passwd',
    '..',
    '.',
    '%',
    '%00',
    ' ',
    '\r\nX-Injected: 1',
    "'",
    '"',
    '<script>',
    'a/b',
    'a'.repeat(400),
    'req-x\u0000.transfer',
    `${'\u0301'.repeat(5)}`,
  ];
  /** Allowed by the id rules (letters of any script), so they reach Temporal and must come back 404. */
  const unicodeIds = ['ünïcødé', '用户名', 'مستخدم', 'Ωmega.transfer'];

  it('refuses hostile ids and non-ASCII letters in every path with 400 or 404 (ids are in a safe alphabet)', async () => {
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
      path.endsWith('/decision')
        ? { decision: 'approve', decided_by: 'm@bank.com' }
        : path.endsWith('/approve')
          ? { approved: true, approver_id: 'm@bank.com' }
          : undefined;
    for (const [method, template] of templates) {
      for (const id of [...hostileIds, ...unicodeIds]) {
        const path = template.replace(':id', encodeURIComponent(id));
        const res = await call(stack.baseUrl, method, path, bodyFor(template));
        expectWellFormed(res, `${method} ${template} with ${JSON.stringify(id)}`);
        expect([400, 404], `${method} ${template} with ${JSON.stringify(id)}: ${JSON.stringify(res.body)}`).toContain(
          res.status,
        );
      }
    }
    await expectLeftAlone();
  });

  it('refuses hostile ids in bodies and queries with 400, non-ASCII user ids too (no look-alike is anyone)', async () => {
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
      expect(listed.status).toBe(400);
      expect(listed.body.error.message).toMatch(/must be ASCII letters, digits/);
    }
    for (const query of [
      'status=pending&status=approved',
      'status[]=pending',
      `status=${encodeURIComponent("pending' OR 1=1")}`,
    ]) {
      expectWellFormed(await call(stack.baseUrl, 'GET', `/api/approvals?${query}`), `approvals?${query}`);
    }
    await expectLeftAlone();
  });

  /** A raw request answered with a 4xx: Node's parser answers the malformed ones itself with no body, the gateway the rest in its shape. */
  async function expectRawRefused(lines: string[], encoding?: BufferEncoding): Promise<void> {
    const res = await rawRequest(stack.baseUrl, lines, { encoding });
    const what = `${lines[0]!.slice(0, 60)} -> ${res.status} ${res.body.slice(0, 120)}`;
    expect(res.status, what).toBeGreaterThanOrEqual(400);
    expect(res.status, what).toBeLessThan(500);
    expect(res.body, what).not.toMatch(/root:|"name": "approval-workflow-engine"/);
    expect(res.body, what).not.toMatch(STACK_TRACE_LINE);
    if (res.body !== '')
      expect(JSON.parse(res.body), what).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  }
  const host = (): string => `Host: ${new URL(stack.baseUrl).host}`;

  it('answers raw requests that fetch would refuse or normalise with a 4xx', async () => {
    const requests: [string[], BufferEncoding?][] = [
      [['GET /api/workflows/😀 HTTP/1.1', host()]],
      [['GET /api/workflows/\u00ff\u00fe HTTP/1.1', host()], 'latin1'],
      [['GET /api/workflows/a b HTTP/1.1', host()]],
      [['GET /api/workflows/%ZZ HTTP/1.1', host()]],
      [['GET /healthz HTTP/1.1', host(), `X-Big: ${'a'.repeat(20_000)}`]],
      [['BREW /chat HTTP/1.1', host()]],
      [['POST /chat HTTP/1.1', host(), 'Content-Length: 5', 'Transfer-Encoding: chunked']],
    ];
    for (const [lines, encoding] of requests) await expectRawRefused(lines, encoding);
    expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
    await expectLeftAlone();
  });

  it('serves no file outside public/, however the path is written', async () => {
    for (const path of [
      '/assets/../../../../etc/passwd',
      '/assets/..%2F..%2F..%2Fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/docs/..%2F..%2Fpackage.json',
    ]) {
      await expectRawRefused([`GET ${path} HTTP/1.1`, host()]);
    }
    expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
    await expectLeftAlone();
  });
});
