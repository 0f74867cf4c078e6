/**
 * A request reviewed as a whole over real HTTP against the real stack: the review lists what is
 * still to come with its totals; one decision covers several steps, each judged under its own
 * policy; a skip cascades to the steps that depend on it, shown before it is confirmed; and a
 * decision on a review the request no longer matches is 409 stale_review and decides nothing.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../dev/stack-secrets.js';
import { loadDecisionSigner } from '../../src/runtime/decision-keys.js';
import { reviewDecisionUpdate } from '../../src/shared/messages.js';
import {
  signReviewDecision,
  type ReviewDecision,
  type UnsignedReviewDecision,
} from '../../src/shared/review-decision.js';
import { waitFor } from '../../dev/ports.js';
import { call, type Loose } from '../support/http.js';
import {
  ALLOW_THE_REST,
  as,
  BOB_AWAY_ALICE_BACK,
  type Person,
  type PolicyStack,
  startPolicyStack,
} from '../support/policy-stack.js';

/** Gym sessions need a manager; the CV and the applications need an approver. */
const POLICY = {
  id: 'review-test',
  rules: [
    {
      name: 'gym-by-managers',
      match: { tools: ['calendar_create'] },
      outcome: { stages: [{ group: 'managers', count: 1 }] },
    },
    {
      name: 'cv-by-approvers',
      match: { tools: ['cv_tailor'] },
      outcome: { stages: [{ group: 'approvers', count: 1 }] },
    },
    {
      name: 'submit-by-approvers',
      match: { tools: ['job_submit'] },
      outcome: { stages: [{ group: 'approvers', count: 1 }] },
    },
    ...ALLOW_THE_REST,
  ],
  out_of_office: BOB_AWAY_ALICE_BACK,
};
const LIFE_OS = 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries';

let policy: PolicyStack;
beforeAll(async () => {
  policy = await startPolicyStack(POLICY);
});
afterAll(async () => {
  await policy?.stop();
});

const reviewOf = async (who: Person, workflowId: string, choices?: string) =>
  call(
    policy.stack.baseUrl,
    'GET',
    `/api/requests/${workflowId}/review${choices ? `?choices=${choices}` : ''}`,
    undefined,
    as(who),
  );
const decideReview = (who: Person, workflowId: string, body: Record<string, unknown>) =>
  call(policy.stack.baseUrl, 'POST', `/api/requests/${workflowId}/review/decision`, body, as(who));
const idsOf = (review: Loose): string[] => review.steps.map((s: { step_id: string }) => s.step_id);

/** Waits until exactly `stepIds` are still to come and those in `waiting` wait for a decision. */
function reviewShowing(workflowId: string, stepIds: string[], waiting: string[]): Promise<Loose> {
  return waitFor(
    async () => {
      const res = await reviewOf('alice', workflowId);
      if (res.status !== 200) return undefined;
      const needing = res.body.steps.filter((s: Loose) => s.needs_decision).map((s: Loose) => s.step_id);
      const same = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();
      return same(idsOf(res.body), stepIds) && same(needing, waiting) ? res.body : undefined;
    },
    { timeoutMs: 20_000, what: `a review of ${workflowId} with ${stepIds.join(', ')}` },
  );
}

const stepState = async (workflowId: string, stepId: string): Promise<string> =>
  (await policy.runView(workflowId)).steps.find((s: Loose) => s.id === stepId).state;

async function lifeOsWaitingOnCvAndGym(): Promise<{ workflowId: string; review: Loose }> {
  const { workflowId } = await policy.chat('owner', LIFE_OS);
  const review = await reviewShowing(
    workflowId,
    ['tailor_cv', 'submit_application', 'schedule_gym'],
    ['tailor_cv', 'schedule_gym'],
  );
  return { workflowId, review };
}

