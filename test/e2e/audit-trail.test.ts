/**
 * The audit trail: for an approved transfer, a rejected transfer and a Life-OS run, decided through
 * the gateway (updates), the CLI's signal and a direct update, the run's timeline and Temporal's
 * history agree on who decided what and in which order, ignored decisions included; each decision's
 * timestamp lies within the workflow task that handled it.
 */
import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ApprovalDecision, ApprovalRecord, TimelineEvent } from '../../src/shared/contracts.js';
import { approvalDecisionSignal, approvalDecisionUpdate, timelineQuery } from '../../src/shared/messages.js';
import { call } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import {
  decisionsInHistory,
  decisionsInTimeline,
  get,
  LIFE_OS_SENTENCE,
  seqsAreContiguous,
  timelineOf,
  waitForStatus,
} from '../support/reliability.js';
import { useSandbox, useStack } from '../support/fixtures.js';
import { signedAsGateway, signedForRun } from '../../dev/stack-secrets.js';
import { chatAs, postDecision } from '../support/chat.js';

/** Every tool call takes this long, so a decision can be sent while the approved step runs. */
const SANDBOX_LATENCY_MS = 500;
const FINAL = ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'] as const;

const sandbox = useSandbox({ latencyMs: SANDBOX_LATENCY_MS });
const stack = useStack({ sandbox });

/** Waits until the run's timeline holds `count` events named `name`. */
function waitForEvents(handle: WorkflowHandle, name: TimelineEvent['event'], count = 1): Promise<TimelineEvent[]> {
  return waitFor(
    async () => {
      const events = await handle.query(timelineQuery, 0);
      return events.filter((e) => e.event === name).length >= count ? events : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 20, what: `${count} ${name} in ${handle.workflowId}` },
  );
}

const who = ({ approval_id, approved, approver_id }: ApprovalDecision) => ({ approval_id, approved, approver_id });

/**
 * The agreement the audit relies on: the same decisions in the same order on both sides, the
 * applied ones also in the approval record, and each timeline timestamp inside its workflow task.
 */
async function expectTrailAgrees(
  workflowId: string,
  expected: { via: 'update' | 'signal'; decision: ApprovalDecision; outcome: string }[],
) {
  const handle = stack.client.workflow.getHandle(workflowId);
  const events = await timelineOf(stack.baseUrl, workflowId);
  expect(seqsAreContiguous(events)).toBe(true);
  const history = await decisionsInHistory(handle);
  const timeline = decisionsInTimeline(events);

  expect(history.map((h) => ({ via: h.via, decision: who(h.decision) }))).toEqual(
    expected.map((e) => ({ via: e.via, decision: who(e.decision) })),
  );
  expect(timeline.map((t) => ({ decision: who(t.decision), outcome: t.event.event }))).toEqual(
    expected.map((e) => ({ decision: who(e.decision), outcome: e.outcome })),
  );

  const run = await get(stack.baseUrl, `/api/workflows/${workflowId}`);
  const approvals: ApprovalRecord[] = run.body.approvals;
  for (const [i, recorded] of history.entries()) {
    const { event } = timeline[i]!;
    const at = Date.parse(event.timestamp);
    expect(at, `${event.event} #${event.seq} after its task started`).toBeGreaterThanOrEqual(recorded.taskStartedMs);
    expect(at, `${event.event} #${event.seq} before its task completed`).toBeLessThanOrEqual(recorded.taskCompletedMs);
    if (recorded.via === 'signal') expect(at).toBeGreaterThanOrEqual(recorded.eventTimeMs);
    else expect(at).toBeLessThanOrEqual(recorded.eventTimeMs);
    if (event.event === 'approval_ignored') continue;
    const approval = approvals.find((a) => a.approval_id === recorded.decision.approval_id)!;
    expect(approval).toMatchObject({
      status: recorded.decision.approved ? 'approved' : 'rejected',
      decided_by: recorded.decision.approver_id,
      decided_at: event.timestamp,
    });
    expect(approval.decision_reason).toBe(recorded.decision.reason);
    expect(event.metadata.reason).toBe(recorded.decision.reason);
    const required = events.find((e) => e.event === 'approval_required' && e.approval_id === approval.approval_id)!;
    expect(Date.parse(required.timestamp)).toBeLessThanOrEqual(at);
    expect(required.timestamp).toBe(approval.requested_at);
  }
}

