/** The built-in default policy over HTTP: the banking assistant's threshold, compared with the sum of the transfers in one request. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { call, postJson, type Loose } from '../support/http.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the built-in default policy', () => {
  it.each<[string, string, string, number]>([
    [
      'two transfers of 4000 in one message',
      'Transfer 4000 to Kiran and transfer 4000 to Kiran',
      'WAITING_APPROVAL',
      2,
    ],
    ['2500 then 2500', 'transfer 2500 to kiran, then transfer 2500 to kiran', 'WAITING_APPROVAL', 2],
    ['one transfer of 4000', 'Transfer 4000 to Kiran', 'COMPLETED', 0],
  ])('%s', async (_name, message, status, approvals) => {
    const res = await postJson(stack.baseUrl, '/chat', { message });
    expect(res.status).toBe(200);
    const view = (await call(stack.baseUrl, 'GET', `/api/workflows/${res.body.workflow_id}`)).body;
    expect(view.status).toBe(status);
    expect(view.policy.id).toBe('builtin-default');
    expect(view.approvals).toHaveLength(approvals);
    for (const approval of view.approvals as Loose[]) {
      expect(approval).toMatchObject({
        policy_rule: 'transfer-threshold',
        stages: [{ group: '*', count: 1, approved_by: [] }],
      });
      expect(approval.reason).toContain('Transfer requires approval (threshold: $5,000.00)');
    }
  });

  it('takes one decision from anyone but the requester, as before', async () => {
    const res = await postJson(stack.baseUrl, '/chat', { message: 'Transfer 6000 to Kiran' });
    const approvalId: string = res.body.reply.approval_id;
    const self = await postJson(stack.baseUrl, `/api/approvals/${approvalId}/decision`, {
      decision: 'approve',
      decided_by: 'default_user',
    });
    expect(self.status).toBe(403);
    const other = await postJson(stack.baseUrl, `/api/approvals/${approvalId}/decision`, {
      decision: 'approve',
      decided_by: 'manager@bank.com',
    });
    expect(other.body).toMatchObject({
      success: true,
      step_state: 'SUCCEEDED',
      approval: { status: 'approved', progress: 'complete' },
    });
  });
});