describe('a request reviewed as a whole', () => {
  it('lists what is still to come with its totals, and decides each step under its own policy', async () => {
    const { workflowId, review } = await lifeOsWaitingOnCvAndGym();
    expect(review).toMatchObject({
      workflow_id: workflowId,
      requested_by: 'default_user',
      status: 'WAITING_APPROVAL',
      totals: { money_out_cents: 0, transfers: 0, applications_sent: 2, events_created: 3, external_effects: 5 },
    });
    expect(review.review_hash).toMatch(/^[0-9a-f]{64}$/);
    const submit = review.steps.find((s: Loose) => s.step_id === 'submit_application');
    expect(submit).toMatchObject({
      needs_decision: false,
      depends_on: ['tailor_cv'],
      preview: { outcome: 'will_run' },
    });
    expect(submit.effect).toMatch(/^Submit 2 applications/);
    const gym = review.steps.find((s: Loose) => s.step_id === 'schedule_gym');
    expect(gym).toMatchObject({ may_decide: false, approval: { policy_rule: 'gym-by-managers' } });

    // alice is an approver: she may decide the CV, not the gym sessions (managers decide those).
    const mixed = await decideReview('alice', workflowId, {
      review_hash: review.review_hash,
      steps: { tailor_cv: 'approve', schedule_gym: 'approve' },
    });
    expect(mixed.status).toBe(200);
    expect(mixed.body.success).toBe(false);
    expect(mixed.body.results).toMatchObject([
      { step_id: 'tailor_cv', choice: 'approve', outcome: 'approved' },
      { step_id: 'schedule_gym', choice: 'approve', outcome: 'refused', refusal: 'ApprovalForbidden' },
    ]);
    expect(mixed.body.results[1].message).toMatch(/managers/);
    expect(await stepState(workflowId, 'schedule_gym')).toBe('BLOCKED');

    // The CV ran, so the applications now wait too: dana (a manager) and alice decide the rest.
    const next = await reviewShowing(
      workflowId,
      ['submit_application', 'schedule_gym'],
      ['submit_application', 'schedule_gym'],
    );
    const byDana = await decideReview('dana', workflowId, {
      review_hash: next.review_hash,
      steps: { schedule_gym: 'approve' },
    });
    expect(byDana.body).toMatchObject({ success: true, results: [{ step_id: 'schedule_gym', outcome: 'approved' }] });
    const last = await reviewShowing(workflowId, ['submit_application'], ['submit_application']);
    const byAlice = await decideReview('alice', workflowId, {
      review_hash: last.review_hash,
      steps: { submit_application: 'approve' },
    });
    expect(byAlice.body).toMatchObject({ success: true, results: [{ outcome: 'approved' }] });
    await waitFor(async () => (await policy.runView(workflowId)).status === 'COMPLETED', {
      what: `${workflowId} completed`,
    });
    const approved = (await policy.timeline(workflowId)).filter((e) => e.event === 'approval_approved');
    expect(approved.map((e) => e.metadata.review_choice)).toEqual(['approve', 'approve', 'approve']);
  });

  it("lets a stand-in decide an absent approver's part, and only that part", async () => {
    const { workflowId, review } = await lifeOsWaitingOnCvAndGym();
    // frank stands in for bob (an approver) while bob is away: the CV is his to decide, the gym is not.
    const byFrank = await decideReview('frank', workflowId, {
      review_hash: review.review_hash,
      steps: { tailor_cv: 'approve', schedule_gym: 'approve' },
    });
    expect(byFrank.body.results).toMatchObject([
      { step_id: 'tailor_cv', outcome: 'approved' },
      { step_id: 'schedule_gym', outcome: 'refused', refusal: 'ApprovalForbidden' },
    ]);
    const cv = (await policy.runView(workflowId)).approvals.find((a: Loose) => a.step_id === 'tailor_cv');
    expect(cv.decisions).toMatchObject([{ by: 'frank', verdict: 'approve', on_behalf_of: 'bob' }]);
  });

  it("shows a skipped step's dependents as skipped before confirming; the run skips them and goes on", async () => {
    const { workflowId, review } = await lifeOsWaitingOnCvAndGym();
    const preview = await reviewOf('alice', workflowId, 'tailor_cv:skip,schedule_gym:approve');
    expect(preview.status).toBe(200);
    expect(preview.body.review_hash).toBe(review.review_hash);
    expect(Object.fromEntries(preview.body.steps.map((s: Loose) => [s.step_id, s.preview]))).toEqual({
      tailor_cv: { outcome: 'skip' },
      submit_application: { outcome: 'skipped', because: ['tailor_cv'] },
      schedule_gym: { outcome: 'approve' },
    });
    expect((await reviewOf('alice', workflowId, 'nothing_here:skip')).status).toBe(400);

    const skipped = await decideReview('alice', workflowId, {
      review_hash: review.review_hash,
      reason: 'not this week',
      steps: { tailor_cv: 'skip' },
    });
    expect(skipped.body).toMatchObject({
      success: true,
      results: [{ step_id: 'tailor_cv', outcome: 'skipped', step_state: 'SKIPPED' }],
    });
    await waitFor(async () => (await stepState(workflowId, 'submit_application')) === 'SKIPPED', {
      what: 'the applications skipped',
    });
    const rejected = (await policy.timeline(workflowId)).find((e) => e.event === 'approval_rejected');
    expect(rejected?.metadata).toMatchObject({ review_choice: 'skip', reason: 'skipped in review: not this week' });
    expect(await stepState(workflowId, 'schedule_gym')).toBe('BLOCKED');

    // A skip is not a rejection of the request: once the gym is approved, the request completes without the CV.
    const rest = await reviewShowing(workflowId, ['schedule_gym'], ['schedule_gym']);
    const byDana = await decideReview('dana', workflowId, {
      review_hash: rest.review_hash,
      steps: { schedule_gym: 'approve' },
    });
    expect(byDana.body).toMatchObject({ success: true, results: [{ outcome: 'approved' }] });
    await waitFor(async () => (await policy.runView(workflowId)).status === 'COMPLETED', {
      what: `${workflowId} completed without its skipped steps`,
    });
  });

  it('refuses a decision on a review the request no longer matches (409 stale_review), deciding nothing', async () => {
    const { workflowId, review } = await lifeOsWaitingOnCvAndGym();
    const gym = review.steps.find((s: Loose) => s.step_id === 'schedule_gym');
    const edited = await call(
      policy.stack.baseUrl,
      'POST',
      `/api/approvals/${gym.approval_id}/edit`,
      { args: { ...gym.args, count: 2 }, action_hash: gym.action_hash },
      as('owner'),
    );
    expect(edited.status).toBe(200);
    const stale = await decideReview('alice', workflowId, {
      review_hash: review.review_hash,
      steps: { tailor_cv: 'approve' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_review');
    expect(await stepState(workflowId, 'tailor_cv')).toBe('BLOCKED');

    const again = await reviewShowing(
      workflowId,
      ['tailor_cv', 'submit_application', 'schedule_gym'],
      ['tailor_cv', 'schedule_gym'],
    );
    expect(again.review_hash).not.toBe(review.review_hash);
    expect(again.totals.events_created).toBe(2);
    const fresh = await decideReview('alice', workflowId, {
      review_hash: again.review_hash,
      steps: { tailor_cv: 'approve' },
    });
    expect(fresh.body).toMatchObject({ success: true, results: [{ outcome: 'approved' }] });
  });

  it('is read by whoever may read the run, and a step outside the review is 400', async () => {
    const { workflowId, review } = await lifeOsWaitingOnCvAndGym();
    expect((await reviewOf('owner', workflowId)).status).toBe(200);
    const outside = await decideReview('alice', workflowId, {
      review_hash: review.review_hash,
      steps: { search_jobs: 'approve' },
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toMatch(/search_jobs/);
    expect((await reviewOf('alice', 'req-no-such-run')).status).toBe(404);
  });

  it('is judged again by the run: stale, for another run or unsigned: nothing; repeated: the same', async () => {
    const { workflowId, review } = await lifeOsWaitingOnCvAndGym();
    const handle = policy.stack.client.workflow.getHandle(workflowId);
    const signer = loadDecisionSigner(testSecrets.gatewayKeyFile);
    const sign = (decision: UnsignedReviewDecision) =>
      signReviewDecision(decision, signer, new Date().toISOString(), randomBytes(18).toString('base64url'));
    const base: UnsignedReviewDecision = {
      workflow_id: workflowId,
      run_id: review.run_id,
      review_hash: review.review_hash,
      decided_by: 'alice',
      groups: ['approvers'],
      steps: { tailor_cv: 'approve' },
    };
    const refusalOf = async (decision: ReviewDecision) => {
      const sent = handle.executeUpdate(reviewDecisionUpdate, { args: [decision] });
      const err = await sent.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause;
      return cause instanceof ApplicationFailure ? cause.type : String(cause);
    };
    expect(await refusalOf(sign({ ...base, review_hash: 'f'.repeat(64) }))).toBe('ReviewStale');
    expect(await refusalOf(sign({ ...base, run_id: 'another-run' }))).toBe('ApprovalWrongRun');
    expect(await refusalOf(base)).toBe('ApprovalUnauthenticated');
    expect(await stepState(workflowId, 'tailor_cv')).toBe('BLOCKED');

    const signed = sign(base);
    const first = await handle.executeUpdate(reviewDecisionUpdate, { args: [signed] });
    const second = await handle.executeUpdate(reviewDecisionUpdate, { args: [signed] });
    expect(first.results).toMatchObject([{ step_id: 'tailor_cv', outcome: 'approved' }]);
    expect(second.results).toEqual(first.results);
    const approvals = (await policy.timeline(workflowId)).filter((e) => e.event === 'approval_approved');
    expect(approvals).toHaveLength(1);
  });
});
