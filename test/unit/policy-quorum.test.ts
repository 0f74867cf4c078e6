import { describe, expect, it } from 'vitest';
import {
  countApproval,
  judgeQuorumDecision,
  newQuorum,
  quorumProgress,
  type Quorum,
  type QuorumDecision,
} from '../../src/shared/policy/quorum.js';

const REQUESTER = 'alice';
const twoApproversThenManager = () =>
  newQuorum(
    [
      { group: 'approvers', count: 2 },
      { group: 'managers', count: 1 },
    ],
    false,
  );
const approve = (approver_id: string, ...groups: string[]): QuorumDecision => ({ approver_id, approved: true, groups });
const reject = (approver_id: string, ...groups: string[]): QuorumDecision => ({ approver_id, approved: false, groups });

/** Applies decisions in order, as the workflow does; returns each verdict's kind and the final progress. */
function play(quorum: Quorum, decisions: QuorumDecision[]): { verdicts: string[]; progress: string } {
  const verdicts: string[] = [];
  for (const decision of decisions) {
    const verdict = judgeQuorumDecision(quorum, REQUESTER, decision);
    verdicts.push(verdict.kind === 'count' && verdict.complete ? 'complete' : verdict.kind);
    if (verdict.kind === 'count') countApproval(quorum, decision.approver_id);
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
    expect(judgeQuorumDecision(quorum, REQUESTER, approve('mallory', 'staff'))).toEqual({
      kind: 'refuse',
      message: 'mallory is not in group approvers, which decides now (stage 1 of 2)',
    });
    expect(judgeQuorumDecision(quorum, REQUESTER, approve(REQUESTER, 'approvers'))).toEqual({
      kind: 'refuse',
      message: 'alice requested this step and cannot approve it (four-eyes rule)',
    });
  });
});
