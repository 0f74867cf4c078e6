/** The pure mappings from a run view to the banking assistant's chat and approval replies. */
import { describe, expect, it } from 'vitest';
import type { RunView, StepView } from '../../src/shared/contracts.js';
import { transferApproval, runView } from '../support/views.js';
import {
  approveReply,
  chatReply,
  decisionMessage,
  hilDecision,
  replyStatusOf,
  resultSummary,
} from '../../gateway/chat-replies.js';

const transferStep = (over: Partial<StepView> = {}): StepView => ({
  id: 'transfer',
  name: 'Transfer $6,000.00 → kiran',
  tool: 'bank_transfer',
  args: { from_account: '123', to_account: 'kiran', amount_cents: 600_000 },
  risk_level: 'L2',
  depends_on: [],
  state: 'BLOCKED',
  attempts: 0,
  ...over,
});

const approval = transferApproval;

const run = (over: Partial<RunView> = {}): RunView =>
  runView({
    status: 'WAITING_APPROVAL',
    steps: [transferStep()],
    approvals: [approval()],
    updated_at: '2025-11-19T10:30:45.123Z',
    ...over,
  });

const transferred = { success: true, message: 'Transferred 6000.00 from 123 to kiran' };

describe('chatReply', () => {
  it('answers a pending transfer exactly as the original banking API does', () => {
    expect(chatReply(run())).toEqual({
      status: 'PENDING_APPROVAL',
      reply: {
        status: 'PENDING_APPROVAL',
        message: 'Transfer requires approval (threshold: $5,000.00)',
        session_id: 's-1',
        approval_id: 'req-1.transfer',
        amount: 6000,
        recipient: 'kiran',
      },
    });
  });

  it('answers a transfer under the threshold with an automatic decision', () => {
    const view = run({
      status: 'COMPLETED',
      steps: [transferStep({ state: 'SUCCEEDED', result: transferred })],
      approvals: [],
    });
    expect(chatReply(view)).toEqual({
      status: 'COMPLETED',
      reply: {
        intent: 'money_transfer',
        status: 'success',
        data: transferred,
        hil_decision: { approved: true, auto: true },
      },
    });
  });

  it('names the approver of an approved transfer', () => {
    const view = run({
      status: 'COMPLETED',
      steps: [transferStep({ state: 'SUCCEEDED', result: transferred })],
      approvals: [approval({ status: 'approved', decided_by: 'manager@bank.com' })],
    });
    expect(chatReply(view).reply.hil_decision).toEqual({ approved: true, approver_id: 'manager@bank.com' });
  });

  it.each([
    [
      'FAILED',
      transferStep({ state: 'FAILED', error: 'Insufficient funds in 123' }),
      [],
      'failed',
      /Insufficient funds/,
    ],
    [
      'REJECTED',
      transferStep({ state: 'REJECTED' }),
      [approval({ status: 'rejected', decided_by: 'm@bank.com' })],
      'rejected',
      /rejected by m@bank.com/,
    ],
    ['REJECTED', transferStep({ state: 'REJECTED' }), [approval({ status: 'expired' })], 'rejected', /expired/],
  ] as const)('answers a %s transfer with its reason', (status, step, approvals, word, message) => {
    const { reply, status: top } = chatReply(run({ status, steps: [step], approvals: [...approvals] }));
    expect(top).toBe(status);
    expect(reply).toMatchObject({ intent: 'money_transfer', status: word });
    expect(reply.message).toMatch(message);
  });

  it('says plainly when the planner did not understand', () => {
    const view = run({
      status: 'FAILED',
      intent: 'unknown',
      steps: [],
      approvals: [],
      error: 'I did not understand: "sing". I can …',
      failure_kind: 'not_understood',
    });
    expect(chatReply(view)).toEqual({
      status: 'FAILED',
      reply: { status: 'not_understood', message: 'I did not understand: "sing". I can …' },
    });
  });

  it("gives a clarifying question's readings as choices", () => {
    const error =
      'I am not sure what you meant by "pending stuff". Did you mean: "what am i waiting for", or "balance"?';
    const view = run({
      status: 'FAILED',
      intent: 'unknown',
      steps: [],
      approvals: [],
      error,
      failure_kind: 'not_understood',
    });
    expect(chatReply(view).reply).toEqual({
      status: 'not_understood',
      message: error,
      choices: ['what am i waiting for', 'balance'],
    });
  });

  it('answers a run still moving with RUNNING and a per-step summary', () => {
    const view = run({ status: 'PLANNING', intent: 'unknown', steps: [], approvals: [] });
    expect(chatReply(view)).toEqual({
      status: 'RUNNING',
      reply: { intent: 'unknown', status: 'running', message: 'Planning your request…', steps: [] },
    });
  });

  const lifeSteps: StepView[] = [
    {
      id: 'search_jobs',
      name: 'Search for backend jobs',
      tool: 'job_search',
      args: {},
      risk_level: 'L0',
      depends_on: [],
      state: 'SUCCEEDED',
      attempts: 1,
      result: { query: 'q', total: 2, jobs: [{}, {}] },
    },
    {
      id: 'submit_application',
      name: 'Submit job application',
      tool: 'job_submit',
      args: {},
      risk_level: 'L3',
      depends_on: ['search_jobs'],
      state: 'BLOCKED',
      attempts: 0,
    },
  ];
  const lifeApproval = approval({
    approval_id: 'req-1.submit_application',
    step_id: 'submit_application',
    step_name: 'Submit job application',
    tool: 'job_submit',
    risk_level: 'L3',
    reason: 'High-risk step (L3) requires approval',
    amount: undefined,
    amount_cents: undefined,
    recipient: undefined,
    from_account: undefined,
  });

  it('answers a Life-OS run waiting for approval with the pending shape, naming the step, plus the steps', () => {
    const { reply, status } = chatReply(run({ intent: 'life_os', steps: lifeSteps, approvals: [lifeApproval] }));
    expect(status).toBe('PENDING_APPROVAL');
    expect(reply).toMatchObject({
      status: 'PENDING_APPROVAL',
      message: 'High-risk step (L3) requires approval',
      approval_id: 'req-1.submit_application',
      intent: 'life_os',
      step_name: 'Submit job application',
    });
    expect(reply).not.toHaveProperty('amount');
    expect(reply.steps).toEqual([
      {
        id: 'search_jobs',
        name: 'Search for backend jobs',
        tool: 'job_search',
        risk_level: 'L0',
        state: 'SUCCEEDED',
        summary: '2 jobs',
      },
      {
        id: 'submit_application',
        name: 'Submit job application',
        tool: 'job_submit',
        risk_level: 'L3',
        state: 'BLOCKED',
      },
    ]);
  });

  it('answers a finished Life-OS run with intent, status and a per-step summary', () => {
    const done = lifeSteps.map((s) => ({
      ...s,
      state: 'SUCCEEDED' as const,
      result: s.result ?? { success: true, message: 'Submitted 2 applications', applications: [] },
    }));
    const { reply, status } = chatReply(
      run({
        intent: 'life_os',
        status: 'COMPLETED',
        steps: done,
        approvals: [{ ...lifeApproval, status: 'approved', decided_by: '1' }],
      }),
    );
    expect(status).toBe('COMPLETED');
    expect(reply).toMatchObject({ intent: 'life_os', status: 'success', message: 'Done: all 2 step(s) succeeded.' });
    expect((reply.steps as { summary: string }[]).map((s) => s.summary)).toEqual([
      '2 jobs',
      'Submitted 2 applications',
    ]);
  });
});

