import { describe, expect, it } from 'vitest';
import { newSigningKey } from '../support/signing-keys.js';
import { checkActionProof, signStepAction } from '../../src/shared/action-signature.js';
import { checkDecisionProof, signDecision } from '../../src/shared/decision-signature.js';
import { StepActionSchema, type StepAction } from '../../src/shared/workflow-contracts.js';

const newKey = newSigningKey;

const gateway = newKey('gateway');
const operator = newKey('operator');
const stranger = newKey('gateway');
const trusted = [gateway.trusted, operator.trusted];
const RUN = 'req-1';
const AT = '2026-12-01T20:00:00.000Z';
const NONCE = 'nonce-0123456789abcdef';
const edit: Omit<StepAction, 'proof'> = {
  step_id: 'transfer',
  action: 'retry_with_edits',
  args: { from_account: '123', to_account: 'kiran', amount_cents: 10_000 },
  decided_by: 'ops@bank.com',
  role: 'admin',
  reason: 'the customer meant 100',
  held_since: '2026-12-01T19:59:00.000Z',
  run_id: 'first-run-0001',
};
const signed = signStepAction(RUN, edit, gateway.signer, AT, NONCE);
const proof = signed.proof!;

describe('checkActionProof', () => {
  const decisionProof = signDecision(
    { approval_id: `${RUN}.transfer`, approved: true, approver_id: 'ops@bank.com' },
    gateway.signer,
    AT,
    NONCE,
  ).proof!;
  const cases: { name: string; action: StepAction; run?: string; expected: string }[] = [
    { name: 'signed by the gateway', action: signed, expected: 'gateway' },
    {
      name: 'signed by an operator',
      action: signStepAction(RUN, edit, operator.signer, AT, NONCE),
      expected: 'operator',
    },
    { name: 'no proof (as the Web UI or CLI sends it)', action: edit, expected: 'unsigned' },
    { name: 'sent to another run', action: signed, run: 'req-2', expected: 'bad_signature' },
    { name: 'another step', action: { ...signed, step_id: 'pay' }, expected: 'bad_signature' },
    {
      name: 'args tampered (recipient changed)',
      action: { ...signed, args: { ...edit.args, to_account: 'mallory' } },
      expected: 'bad_signature',
    },
    {
      name: 'args tampered (amount changed)',
      action: { ...signed, args: { ...edit.args, amount_cents: 9_999 } },
      expected: 'bad_signature',
    },
    {
      name: 'args in another key order',
      action: { ...signed, args: { amount_cents: 10_000, to_account: 'kiran', from_account: '123' } },
      expected: 'gateway',
    },
    {
      name: 'kind changed (retry_with_edits to skip)',
      action: { ...signed, action: 'skip', args: undefined },
      expected: 'bad_signature',
    },
    {
      name: 'kind changed (skip to fail)',
      action: {
        ...signStepAction(RUN, { ...edit, action: 'skip', args: undefined }, gateway.signer, AT, NONCE),
        action: 'fail',
      },
      expected: 'bad_signature',
    },
    { name: 'operator changed', action: { ...signed, decided_by: 'intern@bank.com' }, expected: 'bad_signature' },
    { name: 'role changed', action: { ...signed, role: 'operator' }, expected: 'bad_signature' },
    { name: 'reason changed', action: { ...signed, reason: 'why not' }, expected: 'bad_signature' },
    {
      name: 'moved to a later hold',
      action: { ...signed, held_since: '2026-12-01T20:05:00.000Z' },
      expected: 'bad_signature',
    },
    { name: 'moved to another run', action: { ...signed, run_id: 'first-run-0002' }, expected: 'bad_signature' },
    { name: 'its run removed', action: { ...signed, run_id: undefined }, expected: 'bad_signature' },
    {
      name: 'time changed',
      action: { ...signed, proof: { ...proof, issued_at: '2026-12-01T20:00:01.000Z' } },
      expected: 'bad_signature',
    },
    {
      name: 'nonce changed',
      action: { ...signed, proof: { ...proof, nonce: 'nonce-0123456789abcdeF' } },
      expected: 'bad_signature',
    },
    {
      name: 'signed by a key the run does not trust',
      action: signStepAction(RUN, edit, stranger.signer, AT, NONCE),
      expected: 'unknown_key',
    },
    {
      name: 'claims the operator key, signed by the gateway',
      action: { ...signed, proof: { ...proof, key_id: operator.trusted.key_id } },
      expected: 'bad_signature',
    },
    {
      name: 'a decision signature passed off as an action',
      action: { ...edit, proof: decisionProof },
      expected: 'bad_signature',
    },
    {
      name: 'signed without the hold it is for',
      action: signStepAction(RUN, { ...edit, held_since: undefined }, gateway.signer, AT, NONCE),
      expected: 'unbound',
    },
    {
      name: 'signed without a role',
      action: signStepAction(RUN, { ...edit, role: undefined }, gateway.signer, AT, NONCE),
      expected: 'unbound',
    },
    {
      name: 'signature of zeros',
      action: { ...signed, proof: { ...proof, signature: '0'.repeat(128) } },
      expected: 'bad_signature',
    },
    {
      name: 'signature not hex (bypassing the schema)',
      action: { ...signed, proof: { ...proof, signature: 'zz'.repeat(64) } },
      expected: 'bad_signature',
    },
  ];
  it.each(cases)('$name → $expected', ({ action, run, expected }) => {
    const check = checkActionProof(run ?? RUN, action, trusted);
    expect(check.valid ? check.key.role : check.reason).toBe(expected);
  });

  it('an action signature never passes as a decision', () => {
    const decision = { approval_id: `${RUN}.transfer`, approved: true, approver_id: 'ops@bank.com', proof };
    expect(checkDecisionProof(decision, trusted)).toMatchObject({ valid: false, reason: 'bad_signature' });
  });

  it('trusts nothing when the run has no keys', () => {
    expect(checkActionProof(RUN, signed, [])).toMatchObject({ valid: false, reason: 'unknown_key' });
  });

  it('covers non-ASCII text exactly', () => {
    const accented = signStepAction(
      RUN,
      { ...edit, decided_by: 'zoë@bank.com', reason: 'payé ✓' },
      gateway.signer,
      AT,
      NONCE,
    );
    expect(checkActionProof(RUN, accented, trusted).valid).toBe(true);
    expect(checkActionProof(RUN, { ...accented, decided_by: 'zoe@bank.com' }, trusted).valid).toBe(false);
  });
});

describe('StepActionSchema', () => {
  it('accepts a signed action and an unsigned one (which the run records as ignored)', () => {
    expect(StepActionSchema.safeParse(signed).success).toBe(true);
    expect(StepActionSchema.safeParse(edit).success).toBe(true);
  });
  it.each([
    ['a role no signer vouches for', { ...signed, role: 'root' }],
    ['held_since not a time', { ...signed, held_since: 'yesterday' }],
    ['a proof with an extra field', { ...signed, proof: { ...proof, role: 'operator' } }],
  ])('refuses %s', (_name, candidate) => {
    expect(StepActionSchema.safeParse(candidate).success).toBe(false);
  });
});
