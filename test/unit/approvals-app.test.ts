/**
 * The approval module through `app.request`, where Temporal is not the subject: the app runs on a
 * scripted client that answers the `run` and `session` queries and describe from fixed views and
 * records every decision and cancel it is sent. Bodies are typed by the request schemas.
 */
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { CancelledFailure, defaultPayloadConverter, WorkflowNotFoundError } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parseConfig } from '../../src/runtime/config.js';
import { createGatewayApp } from '../../gateway/app.js';
import { testSecretsEnv } from '../../dev/stack-secrets.js';
import { TokenTable } from '../../gateway/auth.js';
import type { ApproveRequestSchema, DecisionRequestSchema } from '../../gateway/schemas.js';
import type { ApprovalDecision, ApprovalRecord, RunView, StepView } from '../../src/shared/contracts.js';
import type { SessionView } from '../../src/shared/messages.js';
import { bareApproval } from '../support/views.js';

const step = (id: string, over: Partial<StepView> = {}): StepView => ({
  id,
  name: `Transfer (${id})`,
  tool: 'bank_transfer',
  args: {},
  risk_level: 'L2',
  depends_on: [],
  state: 'BLOCKED',
  attempts: 0,
  ...over,
});
const approval = (workflowId: string, stepId: string, over: Partial<ApprovalRecord> = {}): ApprovalRecord =>
  bareApproval({
    approval_id: `${workflowId}.${stepId}`,
    workflow_id: workflowId,
    session_id: 's1',
    step_id: stepId,
    step_name: `Transfer (${stepId})`,
    ...over,
  });
const runView = (workflowId: string, over: Partial<RunView> = {}): RunView => ({
  workflow_id: workflowId,
  session_id: 's1',
  user_id: 'alice',
  message: 'Transfer 6000 to kiran',
  intent: 'money_transfer',
  status: 'WAITING_APPROVAL',
  steps: [step('transfer')],
  approvals: [approval(workflowId, 'transfer')],
  created_at: '2026-12-01T10:00:00.000Z',
  updated_at: '2026-12-01T10:00:00.000Z',
  ...over,
});

interface Script {
  runs: Record<string, RunView>;
  sessions?: Record<string, SessionView>;
  /** What the approvalDecision update does (default: the step succeeds). */
  onDecision?: (decision: ApprovalDecision) => Promise<{ approval: ApprovalRecord; step: StepView }>;
  /** The view a run shows after a cancel closed it. */
  afterCancel?: RunView;
}

/** A Temporal client that answers from the script and records what the gateway sends. */
function scriptedTemporal(script: Script) {
  const sent: { decisions: ApprovalDecision[]; cancels: string[] } = { decisions: [], cancels: [] };
  const notFound = (id: string) => new WorkflowNotFoundError(`workflow ${id} not found`, id, undefined);
  const handle = (id: string) => ({
    async query(def: { name: string }) {
      if (def.name === 'session') {
        const session = script.sessions?.[id.replace(/^session-/, '')];
        if (!session) throw notFound(id);
        return session;
      }
      const view = script.runs[id];
      if (!view) throw notFound(id);
      return view;
    },
    async describe() {
      const view = script.runs[id];
      if (!view) throw notFound(id);
      const pending = view.approvals.filter((a) => a.status === 'pending');
      // What the run publishes: search attributes and the memo of pending approval records.
      const attributes: Record<string, unknown> = {
        PendingApprovalIds: pending.map((a) => a.approval_id),
        UserId: view.user_id,
        SessionId: view.session_id,
        Intent: view.intent,
        RunStatus: view.status,
      };
      return {
        type: 'requestWorkflow',
        status: {
          name: ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'].includes(view.status) ? 'COMPLETED' : 'RUNNING',
        },
        typedSearchAttributes: { get: (key: { name: string }) => attributes[key.name] },
        memo: { pendingApprovals: pending },
      };
    },
    async startUpdate(_def: unknown, options: { args: [ApprovalDecision] }) {
      const [decision] = options.args;
      // Every decision leaves the gateway signed; the tests compare what was decided.
      const { proof, ...unsigned } = decision;
      if (!proof) throw new Error('the gateway sent an unsigned decision');
      sent.decisions.push(unsigned);
      const outcome = script.onDecision
        ? script.onDecision(decision)
        : Promise.resolve({
            approval: {
              ...script.runs[id]!.approvals[0]!,
              status: decision.approved ? ('approved' as const) : ('rejected' as const),
              decided_by: decision.approver_id,
            },
            step: step('transfer', { state: 'SUCCEEDED' }),
          });
      return { result: () => outcome };
    },
    async cancel() {
      sent.cancels.push(id);
      if (script.afterCancel) script.runs[id] = script.afterCancel;
    },
    async result() {
      return undefined;
    },
  });
  // Visibility lags: its listing stays as the runs were when the script began, whatever is decided since.
  const listed = Object.values(structuredClone(script.runs));
  const pendingOf = (view: RunView) => view.approvals.filter((a) => a.status === 'pending');
  async function* list() {
    for (const view of listed) yield { memo: { pendingApprovals: pendingOf(view) } };
  }
  // The inbox reads the raw list, as the server answers it.
  const listWorkflowExecutions = async () => ({
    executions: listed.map((view) => ({
      execution: { workflowId: view.workflow_id },
      memo: { fields: { pendingApprovals: defaultPayloadConverter.toPayload(pendingOf(view)) } },
    })),
    nextPageToken: new Uint8Array(),
  });
  const client = {
    options: { namespace: 'default', loadedDataConverter: loadDataConverter() },
    workflowService: { listWorkflowExecutions },
    workflow: { getHandle: handle, list },
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    withAbortSignal: <T>(_signal: AbortSignal, fn: () => Promise<T>) => fn(),
  } as unknown as Client;
  return { client, sent };
}

