/**
 * A request reviewed as a whole (src/shared/request-review.ts): reading the review with each step's
 * preview under the caller's choices, and sending one signed decision covering several steps,
 * bound to the review's hash. The run is the final judge: it checks the hash again and decides
 * each step under that step's own policy, answering per step. Routes parse, call here and reply.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateStage } from '@temporalio/client';
import type { z } from 'zod';
import type { RunView } from '../../src/shared/contracts.js';
import { reviewDecisionUpdate } from '../../src/shared/messages.js';
import { reviewOf, type RequestReview } from '../../src/shared/request-review.js';
import { previewChoices, type ReviewChoice } from '../../src/shared/review-cascade.js';
import {
  signReviewDecision,
  type ReviewDecision,
  type ReviewDecisionOutcome,
} from '../../src/shared/review-decision.js';
import type { DecisionSigner } from '../../src/shared/decision-signature.js';
import { assertCanRead, deciderIdOf, groupsOf, type Identity } from '../auth.js';
import { withinBudget } from '../budget.js';
import { ApiError, ErrorCode } from '../errors.js';
import type { Runs } from '../runs.js';
import type { RouteDeps } from '../context.js';
import type { Approvals } from './approvals.js';
import type { Delegations } from './delegations.js';
import { mayDecide } from './may-decide.js';
import type {
  ReviewDecisionRequestSchema,
  ReviewDecisionResponseSchema,
  ReviewResponseSchema,
} from './review-schemas.js';

export type ReviewReply = z.input<typeof ReviewResponseSchema>;
export type ReviewDecisionReply = z.input<typeof ReviewDecisionResponseSchema>;
type ReviewDecisionBody = z.output<typeof ReviewDecisionRequestSchema>;

/** How long a review decision waits for a worker to take it. */
const ACCEPT_MS = 5000;

export class Reviews {
  readonly #runs: Runs;
  readonly #approvals: Approvals;
  readonly #delegations: Delegations;
  /** How long, in all, a decision waits for the run's answer. */
  readonly #budgetMs: number;

  constructor(
    { runs, approvals, delegations, config }: Pick<RouteDeps, 'runs' | 'approvals' | 'delegations' | 'config'>,
    /** Signs each review decision: the run applies only what a key it trusts signed. */
    private readonly signer: DecisionSigner,
  ) {
    this.#runs = runs;
    this.#approvals = approvals;
    this.#delegations = delegations;
    this.#budgetMs = config.CHAT_WAIT_MS;
  }

