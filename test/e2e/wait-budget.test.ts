/**
 * The wait budgets: a chat answers RUNNING when the run has not settled in time (here: no worker
 * yet); without a worker, reads are a prompt 503 and a decision is kept for later (202), never a
 * hang or a false "approved".
 * Submit waits for the plan only, however long planning takes within the budget.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { startSandboxProcess } from '../../dev/sandbox-process.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { startStack } from '../support/stack.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { decideOverHttp } from '../support/chat.js';

const stack = useStack({ noWorker: true, env: { CHAT_WAIT_MS: '700' }, gateway: { queryTimeoutMs: 1500 } });

const settledStatus = (sessionId: string, wanted: string) =>
  waitFor(
    async () => {
      const res = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
      return res.body.status === wanted ? res.body : undefined;
    },
    { timeoutMs: 30_000, what: `session ${sessionId} to be ${wanted}` },
  );

describe('wait budgets', () => {
  it('answers RUNNING after the budget when the run cannot settle, and the run goes on once a worker polls', async () => {
    const started = Date.now();
    const res = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 25 to kiran' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('RUNNING');
    expect(res.body.reply.status).toBe('running');
    const description = await stack.client.workflow.getHandle(res.body.workflow_id).describe();
    expect(description.status.name).toBe('RUNNING');
    const submitted = await call(stack.baseUrl, 'POST', '/api/workflows/submit', { intent: 'plan groceries' });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'QUEUED', intent: 'unknown' });

    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    await stack.startWorker();
    const status = await settledStatus(res.body.session_id, 'COMPLETED');
    expect(status.workflow_id).toBe(res.body.workflow_id);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 2500);
  });

  /**
   * A chat with a running worker, once its run settled as `status` (read from the session: on a
   * loaded machine the 700 ms chat budget can end before the new worker's first task).
   */
  async function chatWithWorker(message: string, status: 'WAITING_APPROVAL' | 'COMPLETED') {
    await stack.startWorker();
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message });
    expect(chat.status).toBe(200);
    const settled = await settledStatus(chat.body.session_id, status);
    expect(settled.workflow_id).toBe(chat.body.workflow_id);
    return {
      sessionId: chat.body.session_id as string,
      workflowId: chat.body.workflow_id as string,
      pending: settled.pending_approvals as { approval_id: string }[],
    };
  }

  it('answers a status read from the memo and a timeline read 503 promptly when no worker can answer, and keeps a decision for later: 202, applied once a worker returns', async () => {
    const { sessionId, workflowId, pending } = await chatWithWorker('Transfer 6000 to kiran', 'WAITING_APPROVAL');
    const approvalId = pending[0]!.approval_id;
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');

    await stack.stopWorker();
    const started = Date.now();
    const read = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'WAITING_APPROVAL', stale: true });
    const timeline = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}/timeline`);
    expect(timeline.status).toBe(503);
    expect(timeline.body.error.code).toBe('run_unresponsive');
    const decision = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com');
    expect(decision.status).toBe(202);
    expect(decision.body).toMatchObject({
      status: 'accepted',
      applied: false,
      approval_id: approvalId,
      decided_by: 'manager@bank.com',
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before);

    await stack.startWorker();
    await settledStatus(sessionId, 'COMPLETED');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 600_000);
  });

  it('reads a finished run from its history when no worker answers queries', async () => {
    const { workflowId } = await chatWithWorker('Transfer 30 to kiran', 'COMPLETED');
    await stack.stopWorker();

    const run = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      workflow_id: workflowId,
      status: 'COMPLETED',
      steps: [{ id: 'transfer', state: 'SUCCEEDED' }],
    });
    expect(run.body.timeline).toBeUndefined();
    const timeline = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.events.map((e: { event: string }) => e.event).at(-1)).toBe('workflow_complete');
  });
});

describe('submit', () => {
  it('answers with the intent once the run has planned, without waiting for its steps', async () => {
    // Every sandbox answer takes 1.5 s: planning (one account lookup) takes longer than a second,
    // and the Life-OS steps take several seconds more.
    const slowSandbox = await startSandboxProcess({ latencyMs: 1500 });
    const slow = await startStack({ sandbox: slowSandbox, env: { CHAT_WAIT_MS: '10000' } });
    try {
      const started = Date.now();
      const res = await call(slow.baseUrl, 'POST', '/api/workflows/submit', {
        intent: 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries',
      });
      const answeredAfterMs = Date.now() - started;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ intent: 'life_os', status: 'EXECUTING' });
      expect(answeredAfterMs).toBeGreaterThanOrEqual(1500);
      const run = await call(slow.baseUrl, 'GET', `/api/workflows/${res.body.workflow_id}`);
      expect(run.body.steps.some((step: { state: string }) => step.state !== 'SUCCEEDED')).toBe(true);
    } finally {
      await slow.stop();
      await slowSandbox.dispose();
    }
  });
});
