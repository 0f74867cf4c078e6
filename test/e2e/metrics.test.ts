/** GATEWAY_METRICS: the gateway's /metrics move with requests, decisions, SSE clients and Temporal errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { startStack, type Stack } from '../support/stack.js';
import { call } from '../support/http.js';
import { chatAs } from '../support/chat.js';

let stack: Stack;
let plain: Stack;
beforeAll(async () => {
  [stack, plain] = await Promise.all([
    startStack({ env: { GATEWAY_METRICS: 'true' }, gateway: { queryTimeoutMs: 1000 } }),
    startStack({ noWorker: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([stack?.stop(), plain?.stop()]);
});

async function metrics(): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('gateway metrics', () => {
  it('are off unless GATEWAY_METRICS is set', async () => {
    expect((await fetch(`${plain.baseUrl}/metrics`)).status).toBe(404);
  });

  it('count requests by route pattern and status, and decisions', async () => {
    const before = await metrics();
    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user', { session_id: null });
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const approve = await call(stack.baseUrl, 'POST', `/workflow/${chat.body.session_id}/approve`, {
      approver_id: 'manager@bank.com',
      approved: true,
    });
    expect(approve.status).toBe(200);
    const after = await metrics();
    const chats = { method: 'POST', route: '/chat', status: '200' };
    expect(sample(after, 'gateway_http_request_duration_seconds_count', chats)).toBe(
      sample(before, 'gateway_http_request_duration_seconds_count', chats) + 1,
    );
    const decided = { route: '/workflow/:session_id/approve', status: '200' };
    expect(sample(after, 'gateway_decisions_total', decided)).toBe(
      sample(before, 'gateway_decisions_total', decided) + 1,
    );
    expect(after).not.toContain(chat.body.session_id);
  });

  it('show the SSE clients following a timeline', async () => {
    const chat = await chatAs(stack.baseUrl, 'Transfer 7000 to Kiran', 'default_user', { session_id: null });
    const abort = new AbortController();
    const stream = await fetch(`${stack.baseUrl}/api/workflows/${chat.body.workflow_id}/stream`, {
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    await waitFor(async () => /^gateway_sse_clients 1$/m.test(await metrics()), { what: 'one SSE client' });
    abort.abort();
    await waitFor(async () => /^gateway_sse_clients 0$/m.test(await metrics()), { what: 'no SSE client' });
  });

  it('count requests that a run did not answer in time', async () => {
    const chat = await chatAs(stack.baseUrl, 'Transfer 8000 to Kiran', 'default_user', { session_id: null });
    await stack.stopWorker();
    const before = sample(await metrics(), 'gateway_temporal_errors_total', { code: 'run_unresponsive' });
    // A status read would answer from the run's memo; the timeline has no such fallback.
    const timeline = await call(stack.baseUrl, 'GET', `/api/workflows/${chat.body.workflow_id}/timeline`);
    expect(timeline.status).toBe(503);
    expect(sample(await metrics(), 'gateway_temporal_errors_total', { code: 'run_unresponsive' })).toBe(before + 1);
  });
});
