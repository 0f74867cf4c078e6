/**
 * The auth-on stack the auth e2e tests share (GATEWAY_AUTH=token, tokens from a temp file): two
 * requesters, an approver and an admin, and two of alice's runs waiting for approval before the tests.
 */
import { beforeAll, expect } from 'vitest';
import { call, type JsonResponse } from './http.js';
import { decisionsInHistory, get, LIFE_OS_SENTENCE, STACK_TRACE_LINE, waitForStatus } from './reliability.js';
import { useStackWithTokens } from './fixtures.js';
import type { Stack } from './stack.js';

export const TOKENS = {
  alice: 'requester-token-alice-0000000001',
  bob: 'requester-token-bob-00000000000001',
  manager: 'approver-token-manager-000000001',
  admin: 'admin-token-root-00000000000000001',
} as const;
export type Who = keyof typeof TOKENS;

export interface Pending {
  workflowId: string;
  sessionId: string;
  approvalId: string;
}

export const as = (who: Who): Record<string, string> => ({ authorization: `Bearer ${TOKENS[who]}` });

export function expectError(res: JsonResponse, status: number, code: string, what: string): void {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body, what).toEqual({ error: { code, message: expect.any(String) } });
  expect(JSON.stringify(res.body)).not.toMatch(STACK_TRACE_LINE);
}

export interface AuthOnStack {
  stack: Stack;
  /** Every run this file started, for the check that nothing else reached the queue. */
  started: string[];
  /** Alice's transfer of 6000 to Kiran, waiting for approval. */
  aliceTransfer: () => Pending;
  /** Alice's life-OS request, waiting for approval. */
  aliceLife: () => Pending;
  chat: (who: Who, message: string) => Promise<Pending>;
  /** No decision update or signal, and no cancel request, reached the run; it still waits for approval. */
  expectUntouched: (workflowId: string) => Promise<void>;
}

/** Starts the stack for this test file and, before its tests, alice's two runs. */
export function useAuthOnStack(): AuthOnStack {
  const stack = useStackWithTokens({
    [TOKENS.alice]: { user_id: 'alice', role: 'requester' },
    [TOKENS.bob]: { user_id: 'bob', role: 'requester' },
    [TOKENS.manager]: { user_id: 'manager@bank.com', role: 'approver' },
    [TOKENS.admin]: { user_id: 'root@bank.com', role: 'admin' },
  });
  const started: string[] = [];
  let aliceTransfer: Pending | undefined;
  let aliceLife: Pending | undefined;

  async function chat(who: Who, message: string): Promise<Pending> {
    const res = await call(stack.baseUrl, 'POST', '/chat', { message }, as(who));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    started.push(res.body.workflow_id);
    return { workflowId: res.body.workflow_id, sessionId: res.body.session_id, approvalId: res.body.reply.approval_id };
  }

  async function expectUntouched(workflowId: string): Promise<void> {
    const handle = stack.client.workflow.getHandle(workflowId);
    expect(await decisionsInHistory(handle)).toEqual([]);
    const history = await handle.fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionCancelRequestedEventAttributes != null)).toEqual([]);
    expect((await get(stack.baseUrl, `/api/workflows/${workflowId}`, as('admin'))).body.status).toBe(
      'WAITING_APPROVAL',
    );
  }

  beforeAll(async () => {
    aliceTransfer = await chat('alice', 'Transfer 6000 to Kiran');
    const submitted = await call(
      stack.baseUrl,
      'POST',
      '/api/workflows/submit',
      { intent: LIFE_OS_SENTENCE },
      as('alice'),
    );
    expect(submitted.status).toBe(200);
    started.push(submitted.body.workflow_id);
    await waitForStatus(stack.baseUrl, submitted.body.workflow_id, ['WAITING_APPROVAL'], 30_000, as('alice'));
    const approvals = await get(stack.baseUrl, `/api/approvals/workflow/${submitted.body.workflow_id}`, as('alice'));
    aliceLife = {
      workflowId: submitted.body.workflow_id,
      sessionId: submitted.body.session_id,
      approvalId: approvals.body.approvals[0].approval_id,
    };
  });

  const ready = (run: Pending | undefined, what: string): Pending => {
    if (!run) throw new Error(`${what} was not started: did beforeAll fail?`);
    return run;
  };
  return {
    stack,
    started,
    aliceTransfer: () => ready(aliceTransfer, 'aliceTransfer'),
    aliceLife: () => ready(aliceLife, 'aliceLife'),
    chat,
    expectUntouched,
  };
}
