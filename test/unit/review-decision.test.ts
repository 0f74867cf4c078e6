/** A review decision's signature covers every field that changes what it does, and nothing else verifies as one. */
import { describe, expect, it } from 'vitest';
import { newSigningKey } from '../support/signing-keys.js';
import { signDecision, checkDecisionProof } from '../../src/shared/decision-signature.js';
import {
  checkReviewDecisionProof,
  ReviewDecisionSchema,
  signReviewDecision,
  type ReviewDecision,
} from '../../src/shared/review-decision.js';

const gateway = newSigningKey('gateway');
const stranger = newSigningKey('gateway');
const trusted = [gateway.trusted];
const decision = {
  workflow_id: 'req-1',
  run_id: 'run-1',
  review_hash: 'a'.repeat(64),
  decided_by: 'alice',
  groups: ['approvers'],
  steps: { tailor_cv: 'skip', schedule_gym: 'approve' },
} as const satisfies Omit<ReviewDecision, 'proof'>;
const issuedAt = '2026-12-08T01:00:00.000Z';
const nonce = 'nonce-0123456789abcdef';
const signed = signReviewDecision({ ...decision, steps: { ...decision.steps } }, gateway.signer, issuedAt, nonce);

describe('checkReviewDecisionProof', () => {
  it.each<[string, ReviewDecision, string]>([
    ['as signed', signed, 'valid'],
    ['steps listed in another order', { ...signed, steps: { schedule_gym: 'approve', tailor_cv: 'skip' } }, 'valid'],
    ['a choice changed', { ...signed, steps: { tailor_cv: 'approve', schedule_gym: 'approve' } }, 'bad_signature'],
    ['a step added', { ...signed, steps: { ...signed.steps, submit_application: 'approve' } }, 'bad_signature'],
    ['another review', { ...signed, review_hash: 'b'.repeat(64) }, 'bad_signature'],
    ['another run', { ...signed, run_id: 'run-2' }, 'bad_signature'],
    ['another decider', { ...signed, decided_by: 'default_user' }, 'bad_signature'],
    ['groups widened', { ...signed, groups: ['approvers', 'managers'] }, 'bad_signature'],
    ['no proof', { ...decision, steps: { ...decision.steps } }, 'unsigned'],
    [
      'signed by a key the run does not trust',
      signReviewDecision({ ...decision, steps: { ...decision.steps } }, stranger.signer, issuedAt, nonce),
      'unknown_key',
    ],
  ])('%s: %s', (_, candidate, expected) => {
    const check = checkReviewDecisionProof(candidate, trusted);
    expect(check.valid ? 'valid' : check.reason).toBe(expected);
  });

  it("does not take a single decision's proof, nor lend its own to one", () => {
    const single = signDecision(
      { approval_id: 'req-1.tailor_cv', approved: true, approver_id: 'alice' },
      gateway.signer,
      issuedAt,
      nonce,
    );
    expect(checkReviewDecisionProof({ ...signed, proof: single.proof! }, trusted).valid).toBe(false);
    const borrowed = { approval_id: 'req-1.tailor_cv', approved: true, approver_id: 'alice', proof: signed.proof! };
    expect(checkDecisionProof(borrowed, trusted).valid).toBe(false);
  });
});

describe('ReviewDecisionSchema', () => {
  it.each<[string, unknown, RegExp]>([
    ['no steps', { ...signed, steps: {} }, /at least one step/],
    ['a bad choice', { ...signed, steps: { tailor_cv: 'maybe' } }, /steps/],
    ['a bad step id', { ...signed, steps: { 'Tailor CV': 'skip' } }, /step ids/],
    ['a short hash', { ...signed, review_hash: 'abc' }, /32 bytes/],
  ])('refuses %s', (_, raw, message) => {
    const parsed = ReviewDecisionSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(message);
  });
});
