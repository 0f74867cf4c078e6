/**
 * Status reads of runs the polling worker cannot replay. On the cluster, a run whose first
 * workflow task was lost with a killed worker got a history today's code fails to replay; every
 * query of it then failed, the SDK reported that as QueryNotRegisteredError and the status route
 * answered 404 "No such request workflow" for a run that had completed. Here the worker that
 * cannot replay is a later build (test/support/breaking-workflows.ts) on the same task queue.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { sessionWorkflowIdFor } from '../../src/shared/messages.js';
import { call } from '../support/http.js';
import { useBreakingWorkflowsBundle, useStack } from '../support/fixtures.js';
import { realActivities, startTestWorker, type TestWorker } from '../support/temporal.js';
import { chatAs } from '../support/chat.js';

const stack = useStack({ gateway: { queryTimeoutMs: 3000 } });
const breakingBundle = useBreakingWorkflowsBundle();
let breakingWorker: TestWorker | undefined;

afterAll(async () => {
  await breakingWorker?.stop();
});

describe('status reads when the worker fails to replay the run', () => {
  it('answer a completed run from its result and a waiting run from its memo, never 404', async () => {
    const completed = await chatAs(stack.baseUrl, 'Transfer 20 to Kiran', 'default_user');
    expect(completed.body.status).toBe('COMPLETED');
    const waiting = await chatAs(stack.baseUrl, 'Transfer 6000 to kiran', 'default_user');
    expect(waiting.body.status).toBe('PENDING_APPROVAL');
    // A session with a workflow of its own (it starts with the session's second run).
    const opening = await call(stack.baseUrl, 'POST', '/chat', {
      message: 'Transfer 1 to Kiran',
      user_id: 'default_user',
    });
    const sessionId = opening.body.session_id as string;
    const second = { message: 'Transfer 1 to Kiran', user_id: 'default_user', session_id: sessionId };
    expect((await call(stack.baseUrl, 'POST', '/chat', second)).body.status).toBe('COMPLETED');

    // A fresh worker with no cached runs: every query replays the history and fails on nondeterminism.
    await stack.stopWorker();
    breakingWorker = await startTestWorker({
      taskQueue: stack.taskQueue,
      activities: realActivities(stack.sandbox.url),
      workerOptions: { workflowBundle: { codePath: breakingBundle.codePath } },
    });

    const done = await call(stack.baseUrl, 'GET', `/workflow/${completed.body.session_id as string}/status`);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      workflow_id: completed.body.workflow_id,
      status: 'COMPLETED',
      pending_approvals: [],
    });
    expect(done.body.stale).toBeUndefined();
    expect(done.body.steps).toEqual([expect.objectContaining({ state: 'SUCCEEDED' })]);

    const held = await call(stack.baseUrl, 'GET', `/api/workflows/${waiting.body.workflow_id as string}`);
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    expect(held.body).toMatchObject({ workflow_id: waiting.body.workflow_id, status: 'WAITING_APPROVAL', stale: true });
    const heldBySession = await call(stack.baseUrl, 'GET', `/workflow/${waiting.body.session_id as string}/status`);
    expect(heldBySession.status, JSON.stringify(heldBySession.body)).toBe(200);
    expect(heldBySession.body.pending_approvals).toEqual([
      expect.objectContaining({ approval_id: waiting.body.reply.approval_id }),
    ]);

    // A workflow that is not a request run is still not found as one.
    const session = await call(stack.baseUrl, 'GET', `/api/workflows/${sessionWorkflowIdFor(sessionId)}`);
    expect(session.status).toBe(404);
  });
});
