/**
 * A gateway app on a scripted Temporal client, for the approval module's tests where Temporal is not
 * the subject: the client answers the `run` and `session` queries and describe from fixed views and
 * records every decision and cancel it is sent.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, WorkflowNotFoundError } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { z } from 'zod';
import { parseConfig } from '../../src/runtime/config.js';
import { createGatewayApp } from '../../gateway/app.js';
import { testSecretsEnv } from '../../dev/stack-secrets.js';
import { TokenTable } from '../../gateway/auth.js';
import type { ApproveRequestSchema, DecisionRequestSchema } from '../../gateway/schemas.js';
import type { ApprovalDecision, ApprovalRecord, RunView, StepView } from '../../src/shared/contracts.js';
import type { SessionView } from '../../src/shared/messages.js';
import { bareApproval } from './views.js';

export const step = (id: string, over: Partial<StepView> = {}): StepView => ({
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
export const approval = (workflowId: string, stepId: string, over: Partial<ApprovalRecord> = {}): ApprovalRecord =>
  bareApproval({
    approval_id: `${workflowId}.${stepId}`,
    workflow_id: workflowId,
    session_id: 's1',
    step_id: stepId,
    step_name: `Transfer (${stepId})`,
    ...over,
  });
export const runView = (workflowId: string, over: Partial<RunView> = {}): RunView => ({
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

export interface Script {
  runs: Record<string, RunView>;
  sessions?: Record<string, SessionView>;
  /** What the approvalDecision update does (default: the step succeeds). */
  onDecision?: (decision: ApprovalDecision) => Promise<{ approval: ApprovalRecord; step: StepView }>;
  /** The view a run shows after a cancel closed it. */
  afterCancel?: RunView;
}

/** A Temporal client that answers from the script and records what the gateway sends. */
export function scriptedTemporal(script: Script) {
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

export const TOKENS = {
  alice: 'token-of-alice-000000001',
  bob: 'token-of-bob-00000000001',
  manager: 'token-of-manager-0000001',
};
export const tokens = new TokenTable({
  [TOKENS.alice]: { user_id: 'alice', role: 'requester' },
  [TOKENS.bob]: { user_id: 'bob', role: 'requester' },
  [TOKENS.manager]: { user_id: 'manager@bank.com', role: 'approver' },
});

export function appFor(script: Script, auth: 'off' | 'token' = 'off') {
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

export type Approve = z.input<typeof ApproveRequestSchema>;
export type Decision = z.input<typeof DecisionRequestSchema>;
export const session = (runs: string[]): SessionView => ({
  session_id: 's1',
  user_id: 'alice',
  created_at: '2026-12-01T10:00:00.000Z',
  updated_at: '2026-12-01T10:00:00.000Z',
  runs: runs.map((workflow_id) => ({ workflow_id, message: 'Transfer', started_at: '2026-12-01T10:00:00.000Z' })),
});
