/**
 * requestWorkflow: plan a request, validate the plan, run its DAG with approval gates, and keep a
 * timeline of every decision. Deterministic: all I/O happens in activities. Its messages are
 * declared in run-handlers.ts; every change of the run goes through RunState.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  proxyLocalActivities,
  setCurrentDetails,
  setWorkflowOptions,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { WorkflowDefinitionOptions } from '@temporalio/common';
import type { Activities } from '../activities/index.js';
import type { RunResult } from '../src/shared/contracts.js';
import { PlanSchema, RequestInputSchema, type Plan, type RequestInput } from '../src/shared/workflow-contracts.js';
import { validatePlan } from '../src/shared/dag.js';
import { PLAN_START_TO_CLOSE_MS } from '../src/shared/timeouts.js';
import { ATTENTION_MEMO, PENDING_APPROVALS_MEMO, SearchAttributes } from '../src/shared/messages.js';
import { FailureType } from '../src/shared/errors.js';
import { issueLines } from '../src/shared/zod-issues.js';
import { notifyActivity } from './notify-activity.js';
import { installRunHandlers } from './run-handlers.js';
import { NotificationOutbox } from './run-notifications.js';
import { AuditOutbox } from './run-audit.js';
import { publisher } from './run-publication.js';
import { publishOncePerTask } from './publish-once-per-task.js';
import { RunState, type PublishHook } from './run-state.js';
import { runStepWhenReady } from './step-runner.js';
import { verifyStart } from './start-verification.js';

const { planRequest } = proxyLocalActivities<Activities>({
  startToCloseTimeout: PLAN_START_TO_CLOSE_MS,
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
  summary: 'Plan the request',
});

const notify = notifyActivity('Deliver a webhook event');

/**
 * A local activity: the write is a few milliseconds on the worker's own store, so it costs the run
 * no round trip through the server and one marker in history. A worker that dies before its task
 * completes writes the batch again on replay, which the store's keys make a no-op.
 */
const { recordAudit } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  // Evidence is not optional: the write retries until the store takes it, and the run waits for it.
  retry: { initialInterval: '1s', maximumInterval: '30s' },
  summary: 'Append to the audit trail',
});

/** Waits until the run owes the outside nothing: answers, deliveries, its audit trail, its last changes. */
type Drain = () => Promise<void>;

export async function requestWorkflow(rawInput: RequestInput): Promise<RunResult> {
  const input = checkedInput(rawInput);
  const { workflowId, firstExecutionRunId } = workflowInfo();
  const outbox = new NotificationOutbox();
  const publication = publishOncePerTask(publishToTemporal(input));
  // A cancellation must not cut the trail short: its writes finish whatever happens to the run.
  const audit = new AuditOutbox(
    (facts) => CancellationScope.nonCancellable(() => recordAudit(facts)),
    workflowId,
    input,
    new Date().toISOString(),
  );
  const run = new RunState(
    input,
    workflowId,
    () => new Date().toISOString(),
    (state) => {
      publication.hook(state);
      outbox.observe(state);
      audit.observe(state);
    },
    firstExecutionRunId,
  );
  installRunHandlers(run, audit);
  const drain: Drain = async () => {
    await condition(() => allHandlersFinished() && outbox.idle && audit.idle);
    publication.flush();
  };

  try {
    // 0. Act only on a start the gateway (or an operator's key) signed for this run.
    await refuseUnverifiedStart(run, drain);
    // 1. Plan.
    const planned = await planRequest({
      message: input.message,
      user_id: input.user_id,
      today: run.createdAt.slice(0, 10),
    });
    const { settings } = planned;
    run.trust(settings.decision_keys);
    if (settings.webhooks === true) outbox.enable((event) => notify(event));
    if (planned.outcome.kind === 'not_understood') {
      run.failBeforePlan('not_understood', planned.outcome.message);
      await drain();
      return run.result();
    }
    // 2. Validate.
    const plan = await validPlanOrFail(run, drain, planned.outcome.plan);
    // 3. Schedule the DAG: every step waits for its dependencies, then for its approval gate.
    run.adoptPlan(plan, settings.policy);
    await Promise.all(plan.steps.map((step) => runStepWhenReady(run, step, settings)));
    // 4. Finish, once every handler has answered, every delivery ended and the trail is written.
    run.finish();
    await drain();
    return run.result();
  } catch (err) {
    if (isCancellation(err) && !run.isFinal()) {
      await CancellationScope.nonCancellable(async () => {
        // A write already in flight (a transfer) finishes and is recorded as what it was.
        await condition(() => !run.hasWritesInFlight);
        run.cancel();
        await condition(() => allHandlersFinished() && audit.idle);
      });
    }
    publication.flush();
    throw err;
  }
}