  /** The run as it is now, for someone who may read its approvals; 503 when no worker can say. */
  async #current(workflowId: string, identity: Identity): Promise<{ view: RunView; review: RequestReview }> {
    const view = await this.#runs.getRun(workflowId);
    assertCanRead(identity, view.user_id, `No workflow ${workflowId}`);
    if (view.stale === true)
      throw new ApiError(503, ErrorCode.RunUnresponsive, 'No worker answers for the run now; review it again shortly');
    return { view, review: reviewOf(view) };
  }

  async read(workflowId: string, identity: Identity, choices: Record<string, ReviewChoice>): Promise<ReviewReply> {
    const { view, review } = await this.#current(workflowId, identity);
    assertInReview(review, choices, 'query.choices');
    const previews = previewChoices(review.steps, choices);
    const standIns = this.#delegations.standInGroups(identity);
    return {
      ...review,
      status: view.status,
      requested_by: view.user_id,
      steps: review.steps.map((step) => {
        const approval = view.approvals.find((a) => a.approval_id === step.approval_id);
        return {
          ...step,
          ...(approval && { approval, may_decide: mayDecide(approval, identity, standIns) }),
          preview: previews.get(step.step_id) ?? { outcome: 'will_run' as const },
        };
      }),
    };
  }

  async decide(workflowId: string, identity: Identity, body: ReviewDecisionBody): Promise<ReviewDecisionReply> {
    const deciderId = deciderIdOf(identity, body.decided_by, 'decided_by');
    const { view, review } = await this.#current(workflowId, identity);
    if (review.review_hash !== body.review_hash)
      throw ApiError.staleReview(
        `The request ${workflowId} changed since it was reviewed (review_hash differs): ` +
          'review it again before deciding',
      );
    assertInReview(review, body.steps, 'body.steps');
    await this.#standInFor(view, identity, deciderId, Object.keys(body.steps));
    const groups = groupsOf(identity);
    const signed = signReviewDecision(
      {
        workflow_id: workflowId,
        ...(review.run_id !== undefined && { run_id: review.run_id }),
        review_hash: review.review_hash,
        decided_by: deciderId,
        ...(groups && { groups }),
        ...(body.reason !== undefined && { reason: body.reason }),
        steps: body.steps,
      },
      this.signer,
      new Date().toISOString(),
      randomBytes(18).toString('base64url'),
    );
    const outcome = await this.#send(workflowId, signed);
    // The inbox drops what was decided at once; a run that cannot be read now is listed as visibility says.
    const after = await this.#runs.getRun(workflowId).catch(() => undefined);
    if (after) this.#approvals.noteRunChanged(after);
    const stateOf = new Map(outcome.steps.map((s) => [s.id, s.state]));
    const results = outcome.results.map((r) => ({
      ...r,
      ...(stateOf.has(r.step_id) && { step_state: stateOf.get(r.step_id) }),
    }));
    const refused = results.filter((r) => r.outcome === 'refused').length;
    return {
      success: refused === 0,
      message:
        refused === 0
          ? `${results.length} step(s) decided by ${deciderId}`
          : `${results.length - refused} of ${results.length} step(s) decided by ${deciderId}; ` +
            `${refused} refused (see each result)`,
      review_hash: outcome.review_hash,
      results,
    };
  }

  /** As a single decision: an absent approver's part of each named step is handed to their stand-in first. */
  async #standInFor(view: RunView, identity: Identity, deciderId: string, stepIds: string[]): Promise<void> {
    const waiting = view.approvals.filter((a) => a.status === 'pending' && stepIds.includes(a.step_id));
    for (const approval of waiting) await this.#delegations.applyOutOfOffice({ view, approval }, identity, deciderId);
  }

  async #send(workflowId: string, signed: ReviewDecision): Promise<ReviewDecisionOutcome> {
    const { client } = this.#runs;
    const handle = client.workflow.getHandle(workflowId);
    const deadline = Date.now() + this.#budgetMs;
    const abort = new AbortController();
    const started = client.withAbortSignal(abort.signal, () =>
      handle.startUpdate(reviewDecisionUpdate, { args: [signed], waitForStage: WorkflowUpdateStage.ACCEPTED }),
    );
    const accepted = await withinBudget(started, Math.min(ACCEPT_MS, this.#budgetMs));
    if (!accepted.done) {
      abort.abort();
      started.catch(() => undefined);
      throw new ApiError(
        503,
        ErrorCode.RunUnresponsive,
        'No worker took the review decision in time; it may still be applied when one returns: read the review again',
      );
    }
    const result = client.withAbortSignal(abort.signal, () => accepted.value.result());
    const answered = await withinBudget(result, Math.max(0, deadline - Date.now()));
    if (!answered.done) {
      abort.abort();
      result.catch(() => undefined);
      throw new ApiError(
        503,
        ErrorCode.RunUnresponsive,
        'The run took the review decision but did not answer in time: read the review again',
      );
    }
    return answered.value;
  }
}

function assertInReview(review: RequestReview, choices: Record<string, unknown>, field: string): void {
  const ids = new Set(review.steps.map((s) => s.step_id));
  const unknown = Object.keys(choices).filter((id) => !ids.has(id));
  if (unknown.length > 0)
    throw ApiError.badRequest(`${field}: ${unknown.join(', ')} not in the review (only steps still to come are)`);
}
