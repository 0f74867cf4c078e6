/**
 * Status reads while no worker answers: an open run is read from its memo and search attributes
 * within the query budget, marked stale, instead of a 503 run_unresponsive.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { chatAs } from '../support/chat.js';

const QUERY_BUDGET_MS = 1500;
const stack = useStack({ gateway: { queryTimeoutMs: QUERY_BUDGET_MS, decisionAcceptMs: 1000 } });

describe('status reads without a worker', () => {
  it('GET /api/workflows/{id} and the session status answer 200 from the memo within the budget, marked stale', async () => {
    await stack.startWorker();
    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to kiran', 'default_user');
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const workflowId = chat.body.workflow_id as string;
    const sessionId = chat.body.session_id as string;
    const live = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
    expect(live.status).toBe(200);
    expect(live.body.stale).toBeUndefined();
    await stack.stopWorker();

    const started = Date.now();
    const res = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      workflow_id: workflowId,
      session_id: sessionId,
      user_id: 'default_user',
      status: 'WAITING_APPROVAL',
      stale: true,
      steps: [],
    });
    expect(res.body.approvals).toEqual([
      expect.objectContaining({ approval_id: chat.body.reply.approval_id, status: 'pending' }),
    ]);
    // The budget plus slack for HTTP on a loaded machine: the query gives up early enough to read describe.
    expect(took).toBeLessThan(QUERY_BUDGET_MS + 1000);

    const status = await call(stack.baseUrl, 'GET', `/workflow/${sessionId}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ workflow_id: workflowId, status: 'WAITING_APPROVAL', stale: true });
    expect(status.body.pending_approvals).toHaveLength(1);
  });
});
