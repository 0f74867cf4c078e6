/**
 * One signed decision covering several steps of one request, bound to the hash of the review the
 * decider saw (request-review.ts): what it says, the bytes its signature covers, and the run's
 * answer per step. The gateway signs it; the run checks the signature and the hash, then judges
 * each step under that step's own policy (the approval judge), as if decided on its own.
 */
import { z } from 'zod';
import { REVIEW_CHOICES } from './review-cascade.js';
import { checkProof, signedFieldsBytes, signProof, withoutProof, type DecisionSigner } from './signed-proof.js';
import type { ProofCheck } from './signed-proof.js';
import type { StepView } from './contracts.js';
import {
  DecisionProofSchema,
  IdentitySchema,
  type DecisionProof,
  type TrustedDecisionKey,
} from './workflow-contracts.js';

const PAYLOAD_VERSION = 'review-decision-v1';

/** At most this many steps in one review decision (a plan has far fewer). */
export const MAX_REVIEW_STEPS = 100;

export const ReviewStepIdSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'step ids are a-z, 0-9 and _');

export const ReviewDecisionSchema = z.strictObject({
  workflow_id: z.string().min(1).max(300),
  /** The run's first execution run id: a decision signed for another run under the same id moves nothing. */
  run_id: z.string().min(1).max(100).optional(),
  review_hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 32 bytes as lowercase hex'),
  decided_by: IdentitySchema,
  /** The decider's groups as the gateway authenticated them; each step's stages check against these. */
  groups: z.array(IdentitySchema).max(50).optional(),
  reason: z.string().max(1000).optional(),
  steps: z
    .record(ReviewStepIdSchema, z.enum(REVIEW_CHOICES))
    .refine((steps) => Object.keys(steps).length > 0, 'name at least one step')
    .refine((steps) => Object.keys(steps).length <= MAX_REVIEW_STEPS, `at most ${MAX_REVIEW_STEPS} steps`),
  proof: DecisionProofSchema.optional(),
});
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;
export type UnsignedReviewDecision = Omit<ReviewDecision, 'proof'>;

/** What the run did with one step of a review decision, and why. */
export interface ReviewStepResult {
  step_id: string;
  choice: (typeof REVIEW_CHOICES)[number];
  /**
   * `approved`/`rejected`: the step's approval is decided; `counted`: the approval counted towards a
   * stage that waits for more; `skipped`: rejected as skipped; `refused`: this decider may not decide it.
   */
  outcome: 'approved' | 'rejected' | 'skipped' | 'counted' | 'refused';
  approval_id?: string;
  /** A DecisionErrorType when refused. */
  refusal?: string;
  message: string;
}

export interface ReviewDecisionOutcome {
  review_hash: string;
  results: ReviewStepResult[];
  /** The decided steps as they are once the run applied the decision. */
  steps: StepView[];
}

export function reviewDecisionSigningBytes(
  decision: UnsignedReviewDecision,
  proof: Omit<DecisionProof, 'signature'>,
): Uint8Array {
  const { workflow_id, run_id, review_hash, decided_by, groups, reason, steps } = decision;
  return signedFieldsBytes(
    PAYLOAD_VERSION,
    [workflow_id, run_id ?? null, review_hash, decided_by, groups ?? null, reason ?? null, steps],
    proof,
  );
}

/** Signs a review decision; `issuedAt` and `nonce` come from the caller so this stays pure. */
export function signReviewDecision(
  decision: UnsignedReviewDecision,
  signer: DecisionSigner,
  issuedAt: string,
  nonce: string,
): ReviewDecision {
  const unsigned = withoutProof(decision as ReviewDecision);
  return {
    ...unsigned,
    proof: signProof(signer, issuedAt, nonce, (proof) => reviewDecisionSigningBytes(unsigned, proof)),
  };
}

export function checkReviewDecisionProof(
  decision: ReviewDecision,
  trustedKeys: readonly TrustedDecisionKey[],
): ProofCheck {
  return checkProof(
    'Review decision',
    decision.proof,
    (proof) => reviewDecisionSigningBytes(withoutProof(decision), proof),
    trustedKeys,
  );
}
