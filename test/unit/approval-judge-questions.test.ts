/**
 * The approval judge's other questions (src/shared/approval/), one table each: may this person approve,
 * is this request a retry of their own decision, and may this edit count.
 * (approval-judge.test.ts holds judgeDecision.)
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import { alreadyDecidedAs, mayApprove, type Decider } from '../../src/shared/approval/judge.js';
import { judgeEdit, lockedArgsChanged, type ProposedEdit } from '../../src/shared/approval/edit.js';
import {
  NOW,
  HASH,
  OTHER_HASH,
  RUN,
  args,
  transfer,
  edited,
  staged,
  person,
  run,
} from '../support/approval-records.js';

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