/** Approves through the gateway's decision route, as `decision.approver_id` with `decision.reason`; the answer is not awaited. */
function approveThroughGateway(decision: ApprovalDecision) {
  return postDecision(stack.baseUrl, decision.approval_id, {
    decision: 'approve',
    decided_by: decision.approver_id,
    reason: decision.reason,
  });
}

describe('timeline and history agree on every decision', () => {
  it('an approved transfer: an ignored self-approval (CLI signal), the approval (gateway), a late duplicate (signal)', async () => {
    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user');
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const workflowId: string = chat.body.workflow_id;
    const approvalId: string = chat.body.reply.approval_id;
    const handle = stack.client.workflow.getHandle(workflowId);

    const selfApproval = { approval_id: approvalId, approved: true, approver_id: 'default_user' };
    await handle.signal(approvalDecisionSignal, await signedForRun(handle, selfApproval));
    await waitForEvents(handle, 'approval_ignored');

    const approval = {
      approval_id: approvalId,
      approved: true,
      approver_id: 'manager@bank.com',
      reason: 'known payee',
    };
    const approving = approveThroughGateway(approval);
    // The transfer now runs for at least the sandbox's latency: a duplicate sent meanwhile reaches the run.
    await waitForEvents(handle, 'approval_approved');
    const duplicate = { approval_id: approvalId, approved: true, approver_id: 'cfo@bank.com' };
    await handle.signal(approvalDecisionSignal, await signedForRun(handle, duplicate));
    expect((await approving).status).toBe(200);
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('COMPLETED');

    await expectTrailAgrees(workflowId, [
      { via: 'signal', decision: selfApproval, outcome: 'approval_ignored' },
      { via: 'update', decision: approval, outcome: 'approval_approved' },
      { via: 'signal', decision: duplicate, outcome: 'approval_ignored' },
    ]);
  });

  it('a rejected transfer: a decision on an unknown approval (signal), the rejection with a reason (gateway)', async () => {
    const chat = await chatAs(stack.baseUrl, 'Transfer 7000 to Kiran', 'default_user');
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const workflowId: string = chat.body.workflow_id;
    const handle = stack.client.workflow.getHandle(workflowId);

    const unknown = { approval_id: `${workflowId}.no_such_step`, approved: true, approver_id: 'manager@bank.com' };
    await handle.signal(approvalDecisionSignal, signedAsGateway(unknown));
    await waitForEvents(handle, 'approval_ignored');
    const rejection = {
      approval_id: chat.body.reply.approval_id as string,
      approved: false,
      approver_id: 'manager@bank.com',
      reason: 'over budget',
    };
    const res = await call(stack.baseUrl, 'POST', `/workflow/${chat.body.session_id}/approve`, {
      approver_id: rejection.approver_id,
      approved: false,
      reason: rejection.reason,
    });
    expect(res.status).toBe(200);
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('REJECTED');

    await expectTrailAgrees(workflowId, [
      { via: 'signal', decision: unknown, outcome: 'approval_ignored' },
      { via: 'update', decision: rejection, outcome: 'approval_rejected' },
    ]);
  });

  it('a Life-OS run: the requester confirms (gateway), a late rejection by direct update is refused and recorded', async () => {
    const submitted = await call(stack.baseUrl, 'POST', '/api/workflows/submit', {
      intent: LIFE_OS_SENTENCE,
      user_id: 'audit_user',
    });
    expect(submitted.status).toBe(200);
    const workflowId: string = submitted.body.workflow_id;
    const handle = stack.client.workflow.getHandle(workflowId);
    expect(await waitForStatus(stack.baseUrl, workflowId, ['WAITING_APPROVAL'], 30_000)).toBe('WAITING_APPROVAL');
    const approvalId = (await timelineOf(stack.baseUrl, workflowId)).find(
      (e) => e.event === 'approval_required',
    )!.approval_id!;

    const confirmation = { approval_id: approvalId, approved: true, approver_id: 'audit_user', reason: 'send them' };
    const confirming = approveThroughGateway(confirmation);
    await waitForEvents(handle, 'approval_approved');
    const late = { approval_id: approvalId, approved: false, approver_id: 'manager@bank.com' };
    const refused = await handle.startUpdate(approvalDecisionUpdate, {
      args: [await signedForRun(handle, late)],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    await expect(refused.result()).rejects.toMatchObject({ cause: { type: 'ApprovalAlreadyDecided' } });
    expect((await confirming).status).toBe(200);
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('COMPLETED');

    await expectTrailAgrees(workflowId, [
      { via: 'update', decision: confirmation, outcome: 'approval_approved' },
      { via: 'update', decision: late, outcome: 'approval_ignored' },
    ]);
  });
});