/** Runs can be started by hand (CLI, Web UI): the contract is checked here too, not only at the gateway. */
function checkedInput(rawInput: RequestInput): RequestInput {
  const parsed = RequestInputSchema.safeParse(rawInput);
  if (parsed.success) return parsed.data;
  throw ApplicationFailure.create({
    type: FailureType.InvalidInput,
    message: `invalid input: ${issueLines(parsed.error.issues).join('; ')}`,
    nonRetryable: true,
  });
}

/**
 * The planner's plan, parsed and validated. A thrown parse error would only fail the workflow task
 * and retry forever, so an invalid plan fails the run instead, once a waiting `waitSettled` update
 * has answered with the FAILED view.
 */
async function validPlanOrFail(run: RunState, drain: Drain, raw: unknown): Promise<Plan> {
  const parsed = PlanSchema.safeParse(raw);
  const problems = parsed.success ? validatePlan(parsed.data) : [issueLines(parsed.error.issues).join('; ')];
  if (parsed.success && problems.length === 0) return parsed.data;
  const error = `invalid plan: ${problems.join('; ')}`;
  run.failBeforePlan('invalid_plan', error, { problems });
  await drain();
  throw ApplicationFailure.create({ type: FailureType.InvalidPlan, message: error, nonRetryable: true });
}

/** Ends the run, having recorded why, when its start was not signed for it by a key the worker trusts. */
async function refuseUnverifiedStart(run: RunState, drain: Drain): Promise<void> {
  const start = await verifyStart(run.input);
  if (start.valid) return;
  run.failBeforePlan('unverified_start', start.message, { refusal: start.reason });
  await drain();
  throw ApplicationFailure.create({ type: FailureType.UnverifiedStart, message: start.message, nonRetryable: true });
}

/**
 * Keeps the Web UI's and `temporal workflow list --query`'s view of the run current; the publisher
 * writes to history only when a value changed (step progress goes to the details, which cost none),
 * and publishOncePerTask calls it at most once per workflow task.
 */
function publishToTemporal(input: RequestInput): PublishHook {
  return publisher({
    details: setCurrentDetails,
    searchAttributes: ({ intent, status, pendingApprovalIds, attentionStepIds, awaitingGroups }) =>
      upsertSearchAttributes([
        { key: SearchAttributes.UserId, value: input.user_id },
        { key: SearchAttributes.SessionId, value: input.session_id },
        { key: SearchAttributes.Intent, value: intent },
        { key: SearchAttributes.RunStatus, value: status },
        { key: SearchAttributes.PendingApprovalIds, value: pendingApprovalIds },
        ...(attentionStepIds ? [{ key: SearchAttributes.AttentionStepIds, value: attentionStepIds }] : []),
        ...(awaitingGroups ? [{ key: SearchAttributes.AwaitingGroups, value: awaitingGroups }] : []),
      ]),
    pendingApprovals: (records) => upsertMemo({ [PENDING_APPROVALS_MEMO]: records }),
    heldSteps: (records) => upsertMemo({ [ATTENTION_MEMO]: records }),
  });
}

/**
 * Under Worker Versioning (WORKER_DEPLOYMENT_NAME) a run stays on the build that started it: it may
 * wait days for an approval, and a later build then never has to replay it; so a change to this
 * workflow ships as a new build, never behind a patch (docs/decisions/no-patches-before-deploy.md).
 * Read when the run is set up on a worker; an unversioned worker must not name a behavior (the
 * server refuses its completions), and it has a build id (the SDK makes one) but no deployment name.
 */
export function pinnedWhenVersioned(): WorkflowDefinitionOptions {
  return workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: 'PINNED' } : {};
}
setWorkflowOptions(pinnedWhenVersioned, requestWorkflow);
