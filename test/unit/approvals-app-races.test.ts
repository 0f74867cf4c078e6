/**
 * The approval module through `app.request` on a scripted client (test/support/scripted-gateway.ts):
 * true answers when a decision races a cancel or another decision, and the inbox after a decision made
 * here. (approvals-app.test.ts: deciding by name, who may decide, 404 for what one may not see.)
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { step, approval, runView, appFor, type Script, type Decision } from '../support/scripted-gateway.js';

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