describe('approveReply', () => {
  it('answers an executed approval exactly as the original banking API does', () => {
    const step = transferStep({ state: 'SUCCEEDED', result: transferred });
    const decided = approval({ status: 'approved', decided_by: 'manager@bank.com' });
    expect(
      approveReply({ view: run(), approval: decided, approved: true, deciderId: 'manager@bank.com', step }),
    ).toEqual({
      status: 'approved',
      session_id: 's-1',
      workflow_id: 'req-1',
      approval_id: 'req-1.transfer',
      result: { intent: 'money_transfer', status: 'success', data: transferred, approved_by: 'manager@bank.com' },
      approved_by: 'manager@bank.com',
      decided_by: 'manager@bank.com',
    });
  });

  it('answers a rejection, a failed execution and an execution still running', () => {
    const base = { view: run(), approval: approval(), deciderId: 'm@bank.com' };
    expect(approveReply({ ...base, approved: false, step: undefined })).toMatchObject({
      status: 'rejected',
      approved_by: null,
      result: { status: 'rejected', rejected_by: 'm@bank.com' },
    });
    const failed = transferStep({ state: 'FAILED', error: 'Unknown account kiran' });
    expect(approveReply({ ...base, approved: true, step: failed }).result).toEqual({
      intent: 'money_transfer',
      status: 'failed',
      message: 'Unknown account kiran',
      approved_by: 'm@bank.com',
    });
    expect(approveReply({ ...base, approved: true, step: undefined }).result).toMatchObject({ status: 'running' });
    expect(decisionMessage({ ...base, approved: true, step: undefined })).toMatch(
      /approved by m@bank.com; the step is still running/,
    );
  });

  it('answers an approval that counted towards a stage while the step still waits for others', () => {
    const partial = approval({
      progress: '1 of 2 from approvers',
      stages: [{ group: 'approvers', count: 2, approved_by: ['m@bank.com'] }],
      current_stage: 0,
    });
    const input = { view: run(), approval: partial, approved: true, deciderId: 'm@bank.com', step: transferStep() };
    expect(approveReply(input)).toMatchObject({
      status: 'approved',
      result: {
        status: 'waiting_approval',
        message: 'Approved by m@bank.com; still waiting: 1 of 2 from approvers',
        progress: '1 of 2 from approvers',
      },
    });
    expect(decisionMessage(input)).toBe(
      'Transfer $6,000.00 → kiran approved by m@bank.com; still waiting: 1 of 2 from approvers',
    );
  });
});

describe('small mappings', () => {
  it('maps run statuses to reply statuses', () => {
    expect(
      ['QUEUED', 'PLANNING', 'EXECUTING', 'WAITING_APPROVAL', 'COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'].map((s) =>
        replyStatusOf(s as RunView['status']),
      ),
    ).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'PENDING_APPROVAL', 'COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED']);
  });

  it('summarises results and gate decisions', () => {
    expect(resultSummary({ message: 'ok', items: [1] })).toBe('ok');
    expect(resultSummary({ plan_id: 'p', items: [1, 2, 3] })).toBe('3 items');
    expect(resultSummary('text')).toBeUndefined();
    expect(resultSummary(null)).toBeUndefined();
    expect(hilDecision(undefined)).toEqual({ approved: true, auto: true });
    expect(hilDecision(approval({ status: 'expired' }))).toEqual({ approved: false, expired: true });
    expect(hilDecision(approval({ status: 'rejected', decided_by: 'x', decision_reason: 'no' }))).toEqual({
      approved: false,
      approver_id: 'x',
      reason: 'no',
    });
  });
});
