/**
 * Issue 14's findings against the real stack (auth off, as a newcomer runs it): forged browser
 * requests, deciding by position, ids that differ only in case, answers to an approve/cancel
 * race, and the headers on real HTTP answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { startStack, type Stack } from '../support/stack.js';
import { call } from '../support/http.js';
import { decideOverHttp } from '../support/chat.js';

/** Every sandbox call takes this long, so a cancel can arrive while an approved transfer runs. */
const SANDBOX_LATENCY_MS = 1500;

let sandbox: SandboxProcess;
let stack: Stack;
beforeAll(async () => {
  sandbox = await startSandboxProcess({ latencyMs: SANDBOX_LATENCY_MS });
  stack = await startStack({ sandbox, env: { CHAT_WAIT_MS: '10000' } });
});
afterAll(async () => {
  await stack?.stop();
  await sandbox?.dispose();
});

const MANAGER = 'manager@bank.com';

describe('a page on another origin (auth off)', () => {
  it('cannot create or approve a transfer with form-style POSTs', async () => {
    const sessionId = `forged-${Date.now()}`;
    const form = {
      'content-type': 'text/plain;charset=UTF-8',
      origin: 'http://evil.example:8080',
      'sec-fetch-site': 'cross-site',
    };
    const chat = await call(
      stack.baseUrl,
      'POST',
      '/chat',
      JSON.stringify({ message: 'Transfer 6000 to kiran', session_id: sessionId }),
      form,
    );
    expect(chat.status).toBe(403);
    expect(chat.body.error.code).toBe('forbidden_origin');
    // Without Origin (a browser that hides it), the body type alone is refused.
    const plain = await call(
      stack.baseUrl,
      'POST',
      '/chat',
      JSON.stringify({ message: 'Transfer 6000 to kiran', session_id: sessionId }),
      { 'content-type': 'text/plain' },
    );
    expect(plain.status).toBe(415);
    expect(plain.body.error.code).toBe('unsupported_media_type');
    const approve = await call(
      stack.baseUrl,
      'POST',
      `/workflow/${sessionId}/approve`,
      JSON.stringify({ approver_id: MANAGER, approved: true }),
      form,
    );
    expect(approve.status).toBe(403);
    expect((await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`)).status).toBe(404);
  });

  it('still serves a non-browser client (no Origin, Sec-Fetch-Site or Referer)', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 20 to kiran' });
    expect(chat.status).toBe(200);
    expect(chat.body.status).toBe('COMPLETED');
  });

  it('puts the secure headers on real answers', async () => {
    const res = await fetch(`${stack.baseUrl}/`);
    expect(res.headers.get('content-security-policy')).toMatch(
      /script-src 'self'.*frame-ancestors 'none'|frame-ancestors 'none'.*script-src 'self'/,
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
  });
});

describe('no deciding by position', () => {
  it('refuses an approve without approval_id while the session has two pending transfers, and decides the named one', async () => {
    const first = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 5000 to kiran' });
    expect(first.body.status).toBe('PENDING_APPROVAL');
    const sessionId: string = first.body.session_id;
    const second = await call(stack.baseUrl, 'POST', '/chat', {
      message: 'Transfer 40000 to kiran',
      session_id: sessionId,
    });
    expect(second.body.status).toBe('PENDING_APPROVAL');
    const before = await getBalanceCents(sandbox.url, 'kiran');

    const blind = await call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
      approver_id: MANAGER,
      approved: true,
    });
    expect(blind.status).toBe(409);
    expect(blind.body.error.code).toBe('ambiguous_approval');
    expect(blind.body.error.pending_approvals.map((a: { approval_id: string }) => a.approval_id).sort()).toEqual(
      [first.body.reply.approval_id, second.body.reply.approval_id].sort(),
    );
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(before);

    const named = await call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
      approver_id: MANAGER,
      approved: true,
      approval_id: first.body.reply.approval_id,
    });
    expect(named.status).toBe(200);
    expect(named.body.result.status).toBe('success');
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(before + 500_000);
    // One left pending: now the session's only one, so an unnamed decision is unambiguous.
    const rest = await call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
      approver_id: MANAGER,
      approved: false,
    });
    expect(rest.status).toBe(200);
    expect(rest.body.approval_id).toBe(second.body.reply.approval_id);
  });
});

describe('true answers when approve races cancel', () => {
  it('answers the approver whose decision moved the money 200, and the cancel that stopped nothing 409 already_finished', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 6000 to kiran' });
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const workflowId: string = chat.body.workflow_id;
    const before = await getBalanceCents(sandbox.url, 'kiran');
    const approving = decideOverHttp(stack.baseUrl, chat.body.reply.approval_id, 'approve', MANAGER);
    await waitFor(
      async () =>
        (await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`)).body.steps?.[0]?.state === 'RUNNING'
          ? true
          : undefined,
      {
        timeoutMs: 10_000,
        what: 'the approved transfer to run',
      },
    );
    const cancel = await call(stack.baseUrl, 'POST', `/api/workflows/${workflowId}/cancel`);
    const approved = await approving;
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ status: 'approved', decided_by: MANAGER });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe('already_finished');
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(before + 600_000);
  });

  it('answers a cancel of a finished run 409 already_finished', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 10 to kiran' });
    expect(chat.body.status).toBe('COMPLETED');
    const cancel = await call(stack.baseUrl, 'POST', `/api/workflows/${chat.body.workflow_id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe('already_finished');
  });
});