const TOKENS = {
  alice: 'token-of-alice-000000001',
  bob: 'token-of-bob-00000000001',
  manager: 'token-of-manager-0000001',
};
const tokens = new TokenTable({
  [TOKENS.alice]: { user_id: 'alice', role: 'requester' },
  [TOKENS.bob]: { user_id: 'bob', role: 'requester' },
  [TOKENS.manager]: { user_id: 'manager@bank.com', role: 'approver' },
});

function appFor(script: Script, auth: 'off' | 'token' = 'off') {
  const { client, sent } = scriptedTemporal(script);
  const app = createGatewayApp({
    client,
    config: parseConfig({ ...testSecretsEnv(), GATEWAY_AUTH: auth, TASK_QUEUE: 'scripted', CHAT_WAIT_MS: '2000' }),
    tokens,
  });
  const post = async (path: string, body: unknown, who?: keyof typeof TOKENS) =>
    app.request(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(who && { authorization: `Bearer ${TOKENS[who]}` }) },
    });
  const get = async (path: string, who?: keyof typeof TOKENS) =>
    app.request(path, { headers: who ? { authorization: `Bearer ${TOKENS[who]}` } : {} });
  return { app, sent, post, get };
}

type Approve = z.input<typeof ApproveRequestSchema>;
type Decision = z.input<typeof DecisionRequestSchema>;
const session = (runs: string[]): SessionView => ({
  session_id: 's1',
  user_id: 'alice',
  created_at: '2026-12-01T10:00:00.000Z',
  updated_at: '2026-12-01T10:00:00.000Z',
  runs: runs.map((workflow_id) => ({ workflow_id, message: 'Transfer', started_at: '2026-12-01T10:00:00.000Z' })),
});

describe('deciding by name, never by position', () => {
  const script = (): Script => ({
    runs: { 'req-1': runView('req-1'), 'req-2': runView('req-2') },
    sessions: { s1: session(['req-1', 'req-2']) },
  });

  it('refuses a session approve without approval_id while two are pending (409 ambiguous_approval, both listed), sending nothing', async () => {
    const { post, sent } = appFor(script());
    const res = await post('/workflow/s1/approve', {
      approver_id: 'manager@bank.com',
      approved: true,
    } satisfies Approve);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; pending_approvals: ApprovalRecord[] } };
    expect(body.error.code).toBe('ambiguous_approval');
    expect(body.error.pending_approvals.map((a) => a.approval_id)).toEqual(['req-1.transfer', 'req-2.transfer']);
    expect(sent.decisions).toEqual([]);
  });

  it('decides the named approval, and the only pending one when none is named', async () => {
    const named = appFor(script());
    const res = await named.post('/workflow/s1/approve', {
      approver_id: 'manager@bank.com',
      approved: true,
      approval_id: 'req-1.transfer',
    } satisfies Approve);
    expect(res.status).toBe(200);
    // Signed for the run it read (the fixture names no run id or action hash).
    expect(named.sent.decisions).toEqual([
      { workflow_id: 'req-1', approval_id: 'req-1.transfer', approved: true, approver_id: 'manager@bank.com' },
    ]);
    const single = appFor({
      runs: {
        'req-1': runView('req-1', {
          status: 'COMPLETED',
          approvals: [approval('req-1', 'transfer', { status: 'approved' })],
        }),
        'req-2': runView('req-2'),
      },
      sessions: { s1: session(['req-1', 'req-2']) },
    });
    expect(
      (await single.post('/workflow/s1/approve', { approver_id: 'manager@bank.com', approved: true } satisfies Approve))
        .status,
    ).toBe(200);
    expect(single.sent.decisions.map((d) => d.approval_id)).toEqual(['req-2.transfer']);
  });

  it('refuses an approval id from another session (404)', async () => {
    const s = script();
    s.runs['req-9'] = runView('req-9', { session_id: 's9' });
    const { post, sent } = appFor(s);
    expect(
      (
        await post('/workflow/s1/approve', {
          approver_id: 'm',
          approved: true,
          approval_id: 'req-9.transfer',
        } satisfies Approve)
      ).status,
    ).toBe(404);
    expect(sent.decisions).toEqual([]);
  });
});

