/**
 * The approval judge (src/shared/approval/), one table per question: every rule that decides
 * whether a decision or an edit may count, as both the gateway and the run ask it.
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import {
  alreadyDecidedAs,
  judgeDecision,
  mayApprove,
  type Decider,
  type ProposedDecision,
} from '../../src/shared/approval/judge.js';
import { judgeEdit, lockedArgsChanged, type ProposedEdit } from '../../src/shared/approval/edit.js';
import { bareApproval } from '../support/views.js';

const NOW = '2026-12-01T10:00:30.000Z';
const HASH = 'a'.repeat(64);
const OTHER_HASH = 'b'.repeat(64);
const RUN = 'run-1111';
const args = { from_account: '123', to_account: 'kiran', amount_cents: 600_000 };

const transfer: ApprovalRecord = bareApproval({
  run_id: RUN,
  risk_level: 'L3',
  reason: 'large transfer',
  expires_at: '2026-12-01T10:01:00.000Z',
  action_hash: HASH,
  args,
});
const edited: ApprovalRecord = { ...transfer, edits: 1, edited_by: 'carol', action_hash: OTHER_HASH };
const editedByRequester: ApprovalRecord = { ...transfer, edits: 1, edited_by: 'alice' };
const jobSubmit: ApprovalRecord = { ...transfer, tool: 'job_submit', args: { count: 2 }, step_name: 'Apply' };
const calendarL2: ApprovalRecord = { ...jobSubmit, tool: 'calendar_create', risk_level: 'L2' };
const staged: ApprovalRecord = {
  ...transfer,
  policy_rule: 'large-transfer',
  stages: [
    { group: 'approvers', count: 2, approved_by: ['bob'] },
    { group: 'managers', count: 1, approved_by: [] },
  ],
  current_stage: 0,
  requester_may_approve: false,
  decisions: [{ by: 'bob', verdict: 'approve', at: NOW }],
};
const stagedEdited: ApprovalRecord = {
  ...staged,
  edits: 1,
  edited_by: 'carol',
  decisions: [],
  action_hash: OTHER_HASH,
};
const escalated: ApprovalRecord = { ...staged, escalated_to: 'managers' };
const delegated: ApprovalRecord = {
  ...staged,
  delegations: [{ from: 'dan', to: 'erin', to_kind: 'person', groups: ['approvers'], reason: 'away', at: NOW }],
};
const delegatedByCounted: ApprovalRecord = {
  ...staged,
  delegations: [{ from: 'bob', to: 'erin', to_kind: 'person', groups: ['approvers'], reason: 'away', at: NOW }],
};
const lastApproval: ApprovalRecord = {
  ...staged,
  stages: [
    { group: 'approvers', count: 2, approved_by: ['bob', 'dan'] },
    { group: 'managers', count: 1, approved_by: [] },
  ],
  current_stage: 1,
};

const person = (id: string, ...groups: string[]): Decider => ({ id, groups });
const approve = (decider: Decider, over: Partial<ProposedDecision> = {}): ProposedDecision => ({
  approved: true,
  decider,
  actionHash: HASH,
  ...over,
});
const reject = (decider: Decider): ProposedDecision => ({ approved: false, decider, actionHash: HASH });
const run = { now: NOW, checkRun: true };

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

describe('mayApprove (may_decide, can_decide and links ask this)', () => {
  it.each<[string, ApprovalRecord, Decider, readonly string[][], boolean]>([
    ['an approver, no stages', transfer, person('bob'), [], true],
    ['the requester of a transfer', transfer, person('alice'), [], false],
    ['the editor of a transfer', edited, person('carol'), [], false],
    ['someone else after an edit', edited, person('bob'), [], true],
    ['a member of the deciding group', staged, person('dan', 'approvers'), [], true],
    ['who already counted', staged, person('bob', 'approvers'), [], false],
    ['a stand-in for a member', staged, person('sam'), [['approvers']], true],
    ['a stand-in for someone outside the group', staged, person('sam'), [['staff']], false],
    ['a requester token on a transfer', transfer, { id: 'alice', role: 'requester' }, [], false],
    ['an auditor token, even on a step they did not request', transfer, { id: 'ivy', role: 'auditor' }, [], false],
    ['anyone, once decided', { ...transfer, status: 'approved' }, person('bob'), [], false],
    ['anyone, once expired', { ...transfer, expires_at: NOW }, person('bob'), [], false],
  ])('%s', (_name, approval, decider, standInGroups, expected) => {
    expect(mayApprove(approval, decider, { now: NOW, standInGroups })).toBe(expected);
  });
});

describe('alreadyDecidedAs (a retried request)', () => {
  it.each<[string, ApprovalRecord, boolean, string, boolean]>([
    ['approved by them', { ...transfer, status: 'approved', decided_by: 'bob' }, true, 'BOB', true],
    ['approved by someone else', { ...transfer, status: 'approved', decided_by: 'dan' }, true, 'bob', false],
    ['their vote counted on a stage', staged, true, 'bob', true],
    ['rejected, asked to approve', { ...transfer, status: 'rejected', decided_by: 'bob' }, true, 'bob', false],
  ])('%s', (_name, approval, approved, who, expected) => {
    expect(alreadyDecidedAs(approval, approved, who)).toBe(expected);
  });
});

describe('judgeEdit', () => {
  const edit = (editor: Decider, over: Partial<ProposedEdit> = {}): ProposedEdit => ({
    args: { ...args, amount_cents: 400_000 },
    editor,
    actionHash: HASH,
    workflowId: 'req-1',
    runId: RUN,
    ...over,
  });
  type EditOutcome = true | DecisionErrorType;
  it.each<[string, ApprovalRecord, ProposedEdit, EditOutcome]>([
    ['the requester before any decision', transfer, edit(person('alice')), true],
    ['an approver (four eyes) without stages', transfer, edit(person('carol')), true],
    ['the requester after a decision counted', staged, edit(person('alice')), DecisionErrorType.Forbidden],
    ['a member of the deciding group', staged, edit(person('dan', 'approvers')), true],
    ['someone outside the deciding group', staged, edit(person('mallory', 'staff')), DecisionErrorType.Forbidden],
    ['who already counted', staged, edit(person('bob', 'approvers')), DecisionErrorType.Forbidden],
    ['the editor again, before any decision', edited, edit(person('carol'), { actionHash: OTHER_HASH }), true],
    [
      'a requester token on another run',
      transfer,
      edit({ id: 'mallory', role: 'requester' }),
      DecisionErrorType.Forbidden,
    ],
    [
      'the debit account (from_account)',
      transfer,
      edit(person('alice'), { args: { ...args, from_account: 'ops' } }),
      DecisionErrorType.InvalidArgs,
    ],
    [
      'the recipient and amount',
      transfer,
      edit(person('alice'), { args: { ...args, to_account: 'bob', amount_cents: 1 } }),
      true,
    ],
    [
      'a field the tool does not take',
      transfer,
      edit(person('alice'), { args: { ...args, memo: 'x' } }),
      DecisionErrorType.InvalidArgs,
    ],
    [
      'a negative amount',
      transfer,
      edit(person('alice'), { args: { ...args, amount_cents: -1 } }),
      DecisionErrorType.InvalidArgs,
    ],
    [
      'another action than the one waiting',
      transfer,
      edit(person('alice'), { actionHash: OTHER_HASH }),
      DecisionErrorType.Stale,
    ],
    ['another run', transfer, edit(person('alice'), { runId: 'run-0000' }), DecisionErrorType.WrongRun],
    ['at the deadline', { ...transfer, expires_at: NOW }, edit(person('alice')), DecisionErrorType.Expired],
    ['once decided', { ...transfer, status: 'approved' }, edit(person('alice')), DecisionErrorType.AlreadyDecided],
    ['by a look-alike id', transfer, edit(person('alİce')), DecisionErrorType.InvalidIdentity],
  ])('%s', (_name, approval, proposed, expected) => {
    const verdict = judgeEdit(approval, proposed, run);
    expect(verdict.allowed ? true : verdict.type).toBe(expected);
  });

  it('names the locked field and what may be edited', () => {
    const verdict = judgeEdit(transfer, edit(person('alice'), { args: { ...args, from_account: 'ops' } }), run);
    expect(verdict).toMatchObject({
      allowed: false,
      message:
        'args.from_account: an edit of bank_transfer may not change from_account (editable: to_account, amount_cents)',
    });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['nothing locked changed', { ...args, amount_cents: 1 }, []],
    ['the debit account changed', { ...args, from_account: 'ops' }, ['from_account']],
    ['the debit account dropped', { to_account: 'kiran', amount_cents: 1 }, ['from_account']],
  ])('lockedArgsChanged: %s', (_name, after, expected) => {
    expect(lockedArgsChanged('bank_transfer', args, after)).toEqual(expected);
  });
});
