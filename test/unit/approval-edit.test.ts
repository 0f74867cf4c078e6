/** approval-edit.ts: who may edit a waiting approval, with what, and how an edit is signed. Table-driven. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { checkEditProof, judgeEdit, signEdit, type UnsignedEdit } from '../../src/shared/approval-edit.js';
import { toolArgsProblems } from '../../src/shared/approval/edit.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { bytesToHex, checkDecisionProof } from '../../src/shared/decision-signature.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import type { ApprovalDecision } from '../../src/shared/workflow-contracts.js';
import { bareApproval } from '../support/views.js';

const NOW = '2026-12-01T10:00:30.000Z';
const HASH = 'a'.repeat(64);
const args = { from_account: 'checking', to_account: 'kiran', amount_cents: 600_000 };

const pending: ApprovalRecord = bareApproval({
  step_name: 'Transfer',
  risk_level: 'L3',
  reason: 'large transfer',
  expires_at: '2026-12-01T10:01:00.000Z',
  action_hash: HASH,
  args,
});
const staged: ApprovalRecord = {
  ...pending,
  policy_rule: 'large-transfer',
  stages: [{ group: 'approvers', count: 2, approved_by: [] }],
  current_stage: 0,
  requester_may_approve: false,
  decisions: [],
};
const votedOnce: ApprovalRecord = {
  ...staged,
  stages: [{ group: 'approvers', count: 2, approved_by: ['bob'] }],
  decisions: [{ by: 'bob', verdict: 'approve', at: NOW }],
};

const edit = (over: Partial<UnsignedEdit> = {}): UnsignedEdit => ({
  workflow_id: pending.workflow_id,
  approval_id: pending.approval_id,
  args: { ...args, amount_cents: 400_000 },
  edited_by: 'alice',
  ...over,
});

/**
 * The rules are the approval judge's (test/unit/approval-judge-questions.test.ts); here, the edit message
 * read as the run reads it.
 */
describe('judgeEdit (an edit message, in the run)', () => {
  it.each<[string, ApprovalRecord | undefined, UnsignedEdit, true | DecisionErrorType]>([
    ['the requester before any decision', pending, edit(), true],
    ['the requester after a decision counted', votedOnce, edit(), DecisionErrorType.Forbidden],
    ['an unknown approval', undefined, edit(), DecisionErrorType.UnknownApproval],
    [
      'an edit signed for another run',
      { ...pending, run_id: 'run-2' },
      edit({ run_id: 'run-1' }),
      DecisionErrorType.WrongRun,
    ],
    ['an edit naming no run', { ...pending, run_id: 'run-2' }, edit(), DecisionErrorType.WrongRun],
    [
      'an edit of the debit account',
      pending,
      edit({ args: { ...args, from_account: 'ops' } }),
      DecisionErrorType.InvalidArgs,
    ],
  ])('%s', (_name, approval, proposed, expected) => {
    const verdict = judgeEdit(approval, proposed, NOW);
    if (expected === true) expect(verdict).toEqual({ allowed: true, args: proposed.args });
    else expect(verdict).toMatchObject({ allowed: false, type: expected });
  });

  it('names the field in a refusal of bad args', () => {
    expect(toolArgsProblems('bank_transfer', { ...args, amount_cents: 1.5 })).toEqual([
      expect.stringMatching(/^args\.amount_cents: /),
    ]);
    expect(toolArgsProblems('bank_transfer', args)).toEqual([]);
  });
});

describe('signed edits', () => {
  const secret = new Uint8Array(32).fill(7);
  const signer = { key_id: '0123456789abcdef', secret_key: secret };
  const trusted = [
    { key_id: signer.key_id, role: 'gateway' as const, public_key: bytesToHex(ed25519.getPublicKey(secret)) },
  ];
  const signed = signEdit(edit({ reason: 'lower' }), signer, NOW, 'nonce-nonce-nonce-1');

  it.each<[string, unknown, boolean]>([
    ['as signed', signed, true],
    ['with other args', { ...signed, args: { ...args, amount_cents: 1 } }, false],
    ['by another editor', { ...signed, edited_by: 'bob' }, false],
    ['with another reason', { ...signed, reason: 'more' }, false],
    ['unsigned', { ...signed, proof: undefined }, false],
    ['by an unknown key', { ...signed, proof: { ...signed.proof!, key_id: 'ffffffffffffffff' } }, false],
  ])('verifies an edit %s: %s', (_name, value, valid) => {
    expect(checkEditProof(value as typeof signed, trusted).valid).toBe(valid);
  });

  it('cannot pass as a decision: the payload versions differ', () => {
    const asDecision: ApprovalDecision = {
      approval_id: signed.approval_id,
      approved: true,
      approver_id: signed.edited_by,
      reason: 'lower',
      proof: signed.proof!,
    };
    expect(checkDecisionProof(asDecision, trusted).valid).toBe(false);
  });
});
