/** What a run publishes to Temporal, driven by RunState with recording sinks instead of the SDK. */
import { describe, expect, it } from 'vitest';
import type { RunState } from '../../workflows/run-state.js';
import { publisher, type SearchAttributeValues } from '../../workflows/run-publication.js';
import {
  APPROVAL_ID,
  approve,
  blockTransfer,
  RUN_POLICY,
  stagedTransferRun,
  tickingRun,
  transferPlan,
} from './run-fixtures.js';

describe('publisher', () => {
  function recorded() {
    const log = {
      details: [] as string[],
      attributes: [] as SearchAttributeValues[],
      memos: [] as string[][],
      held: [] as string[][],
    };
    const run = tickingRun(
      10,
      publisher({
        details: (text) => log.details.push(text),
        searchAttributes: (values) => log.attributes.push(values),
        pendingApprovals: (records) => log.memos.push(records.map((r) => r.approval_id)),
        heldSteps: (records) => log.held.push(records.map((r) => r.step_id)),
      }),
    );
    return { run, log };
  }

  it('writes search attributes and memo only when their values change, in the order the recorded histories hold', () => {
    const { run, log } = recorded();
    blockTransfer(run);
    run.decide(approve('manager@bank.com'));
    run.resolveGate(APPROVAL_ID);
    run.startAttempt('transfer');
    run.recordSuccess('transfer', {});
    run.finish();
    expect(log.details).toHaveLength(8);
    expect(log.details.at(-1)).toBe('**COMPLETED** Transfer $6,000.00 to kiran [SUCCEEDED]');
    expect(log.attributes.map((a) => [a.status, a.pendingApprovalIds])).toEqual([
      ['EXECUTING', []],
      ['WAITING_APPROVAL', [APPROVAL_ID]],
      ['WAITING_APPROVAL', []],
      ['EXECUTING', []],
      ['COMPLETED', []],
    ]);
    expect(log.attributes.every((a) => a.intent === 'money_transfer')).toBe(true);
    expect(log.memos).toEqual([[APPROVAL_ID], []]);
  });

  it('rewrites the memo when a stage progresses', () => {
    const progress: (string | undefined)[][] = [];
    const run = tickingRun(
      10,
      publisher({
        details: () => undefined,
        searchAttributes: () => undefined,
        pendingApprovals: (records) => progress.push(records.map((r) => r.progress)),
        heldSteps: () => undefined,
      }),
    );
    stagedTransferRun('two approvers', 'two', [{ group: 'approvers', count: 2 }], RUN_POLICY, run);
    run.decide({ approval_id: APPROVAL_ID, approved: true, approver_id: 'bob', groups: ['approvers'] });
    run.decide({ approval_id: APPROVAL_ID, approved: true, approver_id: 'carol', groups: ['approvers'] });
    expect(progress).toEqual([['0 of 2 from approvers'], ['1 of 2 from approvers'], []]);
  });

  it('writes once for an expiry (the approval and the step change together); a run that never holds a step writes no attention attribute or memo', () => {
    const { run, log } = recorded();
    blockTransfer(run);
    run.expireApproval(APPROVAL_ID);
    run.finish();
    expect(log.attributes.map((a) => a.status)).toEqual(['EXECUTING', 'WAITING_APPROVAL', 'EXECUTING', 'REJECTED']);
    expect(log.memos).toEqual([[APPROVAL_ID], []]);
    expect(log.attributes.every((a) => a.attentionStepIds === undefined)).toBe(true);
    expect(log.held).toEqual([]);
  });

  it('a held step is published in AttentionStepIds and the memo, and cleared once acted on', () => {
    const { run, log } = recorded();
    run.adoptPlan(transferPlan, RUN_POLICY);
    run.markReady('transfer');
    run.startAttempt('transfer');
    run.holdForAttention('transfer', { message: 'connect ECONNREFUSED', retryable: true }, 60_000);
    run.actOnStep({ step_id: 'transfer', action: 'skip', decided_by: 'ops', reason: 'bank down' });
    expect(log.attributes.map((a) => a.attentionStepIds)).toEqual([undefined, ['transfer'], []]);
    expect(log.held).toEqual([['transfer'], []]);
  });

  it('publishes the groups awaited now in AwaitingGroups, following escalation, once the run first awaits a group', () => {
    const staged = (run: RunState) => {
      stagedTransferRun('r', 'r', [{ group: 'approvers', count: 1 }], { id: 'p', hash: 'a'.repeat(64) }, run);
      run.followUpApproval(APPROVAL_ID, { kind: 'escalate', after_ms: 1, group: 'managers' });
      run.expireApproval(APPROVAL_ID);
    };
    const { run, log } = recorded();
    staged(run);
    expect(log.attributes.map((a) => a.awaitingGroups)).toEqual([
      undefined,
      ['approvers'],
      ['approvers', 'managers'],
      [],
    ]);
  });
});
