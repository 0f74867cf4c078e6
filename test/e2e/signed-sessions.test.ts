/**
 * A session lists only runs the gateway signed for it: a `sessionRunStarted` signal sent with the
 * Temporal client (unsigned, or signed for another session) puts nothing into bob's session, so
 * bob's session never shows or decides manager's transfer.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { sessionRunSignedAsGateway } from '../../dev/stack-secrets.js';
import { sessionQuery, sessionRunStartedSignal, sessionWorkflowIdFor } from '../../src/shared/messages.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';

const stack = useStack();

async function chat(user_id: string, message: string, session_id?: string) {
  const res = await call(stack.baseUrl, 'POST', '/chat', { message, user_id, ...(session_id && { session_id }) });
  expect(res.status).toBe(200);
  return res.body as { session_id: string; workflow_id: string; reply: { approval_id?: string } };
}

describe("a session takes only the gateway's signed records of its own runs", () => {
  it("an unsigned or misdirected sessionRunStarted does not put manager's pending run into bob's session", async () => {
    const manager = await chat('manager@bank.com', 'Transfer 6000 to kiran');
    const approvalId = manager.reply.approval_id!;
    expect(approvalId).toBeDefined();
    const bob = await chat('bob', 'hello');
    // The session's workflow starts with its second run (session-lookup.ts).
    const second = await chat('bob', 'hello there', bob.session_id);
    const bobSession = stack.client.workflow.getHandle(sessionWorkflowIdFor(bob.session_id));

    const stolen = { workflow_id: manager.workflow_id, message: 'Transfer 6000 to kiran' };
    await bobSession.signal(sessionRunStartedSignal, { ...stolen, started_at: new Date().toISOString() });
    // A record the gateway signed for manager's own session, replayed into bob's.
    const signedForManager = sessionRunSignedAsGateway(sessionWorkflowIdFor(manager.session_id), {
      ...stolen,
      started_at: new Date().toISOString(),
      user_id: 'manager@bank.com',
      session_id: manager.session_id,
    });
    await bobSession.signal(sessionRunStartedSignal, signedForManager);
    // The same record relabelled for bob's session no longer matches its signature.
    await bobSession.signal(sessionRunStartedSignal, { ...signedForManager, session_id: bob.session_id });

    // Signals are handled in order: once bob's next run is listed, the forged ones were judged.
    const next = await chat('bob', 'hello again', bob.session_id);
    const runs = await waitFor(
      async () => {
        const session = await bobSession.query(sessionQuery);
        return session.runs.some((r) => r.workflow_id === next.workflow_id) ? session.runs : undefined;
      },
      { what: "bob's third run in his session" },
    );
    expect(runs.map((r) => r.workflow_id)).toEqual([bob.workflow_id, second.workflow_id, next.workflow_id]);

    const status = await call(stack.baseUrl, 'GET', `/workflow/${bob.session_id}/status`);
    expect(status.body.workflow_id).toBe(next.workflow_id);
    const approve = await call(stack.baseUrl, 'POST', `/workflow/${bob.session_id}/approve`, {
      approver_id: 'carol',
      approved: true,
    });
    expect(approve.status).toBe(404);
    const approval = await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`);
    expect(approval.body.status).toBe('pending');
  });
});
