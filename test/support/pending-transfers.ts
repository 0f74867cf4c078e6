/**
 * A transfer held for approval on the default stack (no auth), with what an edit or a decision
 * needs to name it: the approval, the action hash it is bound to, and the step's current arguments.
 */
import { expect } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import type { TimelineEvent } from '../../src/shared/contracts.js';
import { call } from './http.js';
import type { Stack } from './stack.js';

export interface PendingTransfer {
  workflowId: string;
  approvalId: string;
  actionHash: string;
  args: Record<string, unknown>;
}

/** Starts the stack's worker, chats `message` as the default user and expects it to wait for approval. */
export async function pendingTransfer(stack: Stack, message: string): Promise<PendingTransfer> {
  await stack.startWorker();
  const chat = await call(stack.baseUrl, 'POST', '/chat', { message, user_id: 'default_user' });
  expect(chat.body.status).toBe('PENDING_APPROVAL');
  const approvalId: string = chat.body.reply.approval_id;
  const workflowId: string = chat.body.workflow_id;
  const record = await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`);
  const run = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
  const step = run.body.steps.find((s: { id: string }) => s.id === record.body.step_id);
  return {
    workflowId,
    approvalId,
    actionHash: record.body.action_hash as string,
    args: step.args as Record<string, unknown>,
  };
}

/**
 * The run's timeline, asked again while the gateway answers 503: a worker that has just started may
 * still be replaying the run when the first query arrives.
 */
export async function runTimeline(stack: Stack, workflowId: string): Promise<TimelineEvent[]> {
  return waitFor(
    async () => {
      const res = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}/timeline`);
      if (res.status === 503) return undefined;
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.events as TimelineEvent[];
    },
    { timeoutMs: 30_000, what: `the timeline of ${workflowId}` },
  );
}

/** The banking API's approve call for the session `sessionId`: the manager approves unless `body` says otherwise. */
export function approveSession(baseUrl: string, sessionId: string, body: Record<string, unknown> = {}) {
  return call(baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
    approver_id: 'manager@bank.com',
    approved: true,
    ...body,
  });
}