describe('who may decide', () => {
  it("refuses manager@BANK.com approving manager@bank.com's transfer (403), sending nothing", async () => {
    const { post, sent } = appFor({
      runs: {
        'req-1': runView('req-1', {
          user_id: 'manager@bank.com',
          approvals: [approval('req-1', 'transfer', { requested_by: 'manager@bank.com' })],
        }),
      },
    });
    const res = await post('/api/approvals/req-1.transfer/decision', {
      decision: 'approve',
      decided_by: 'manager@BANK.com',
    } satisfies Decision);
    expect(res.status).toBe(403);
    expect(sent.decisions).toEqual([]);
  });

  it('lets a requester withdraw (reject) their own pending transfer, but not approve it', async () => {
    const { post, sent } = appFor({ runs: { 'req-1': runView('req-1') } }, 'token');
    expect(
      (await post('/api/approvals/req-1.transfer/decision', { decision: 'approve' } satisfies Decision, 'alice'))
        .status,
    ).toBe(403);
    const res = await post(
      '/api/approvals/req-1.transfer/decision',
      { decision: 'reject', reason: 'changed my mind' } satisfies Decision,
      'alice',
    );
    expect(res.status).toBe(200);
    expect(sent.decisions).toEqual([
      {
        workflow_id: 'req-1',
        approval_id: 'req-1.transfer',
        approved: false,
        approver_id: 'alice',
        reason: 'changed my mind',
      },
    ]);
  });
});

describe('404 for what you may not see', () => {
  it("answers another user's run, timeline, stream ticket, approvals and session exactly like missing ones", async () => {
    const { get, post } = appFor(
      { runs: { 'req-1': runView('req-1') }, sessions: { s1: session(['req-1']) } },
      'token',
    );
    const pairs: [() => Promise<Response>, () => Promise<Response>][] = [
      [() => get('/api/workflows/req-1', 'bob'), () => get('/api/workflows/req-0', 'bob')],
      [() => get('/api/workflows/req-1/timeline', 'bob'), () => get('/api/workflows/req-0/timeline', 'bob')],
      [
        () => post('/api/workflows/req-1/stream-ticket', {}, 'bob'),
        () => post('/api/workflows/req-0/stream-ticket', {}, 'bob'),
      ],
      [() => get('/api/approvals/workflow/req-1', 'bob'), () => get('/api/approvals/workflow/req-0', 'bob')],
      [() => get('/api/approvals/req-1.transfer', 'bob'), () => get('/api/approvals/req-0.transfer', 'bob')],
      [() => get('/workflow/s1/status', 'bob'), () => get('/workflow/s0/status', 'bob')],
    ];
    for (const [theirs, missing] of pairs) {
      const [a, b] = [await theirs(), await missing()];
      expect(a.status).toBe(404);
      expect(b.status).toBe(404);
      const [bodyA, bodyB] = [
        (await a.json()) as { error: { message: string } },
        (await b.json()) as { error: { message: string } },
      ];
      expect(bodyA.error.message.replace(/req-1|s1/g, 'X')).toBe(bodyB.error.message.replace(/req-0|s0/g, 'X'));
    }
    expect((await get('/api/workflows/req-1', 'alice')).status).toBe(200);
  });
});

