/** Who may decide after escalation and delegation, which hand-overs the run accepts, and their signatures. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/runtime/decision-keys.js';
import type { ApprovalRecord } from '../../src/shared/contracts.js';
import { signDecision } from '../../src/shared/decision-signature.js';
import { checkDelegationProof, signDelegation } from '../../src/shared/delegation-signature.js';
import { eligibilityFor, whoMayDecide, type Delegation } from '../../src/shared/policy/deciders.js';
import type { ApprovalDelegation } from '../../src/shared/workflow-contracts.js';
import { judgeDelegation, type DelegationRequest } from '../../workflows/approval-handovers.js';

const toFrank: Delegation = {
  from: 'alice',
  to: 'frank',
  to_kind: 'person',
  groups: ['approvers'],
  reason: 'r',
  at: '2026-12-01T00:00:00Z',
};
const toAuditors: Delegation = { ...toFrank, to: 'auditors', to_kind: 'group' };

describe('eligibility for a stage of approvers', () => {
  it.each<[string, { id: string; groups?: string[] }, Parameters<typeof eligibilityFor>[2], string]>([
    ['a member', { id: 'bob', groups: ['approvers'] }, {}, 'own right'],
    ['an outsider', { id: 'dana', groups: ['managers'] }, {}, 'no'],
    [
      'a member of the escalation group',
      { id: 'dana', groups: ['managers'] },
      { escalated_to: 'managers' },
      'own right',
    ],
    ['the person it was handed to', { id: 'FRANK' }, { delegations: [toFrank] }, 'for alice'],
    [
      'a member of the group it was handed to',
      { id: 'eve', groups: ['auditors'] },
      { delegations: [toAuditors] },
      'for alice',
    ],
    [
      'a hand-over by someone outside the stage gives nothing',
      { id: 'frank' },
      { delegations: [{ ...toFrank, groups: ['staff'] }] },
      'no',
    ],
  ])('%s', (_name, decider, handovers, expected) => {
    const eligibility = eligibilityFor('approvers', decider, handovers);
    const said = !eligibility.eligible
      ? 'no'
      : eligibility.on_behalf_of
        ? `for ${eligibility.on_behalf_of}`
        : 'own right';
    expect(said).toBe(expected);
  });

  it('lists who may decide now', () => {
    expect(whoMayDecide('approvers', { escalated_to: 'managers', delegations: [toFrank, toAuditors] })).toEqual({
      groups: ['approvers', 'managers', 'auditors'],
      people: ['frank'],
    });
  });
});

const NOW = '2026-12-01T12:00:00.000Z';
const pending: ApprovalRecord = {
  approval_id: 'req-1.transfer',
  workflow_id: 'req-1',
  session_id: 's',
  step_id: 'transfer',
  step_name: 'Transfer',
  tool: 'bank_transfer',
  risk_level: 'L3',
  reason: 'r',
  status: 'pending',
  requested_by: 'default_user',
  requested_at: '2026-12-01T11:00:00.000Z',
  expires_at: '2026-12-02T11:00:00.000Z',
  stages: [{ group: 'approvers', count: 2, approved_by: ['bob'] }],
  current_stage: 0,
  decisions: [{ by: 'bob', verdict: 'approve', at: NOW }],
};
const request: DelegationRequest = {
  approval_id: pending.approval_id,
  delegated_by: 'alice',
  groups: ['approvers'],
  to: 'frank',
  to_kind: 'person',
  reason: 'away',
};

describe('judgeDelegation', () => {
  it.each<[string, Partial<DelegationRequest>, Partial<ApprovalRecord>, string | undefined]>([
    ['an approver to a person', {}, {}, undefined],
    ['to the requester', { to: 'Default_User' }, {}, 'four-eyes'],
    ['by the requester', { delegated_by: 'default_user' }, {}, 'cannot hand its approval over'],
    [
      'by someone outside the stage',
      { delegated_by: 'dana', groups: ['managers'] },
      {},
      'dana is not in group approvers',
    ],
    ['by someone who already approved', { delegated_by: 'bob' }, {}, 'bob has already approved'],
    ['to someone who already approved', { to: 'bob' }, {}, 'bob has already approved'],
    ['to oneself', { to: 'alice' }, {}, 'the person handing it over'],
    ['once decided', {}, { status: 'approved' }, 'already approved'],
    ['once expired by time', {}, { expires_at: NOW }, 'expired'],
    ['without stages', {}, { stages: undefined, current_stage: undefined }, 'no policy stages'],
    ['by the editor of the current version', { delegated_by: 'carol' }, { edited_by: 'carol', edits: 1 }, 'shaped'],
    ['to the editor of the current version', { to: 'carol' }, { edited_by: 'carol', edits: 1 }, 'four-eyes'],
    ['to a look-alike id', { to: 'fr\u0430nk' }, {}, 'must be ASCII'],
  ])('%s', (_name, change, approvalChange, refusal) => {
    const verdict = judgeDelegation({ ...pending, ...approvalChange }, { ...request, ...change }, NOW);
    if (refusal === undefined) expect(verdict).toEqual({ allowed: true });
    else expect(verdict.allowed ? 'allowed' : verdict.message).toContain(refusal);
  });
});

describe('signed delegations', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x!, 'base64url');
  const signer = { key_id: keyIdOf(publicKey), secret_key: Buffer.from(jwk.d!, 'base64url') };
  const trusted = [{ key_id: signer.key_id, role: 'gateway' as const, public_key: publicKey.toString('hex') }];
  const { proof: _none, ...unsigned } = { ...request, proof: undefined };
  const signed = signDelegation(unsigned, signer, NOW, 'nonce-0123456789abcdef');
  const check = (d: ApprovalDelegation) => {
    const result = checkDelegationProof(d, trusted);
    return result.valid ? result.key.role : result.reason;
  };

  it.each<[string, ApprovalDelegation, string]>([
    ['as signed', signed, 'gateway'],
    ['unsigned', unsigned, 'unsigned'],
    ['recipient changed', { ...signed, to: 'mallory' }, 'bad_signature'],
    ['groups widened', { ...signed, groups: ['approvers', 'managers'] }, 'bad_signature'],
    ['kind changed', { ...signed, to_kind: 'group' }, 'bad_signature'],
  ])('%s', (_name, delegation, expected) => {
    expect(check(delegation)).toBe(expected);
  });

  it('a signed decision cannot pass for a delegation', () => {
    const decision = signDecision(
      { approval_id: request.approval_id, approved: true, approver_id: 'alice' },
      signer,
      NOW,
      'nonce-0123456789abcdef',
    );
    expect(check({ ...request, proof: decision.proof! })).toBe('bad_signature');
  });
});
