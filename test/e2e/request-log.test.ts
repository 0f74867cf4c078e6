/** LOG_FORMAT=json: one JSON line per request with a request id and the workflow id where known. */
import { sandboxAuthHeaders, TEST_SANDBOX_TOKEN } from '../../dev/stack-secrets.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../gateway/app.js';
import { createSandboxApp } from '../../sandbox/app.js';
import { openSandboxDb } from '../../sandbox/db.js';
import { jsonLogger, withRequestLog } from '../../src/telemetry/logging.js';
import { startStack, type Stack } from '../support/stack.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
}

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack();
  dir = mkdtempSync(path.join(tmpdir(), 'request-log-'));
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('request log', () => {
  it('logs a sandbox call with the caller request id and the calling run', async () => {
    const out = capture();
    const db = openSandboxDb(path.join(dir, 'sandbox.db'));
    const app = withRequestLog(
      createSandboxApp(db, { latencyMs: 0, token: TEST_SANDBOX_TOKEN, port: 8081 }),
      jsonLogger('sandbox', 'info', out),
    );
    const res = await app.fetch(
      new Request('http://127.0.0.1:8081/api/accounts/123', {
        headers: {
          ...sandboxAuthHeaders,
          host: '127.0.0.1:8081',
          'x-request-id': 'req-abc.1',
          'x-workflow-id': 'req-42',
        },
      }),
    );
    db.close();
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-abc.1');
    expect(out.lines).toEqual([
      expect.objectContaining({
        service: 'sandbox',
        msg: 'request',
        level: 30,
        request_id: 'req-abc.1',
        workflow_id: 'req-42',
        method: 'GET',
        route: '/api/accounts/:id',
        status: 200,
      }),
    ]);
  });

  it('logs a chat with a new request id and the workflow it started, and refuses a malformed request id', async () => {
    const out = capture();
    const app = withRequestLog(
      createGatewayApp({ client: stack.client, config: stack.config }),
      jsonLogger('gateway', 'info', out),
    );
    const res = await app.fetch(
      new Request(`${stack.baseUrl}/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'no spaces allowed' },
        body: JSON.stringify({ message: 'Transfer 10 to Kiran', user_id: 'default_user', session_id: null }),
      }),
    );
    const body = (await res.json()) as { workflow_id: string };
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.lines).toEqual([
      expect.objectContaining({
        service: 'gateway',
        request_id: requestId,
        workflow_id: body.workflow_id,
        method: 'POST',
        route: '/chat',
        status: 200,
      }),
    ]);
  });
});
