/**
 * The approval judge's judgeDecision (src/shared/approval/judge.ts), one table per question: every rule
 * that decides whether a decision may count, as both the gateway and the run ask it.
 * (approval-judge-questions.test.ts holds mayApprove, alreadyDecidedAs and judgeEdit.)
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import { judgeDecision, type Decider, type ProposedDecision } from '../../src/shared/approval/judge.js';
import {
  NOW,
  HASH,
  OTHER_HASH,
  RUN,
  transfer,
  edited,
  editedByRequester,
  jobSubmit,
  calendarL2,
  staged,
  stagedEdited,
  escalated,
  delegated,
  delegatedByCounted,
  lastApproval,
  person,
  approve,
  reject,
  run,
} from '../support/approval-records.js';

type Outcome = 'approve' | 'complete' | 'reject' | DecisionErrorType;

function outcomeOf(approval: ApprovalRecord | undefined, decision: ProposedDecision, context = run): Outcome {
  const verdict = judgeDecision(approval, { workflowId: 'req-1', runId: RUN, ...decision }, context);
  if (verdict.kind === 'refuse') return verdict.type;
  if (verdict.kind === 'reject') return 'reject';
  return verdict.complete ? 'complete' : 'approve';
}

describe('judgeDecision: is it still a question', () => {
  it.each<[string, ApprovalRecord | undefined, ProposedDecision, Outcome]>([
    ['an unknown approval', undefined, approve(person('bob')), DecisionErrorType.UnknownApproval],
    ['a pending approval', transfer, approve(person('bob')), 'complete'],
    [
      'an approved approval',
      { ...transfer, status: 'approved' },
      approve(person('bob')),
      DecisionErrorType.AlreadyDecided,
    ],
    ['an expired record', { ...transfer, status: 'expired' }, reject(person('bob')), DecisionErrorType.AlreadyDecided],
    ['at the deadline', { ...transfer, expires_at: NOW }, approve(person('bob')), DecisionErrorType.Expired],
    [
      'a second before the deadline',
      { ...transfer, expires_at: '2026-12-01T10:00:31.000Z' },
      approve(person('bob')),
      'complete',
    ],
  ])('%s', (_name, approval, decision, expected) => {
    expect(outcomeOf(approval, decision)).toBe(expected);
  });

  it('says an expired decision expires the approval', () => {
    const verdict = judgeDecision({ ...transfer, expires_at: NOW }, approve(person('bob')), { now: NOW });
    expect(verdict).toMatchObject({ kind: 'refuse', expire: true });
  });
});

describe('judgeDecision: the run and the action it names', () => {
  it.each<[string, ApprovalRecord, Partial<ProposedDecision>, Outcome]>([
    ['this run and the action waiting', transfer, {}, 'complete'],
    ['another run under the same workflow id', transfer, { runId: 'run-0000' }, DecisionErrorType.WrongRun],
    ['no run named', transfer, { runId: undefined }, DecisionErrorType.WrongRun],
    ['another workflow', transfer, { workflowId: 'req-2' }, DecisionErrorType.WrongRun],
    ['another action hash', transfer, { actionHash: OTHER_HASH }, DecisionErrorType.Stale],
    ['no action named, never edited (the seed route)', transfer, { actionHash: undefined }, 'complete'],
    ['no action named after an edit (bait and switch)', edited, { actionHash: undefined }, DecisionErrorType.Stale],
    ['the first hash after an edit', edited, { actionHash: HASH }, DecisionErrorType.Stale],
    ['the edited hash after an edit', edited, { actionHash: OTHER_HASH, decider: person('dan') }, 'complete'],
  ])('%s', (_name, approval, over, expected) => {
    expect(outcomeOf(approval, { ...approve(person('bob')), ...over })).toBe(expected);
  });

  it('the gateway does not check the run (it signs the run it read)', () => {
    const verdict = judgeDecision(transfer, approve(person('bob')), { now: NOW });
    expect(verdict.kind).toBe('approve');
  });

  it('a stale refusal names the action waiting now', () => {
    const verdict = judgeDecision(edited, approve(person('bob'), { actionHash: undefined }), { now: NOW });
    expect(verdict).toMatchObject({ kind: 'refuse', message: expect.stringContaining(OTHER_HASH) });
  });
});

describe('judgeDecision: who decides (no stages)', () => {
  it.each<[string, ApprovalRecord, ProposedDecision, Outcome]>([
    ['an approver approves a transfer', transfer, approve(person('bob')), 'complete'],
    ['anyone rejects a transfer', transfer, reject(person('bob')), 'reject'],
    ['the requester approves their transfer', transfer, approve(person('alice')), DecisionErrorType.Forbidden],
    ['the requester under another case', transfer, approve(person('ALICE')), DecisionErrorType.Forbidden],
    ['the requester in full-width letters', transfer, approve(person('\uff41lice')), DecisionErrorType.Forbidden],
    ['the requester withdraws', transfer, reject(person('alice')), 'reject'],
    [
      'the editor approves what they shaped',
      edited,
      approve(person('carol'), { actionHash: OTHER_HASH }),
      DecisionErrorType.Forbidden,
    ],
    ['the requester approves after editing', editedByRequester, approve(person('alice')), DecisionErrorType.Forbidden],
    [
      'someone else approves the edited transfer',
      edited,
      approve(person('bob'), { actionHash: OTHER_HASH }),
      'complete',
    ],
    ['the requester confirms an L3 job submission', jobSubmit, approve(person('alice')), 'complete'],
  ])('%s', (_name, approval, decision, expected) => {
    expect(outcomeOf(approval, decision)).toBe(expected);
  });
});

describe('judgeDecision: look-alike ids are refused, never taken for someone', () => {
  it.each<[string, string]>([
    ['Turkish dotted capital I', 'alİce'],
    ['Turkish dotted capital I, upper case', 'ALİCE'],
    ['Turkish dotless i', 'alıce'],
    ['Cyrillic a', '\u0430lice'],
    ['a space', 'al ice'],
  ])('%s', (_name, id) => {
    expect(outcomeOf(transfer, approve(person(id)))).toBe(DecisionErrorType.InvalidIdentity);
  });
});

describe('judgeDecision: roles (a gateway token)', () => {
  const as = (id: string, role: Decider['role']): Decider => ({ id, role });
  it.each<[string, ApprovalRecord, ProposedDecision, Outcome]>([
    ['an approver approves', transfer, approve(as('bob', 'approver')), 'complete'],
    ['an admin approves', transfer, approve(as('root', 'admin')), 'complete'],
    ['a requester withdraws their own', transfer, reject(as('alice', 'requester')), 'reject'],
    ["a requester rejects someone else's", transfer, reject(as('mallory', 'requester')), DecisionErrorType.Forbidden],
    ['a requester approves a transfer', transfer, approve(as('alice', 'requester')), DecisionErrorType.Forbidden],
    ['a requester confirms their L3 step', jobSubmit, approve(as('alice', 'requester')), 'complete'],
    ['a requester approves their L2 step', calendarL2, approve(as('alice', 'requester')), DecisionErrorType.Forbidden],
  ])('%s', (_name, approval, decision, expected) => {
    expect(outcomeOf(approval, decision)).toBe(expected);
  });
});

describe('judgeDecision: stages', () => {
  it.each<[string, ApprovalRecord, ProposedDecision, Outcome]>([
    ['a member of the stage deciding now', staged, approve(person('dan', 'approvers')), 'approve'],
    ['the last approval needed', lastApproval, approve(person('mia', 'managers')), 'complete'],
    ['someone outside the group', staged, approve(person('mallory', 'staff')), DecisionErrorType.Forbidden],
    ['someone outside the group rejects', staged, reject(person('mallory', 'staff')), DecisionErrorType.Forbidden],
    ['a member rejects', staged, reject(person('dan', 'approvers')), 'reject'],
    ['the requester withdraws', staged, reject(person('alice')), 'reject'],
    ['the requester approves', staged, approve(person('alice', 'approvers')), DecisionErrorType.Forbidden],
    ['a person counts once', staged, approve(person('bob', 'approvers')), DecisionErrorType.Forbidden],
    [
      'a person counts once, under another case',
      staged,
      approve(person('BOB', 'approvers')),
      DecisionErrorType.Forbidden,
    ],
    [
      'a counted person again in the next stage',
      lastApproval,
      approve(person('bob', 'managers')),
      DecisionErrorType.Forbidden,
    ],
    [
      'the editor approves what they shaped',
      stagedEdited,
      approve(person('carol', 'approvers'), { actionHash: OTHER_HASH }),
      DecisionErrorType.Forbidden,
    ],
    ['the escalation group decides', escalated, approve(person('mia', 'managers')), 'approve'],
    ['a hand-over to a person', delegated, approve(person('erin')), 'approve'],
    [
      'a hand-over from someone who already counted',
      delegatedByCounted,
      approve(person('erin')),
      DecisionErrorType.Forbidden,
    ],
    [
      'every stage complete',
      { ...staged, current_stage: 2 },
      approve(person('dan', 'approvers')),
      DecisionErrorType.Forbidden,
    ],
  ])('%s', (_name, approval, decision, expected) => {
    expect(outcomeOf(approval, decision)).toBe(expected);
  });

  it('a hand-over counts for the one who handed it', () => {
    expect(judgeDecision(delegated, approve(person('erin')), { now: NOW })).toEqual({
      kind: 'approve',
      complete: false,
      onBehalfOf: 'dan',
    });
  });

  it('stand-ins decide with the groups of whom they stand in for', () => {
    const standIn = { now: NOW, standInGroups: [['approvers']] };
    expect(judgeDecision(staged, approve(person('sam', 'staff')), standIn).kind).toBe('approve');
    expect(judgeDecision(staged, approve(person('sam', 'staff')), { now: NOW }).kind).toBe('refuse');
  });
});
