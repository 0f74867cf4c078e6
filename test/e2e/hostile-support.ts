/**
 * What the hostile-input files share: the stack they attack, a transfer waiting for approval that no
 * request may touch, the executions valid requests started, and the check that a test left
 * nothing behind (the gateway up, the untouched run unheard, visibility listing only those runs).
 */
import { expect } from 'vitest';
import type { JsonResponse } from '../support/http.js';
import { call } from '../support/http.js';
import { useResource, useStack } from '../support/fixtures.js';
import {
  decisionsInHistory,
  executionsOfChat,
  expectExactlyOnQueue,
  STACK_TRACE_LINE,
  timelineOf,
  waitForStatus,
} from '../support/reliability.js';
import { chatAs } from '../support/chat.js';

export interface PendingTransfer {
  workflowId: string;
  sessionId: string;
  approvalId: string;
}

/** A 2xx, or a 4xx in the one error shape; never a 5xx, never a stack trace. */
export function expectWellFormed(res: { status: number; body: unknown; text?: string }, what: string): void {
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
  expect(typeof res.body === 'string' ? res.body : JSON.stringify(res.body), what).not.toMatch(STACK_TRACE_LINE);
  if (res.status >= 400)
    expect(res.body, what).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
}

/** The stack for one hostile-input file (vitest hooks), with what its tests need to attack it. */
export function useHostileStack() {
  const stack = useStack({ gateway: { heartbeatMs: 200 } });
  /** Every execution a valid request started; visibility must list exactly these. */
  const started: string[] = [];

  function recordStarted(res: JsonResponse): void {
    if (res.status === 200 && typeof res.body?.workflow_id === 'string') started.push(...executionsOfChat(res.body));
  }

  async function pendingTransfer(): Promise<PendingTransfer> {
    const res = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user');
    expect(res.body.status).toBe('PENDING_APPROVAL');
    recordStarted(res);
    return { workflowId: res.body.workflow_id, sessionId: res.body.session_id, approvalId: res.body.reply.approval_id };
  }

  const untouched = useResource('the untouched transfer', pendingTransfer, async () => undefined);

  /** Sends a body exactly as given (string, bytes or a stream) and reads the answer as JSON when it is JSON. */
  async function send(
    method: string,
    path: string,
    body?: BodyInit,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<JsonResponse & { text: string }> {
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

  /** The gateway is up, the untouched run heard nothing, and visibility lists only what valid requests started. */
  async function expectLeftAlone(): Promise<void> {
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
  }

  return { stack, untouched, recordStarted, pendingTransfer, send, routes, expectLeftAlone };
}
