import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/runtime/decision-keys.js';
import { newSigningKey } from '../support/signing-keys.js';
import { checkDecisionProof, decisionSigningBytes, signDecision } from '../../src/shared/decision-signature.js';
import {
  ApprovalDecisionSchema,
  type ApprovalDecision,
  type TrustedDecisionKey,
} from '../../src/shared/workflow-contracts.js';

const newKey = newSigningKey;

const gateway = newKey('gateway');
const operator = newKey('operator');
const stranger = newKey('gateway');
const trusted = [gateway.trusted, operator.trusted];
const decision = {
  approval_id: 'req-1.transfer',
  approved: true,
  approver_id: 'manager@bank.com',
  reason: 'known payee',
};
const signed = signDecision(decision, gateway.signer, '2026-12-01T20:00:00.000Z', 'nonce-0123456789abcdef');
const proof = signed.proof!;

describe('checkDecisionProof', () => {
  const cases: { name: string; decision: ApprovalDecision; expected: string }[] = [
    { name: 'signed by the gateway', decision: signed, expected: 'gateway' },
    {
      name: 'signed by an operator',
      decision: signDecision(decision, operator.signer, proof.issued_at, proof.nonce),
      expected: 'operator',
    },
    { name: 'no proof (as the Web UI or CLI sends it)', decision, expected: 'unsigned' },
    { name: 'approval id changed', decision: { ...signed, approval_id: 'req-2.transfer' }, expected: 'bad_signature' },
    { name: 'verdict flipped', decision: { ...signed, approved: false }, expected: 'bad_signature' },
    { name: 'decider changed', decision: { ...signed, approver_id: 'default_user' }, expected: 'bad_signature' },
    { name: 'reason changed', decision: { ...signed, reason: 'known payee!' }, expected: 'bad_signature' },
    {
      name: 'reason removed',
      decision: { approval_id: decision.approval_id, approved: true, approver_id: decision.approver_id, proof },
      expected: 'bad_signature',
    },
    {
      name: 'issued_at changed',
      decision: { ...signed, proof: { ...proof, issued_at: '2026-12-01T20:00:01.000Z' } },
      expected: 'bad_signature',
    },
    {
      name: 'nonce changed',
      decision: { ...signed, proof: { ...proof, nonce: 'nonce-0123456789abcdeF' } },
      expected: 'bad_signature',
    },
    {
      name: 'claims the operator key, signed by the gateway',
      decision: { ...signed, proof: { ...proof, key_id: operator.trusted.key_id } },
      expected: 'bad_signature',
    },
    {
      name: 'claims the gateway key, signed by a stranger',
      decision: {
        ...signDecision(decision, stranger.signer, proof.issued_at, proof.nonce),
        proof: {
          ...signDecision(decision, stranger.signer, proof.issued_at, proof.nonce).proof!,
          key_id: gateway.trusted.key_id,
        },
      },
      expected: 'bad_signature',
    },
    {
      name: 'signed by a key the run does not trust',
      decision: signDecision(decision, stranger.signer, proof.issued_at, proof.nonce),
      expected: 'unknown_key',
    },
    {
      name: 'groups added to a decision signed without them',
      decision: { ...signed, groups: ['managers'] },
      expected: 'bad_signature',
    },
    {
      name: 'signed with groups',
      decision: signDecision({ ...decision, groups: ['approvers'] }, gateway.signer, proof.issued_at, proof.nonce),
      expected: 'gateway',
    },
    {
      name: 'groups changed after signing',
      decision: {
        ...signDecision({ ...decision, groups: ['approvers'] }, gateway.signer, proof.issued_at, proof.nonce),
        groups: ['approvers', 'managers'],
      },
      expected: 'bad_signature',
    },
    {
      name: 'signed with an action hash',
      decision: signDecision(
        { ...decision, action_hash: 'a'.repeat(64) },
        gateway.signer,
        proof.issued_at,
        proof.nonce,
      ),
      expected: 'gateway',
    },
    {
      name: 'signed with an action hash and groups',
      decision: signDecision(
        { ...decision, groups: ['approvers'], action_hash: 'a'.repeat(64) },
        gateway.signer,
        proof.issued_at,
        proof.nonce,
      ),
      expected: 'gateway',
    },
    {
      name: 'action hash added after signing',
      decision: { ...signed, action_hash: 'a'.repeat(64) },
      expected: 'bad_signature',
    },
    {
      name: 'action hash changed after signing',
      decision: {
        ...signDecision({ ...decision, action_hash: 'a'.repeat(64) }, gateway.signer, proof.issued_at, proof.nonce),
        action_hash: 'b'.repeat(64),
      },
      expected: 'bad_signature',
    },
    {
      name: 'action hash removed after signing',
      decision: (({ action_hash: _dropped, ...rest }) => rest)(
        signDecision({ ...decision, action_hash: 'a'.repeat(64) }, gateway.signer, proof.issued_at, proof.nonce),
      ),
      expected: 'bad_signature',
    },
    {
      name: 'signature of zeros',
      decision: { ...signed, proof: { ...proof, signature: '0'.repeat(128) } },
      expected: 'bad_signature',
    },
    {
      name: 'signature not hex (bypassing the schema)',
      decision: { ...signed, proof: { ...proof, signature: 'zz'.repeat(64) } },
      expected: 'bad_signature',
    },
    {
      name: 'signature too short (bypassing the schema)',
      decision: { ...signed, proof: { ...proof, signature: proof.signature.slice(0, 100) } },
      expected: 'bad_signature',
    },
  ];
  it.each(cases)('$name → $expected', ({ decision: candidate, expected }) => {
    const check = checkDecisionProof(candidate, trusted);
    expect(check.valid ? check.key.role : check.reason).toBe(expected);
  });

  it('trusts nothing when the run has no keys', () => {
    expect(checkDecisionProof(signed, [])).toMatchObject({ valid: false, reason: 'unknown_key' });
  });

  it('covers non-ASCII text exactly: an accent changed is a different decision', () => {
    const accented = signDecision(
      { ...decision, approver_id: 'zoë@bank.com', reason: 'payé ✓' },
      gateway.signer,
      proof.issued_at,
      proof.nonce,
    );
    expect(checkDecisionProof(accented, trusted).valid).toBe(true);
    expect(checkDecisionProof({ ...accented, approver_id: 'zoe@bank.com' }, trusted).valid).toBe(false);
    expect(checkDecisionProof({ ...accented, reason: 'payé ✗' }, trusted).valid).toBe(false);
  });

  it('verifies what Node crypto signs over the same bytes (one Ed25519, two implementations)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const key: TrustedDecisionKey = { key_id: keyIdOf(raw), role: 'gateway', public_key: raw.toString('hex') };
    const unsigned = { key_id: key.key_id, issued_at: proof.issued_at, nonce: proof.nonce };
    const signature = nodeSign(null, decisionSigningBytes(decision, unsigned), privateKey).toString('hex');
    expect(checkDecisionProof({ ...decision, proof: { ...unsigned, signature } }, [key]).valid).toBe(true);
  });
});

describe('ApprovalDecisionSchema proof', () => {
  const malformed: [string, unknown][] = [
    ['key id not hex', { ...proof, key_id: 'gateway-key-0001' }],
    ['issued_at not a time', { ...proof, issued_at: 'yesterday' }],
    ['nonce too short', { ...proof, nonce: 'abc' }],
    ['signature upper-case hex', { ...proof, signature: proof.signature.toUpperCase() }],
    ['an extra field', { ...proof, role: 'operator' }],
    ['not an object', 'signed'],
  ];
  it.each(malformed)('refuses a proof with %s', (_name, badProof) => {
    expect(ApprovalDecisionSchema.safeParse({ ...decision, proof: badProof }).success).toBe(false);
  });
  it('accepts a decision with or without a proof', () => {
    expect(ApprovalDecisionSchema.safeParse(signed).success).toBe(true);
    expect(ApprovalDecisionSchema.safeParse(decision).success).toBe(true);
  });
});