describe('true answers in races', () => {
  it('answers 200 to the approver whose decision took effect though the run was cancelled meanwhile', async () => {
    const s: Script = { runs: { 'req-1': runView('req-1') } };
    s.onDecision = async (decision) => {
      s.runs['req-1'] = runView('req-1', {
        status: 'CANCELLED',
        steps: [step('transfer', { state: 'SUCCEEDED' })],
        approvals: [approval('req-1', 'transfer', { status: 'approved', decided_by: decision.approver_id })],
      });
      throw new WorkflowUpdateFailedError('update failed', new CancelledFailure('Workflow cancelled'));
    };
    const { post } = appFor(s);
    const res = await post('/api/approvals/req-1.transfer/decision', {
      decision: 'approve',
      decided_by: 'manager@bank.com',
    } satisfies Decision);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      success: true,
      approval: { status: 'approved' },
      step_state: 'SUCCEEDED',
    });
  });

  it('answers 409 already_finished when the cancel won and the decision never took effect', async () => {
    const s: Script = { runs: { 'req-1': runView('req-1') } };
    s.onDecision = async () => {
      s.runs['req-1'] = runView('req-1', {
        status: 'CANCELLED',
        steps: [step('transfer', { state: 'CANCELLED' })],
        approvals: [approval('req-1', 'transfer', { status: 'cancelled' })],
      });
      throw new WorkflowUpdateFailedError('update failed', new CancelledFailure('Workflow cancelled'));
    };
    const res = await appFor(s).post('/api/approvals/req-1.transfer/decision', {
      decision: 'approve',
      decided_by: 'manager@bank.com',
    } satisfies Decision);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('already_finished');
  });

  it('answers a cancel that stopped nothing (every step had finished) 409 already_finished, and one that did 200', async () => {
    const done = runView('req-1', {
      status: 'CANCELLED',
      steps: [step('transfer', { state: 'SUCCEEDED' })],
      approvals: [approval('req-1', 'transfer', { status: 'approved' })],
    });
    const lost = appFor({ runs: { 'req-1': runView('req-1', { status: 'EXECUTING' }) }, afterCancel: done });
    const res = await lost.post('/api/workflows/req-1/cancel', {});
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('already_finished');
    const cancelled = runView('req-1', {
      status: 'CANCELLED',
      steps: [step('transfer', { state: 'CANCELLED' })],
      approvals: [approval('req-1', 'transfer', { status: 'cancelled' })],
    });
    const won = appFor({ runs: { 'req-1': runView('req-1') }, afterCancel: cancelled });
    expect((await won.post('/api/workflows/req-1/cancel', {})).status).toBe(200);
    const finished = appFor({ runs: { 'req-1': done } });
    expect((await finished.post('/api/workflows/req-1/cancel', {})).status).toBe(409);
    expect(finished.sent.cancels).toEqual([]);
  });
});

describe('the inbox after a decision made here', () => {
  it('no longer lists the decided approval, though visibility still does', async () => {
    const { get, post } = appFor({ runs: { 'req-1': runView('req-1'), 'req-2': runView('req-2') } });
    const before = await (await get('/api/approvals')).json();
    expect(before.approvals.map((a: ApprovalRecord) => a.approval_id)).toEqual(['req-1.transfer', 'req-2.transfer']);
    expect(
      (
        await post('/api/approvals/req-1.transfer/decision', {
          decision: 'approve',
          decided_by: 'manager@bank.com',
        } satisfies Decision)
      ).status,
    ).toBe(200);
    const after = await (await get('/api/approvals')).json();
    expect(after).toMatchObject({ total: 1, approvals: [{ approval_id: 'req-2.transfer' }] });
  });

  it('no longer lists the approvals of a run cancelled here', async () => {
    const cancelled = runView('req-1', {
      status: 'CANCELLED',
      approvals: [approval('req-1', 'transfer', { status: 'cancelled' })],
    });
    const { get, post } = appFor({
      runs: { 'req-1': runView('req-1'), 'req-2': runView('req-2') },
      afterCancel: cancelled,
    });
    expect((await (await get('/api/approvals')).json()).total).toBe(2);
    expect((await post('/api/workflows/req-1/cancel', {})).status).toBe(200);
    expect(await (await get('/api/approvals')).json()).toMatchObject({
      total: 1,
      approvals: [{ approval_id: 'req-2.transfer' }],
    });
  });
});
