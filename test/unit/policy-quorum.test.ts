/**
 * Approval stages played decision by decision: the approval judge (src/shared/approval/judge.ts)
 * says whether each counts, quorum.ts counts it, as the run does.
 */
import { describe, expect, it } from 'vitest';
import { judgeDecision, type DecisionVerdict, type JudgedApproval } from '../../src/shared/approval/judge.js';
import { countApproval, newQuorum, quorumProgress, type Quorum } from '../../src/shared/policy/quorum.js';

const REQUESTER = 'alice';
const NOW = '2026-12-01T10:00:00.000Z';
const twoApproversThenManager = () =>
  newQuorum(
    [
      { group: 'approvers', count: 2 },
      { group: 'managers', count: 1 },
    ],
    false,
  );
interface QuorumDecision {
  approver_id: string;
  approved: boolean;
  groups: string[];
}
const approve = (approver_id: string, ...groups: string[]): QuorumDecision => ({ approver_id, approved: true, groups });
const reject = (approver_id: string, ...groups: string[]): QuorumDecision => ({ approver_id, approved: false, groups });

/** The record a run keeps for `quorum` (a confirmable L3 step, not a transfer). */
function recordOf(quorum: Quorum): JudgedApproval {
  return {
    approval_id: 'req-1.step',
    workflow_id: 'req-1',
    tool: 'job_submit',
    risk_level: 'L3',
    status: 'pending',
    requested_by: REQUESTER,
    expires_at: '2026-12-02T10:00:00.000Z',
    stages: quorum.stages,
    current_stage: quorum.current_stage,
    requester_may_approve: quorum.requester_may_approve,
  };
}

function judge(quorum: Quorum, decision: QuorumDecision): DecisionVerdict {
  const decider = { id: decision.approver_id, groups: decision.groups };
  return judgeDecision(recordOf(quorum), { approved: decision.approved, decider }, { now: NOW });
}

/** Applies decisions in order, as the workflow does; returns each verdict's kind and the final progress. */
function play(quorum: Quorum, decisions: QuorumDecision[]): { verdicts: string[]; progress: string } {
  const verdicts: string[] = [];
  for (const decision of decisions) {
    const verdict = judge(quorum, decision);
    verdicts.push(verdict.kind === 'approve' ? (verdict.complete ? 'complete' : 'count') : verdict.kind);
    if (verdict.kind === 'approve') countApproval(quorum, decision.approver_id);
    if (verdict.kind === 'reject') break;
  }
  return { verdicts, progress: quorumProgress(quorum) };
}

describe('approval stages', () => {
  it.each<[string, () => Quorum, QuorumDecision[], string[], string]>([
    [
      'anyone once: one approval completes',
      () => newQuorum([{ group: '*', count: 1 }], false),
      [approve('bob')],
      ['complete'],
      'complete',
    ],
    [
      'anyone once: the requester of a transfer cannot approve',
      () => newQuorum([{ group: '*', count: 1 }], false),
      [approve(REQUESTER)],
      ['refuse'],
      '0 of 1 from anyone',
    ],
    [
      'a confirmable step: the requester may approve',
      () => newQuorum([{ group: '*', count: 1 }], true),
      [approve(REQUESTER)],
      ['complete'],
      'complete',
    ],
    [
      'two approvers: one is progress',
      twoApproversThenManager,
      [approve('bob', 'approvers')],
      ['count'],
      '1 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'two approvers: the same person twice counts once',
      twoApproversThenManager,
      [approve('bob', 'approvers'), approve('bob', 'approvers')],
      ['count', 'refuse'],
      '1 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'outside the group: refused',
      twoApproversThenManager,
      [approve('mallory', 'staff')],
      ['refuse'],
      '0 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'no groups at all: refused',
      twoApproversThenManager,
      [approve('mallory')],
      ['refuse'],
      '0 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'the requester under another spelling never counts',
      twoApproversThenManager,
      [approve('ALICE', 'approvers')],
      ['refuse'],
      '0 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'one person under two spellings counts once',
      twoApproversThenManager,
      [approve('bob', 'approvers'), approve('BOB', 'approvers')],
      ['count', 'refuse'],
      '1 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'the requester in the group never counts',
      twoApproversThenManager,
      [approve(REQUESTER, 'approvers')],
      ['refuse'],
      '0 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'a manager cannot skip ahead',
      twoApproversThenManager,
      [approve('dana', 'managers')],
      ['refuse'],
      '0 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'stages in order',
      twoApproversThenManager,
      [approve('bob', 'approvers'), approve('carol', 'approvers'), approve('dana', 'managers')],
      ['count', 'count', 'complete'],
      'complete',
    ],
    [
      'a person in both groups counts once across stages',
      twoApproversThenManager,
      [approve('bob', 'approvers', 'managers'), approve('carol', 'approvers'), approve('bob', 'approvers', 'managers')],
      ['count', 'count', 'refuse'],
      '0 of 1 from managers (stage 2 of 2)',
    ],
    [
      'one rejection rejects, even after approvals',
      twoApproversThenManager,
      [approve('bob', 'approvers'), reject('carol', 'approvers')],
      ['count', 'reject'],
      '1 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'the requester may withdraw',
      twoApproversThenManager,
      [reject(REQUESTER)],
      ['reject'],
      '0 of 2 from approvers (stage 1 of 2)',
    ],
    [
      'a rejection from outside the deciding group is refused',
      twoApproversThenManager,
      [reject('dana', 'managers')],
      ['refuse'],
      '0 of 2 from approvers (stage 1 of 2)',
    ],
  ])('%s', (_name, make, decisions, verdicts, progress) => {
    expect(play(make(), decisions)).toEqual({ verdicts, progress });
  });

  it('says why a decision does not count', () => {
    const quorum = twoApproversThenManager();
    expect(judge(quorum, approve('mallory', 'staff'))).toMatchObject({
      kind: 'refuse',
      message: 'mallory is not in group approvers, which decides now (stage 1 of 2)',
    });
    expect(judge(quorum, approve(REQUESTER, 'approvers'))).toMatchObject({
      kind: 'refuse',
      message: 'alice requested this step and cannot approve it (four-eyes rule)',
    });
  });
});
