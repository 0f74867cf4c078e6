/**
 * requestWorkflow: plan a request, validate the plan, run its DAG with approval gates, and keep a
 * timeline of every decision. Deterministic: all I/O happens in activities.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  setWorkflowOptions,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { WorkflowDefinitionOptions } from '@temporalio/common';
import type { Activities } from '../activities/index.js';
import type { RunResult, RunSettings } from '../src/shared/contracts.js';
import {
  ApprovalDecisionSchema,
  ApprovalDelegationSchema,
  PlanSchema,
  RequestInputSchema,
  StepActionSchema,
  type RequestInput,
  type TrustedDecisionKey,
} from '../src/shared/workflow-contracts.js';
import { validatePlan } from '../src/shared/dag.js';
import { PLAN_START_TO_CLOSE_MS } from '../src/shared/timeouts.js';
import { decidePatchesAtStart, patchedFor } from './start-patches.js';
import {
  actOnStepUpdate,
  ATTENTION_MEMO,
  approvalDecisionSignal,
  decideApprovalUpdate,
  delegateApprovalUpdate,
  DecisionErrorType,
  editApprovalSignal,
  editApprovalUpdate,
  runQuery,
  PENDING_APPROVALS_MEMO,
  SearchAttributes,
  stepActionSignal,
  timelineQuery,
  waitPlannedUpdate,
  waitSettledUpdate,
} from '../src/shared/definitions.js';
import { FailureType } from '../src/shared/errors.js';
import { applyAuthenticatedAction } from './action-gate.js';
import { applyAuthenticatedDecision } from './decision-gate.js';
import { applyAuthenticatedDelegation } from './delegation-gate.js';
import {
  applyAuthenticatedEdit,
  awaitsPolicyAfterEdit,
  editDeliveredBefore,
  receiveEditSignal,
} from './approval-edits.js';
import { ApprovalEditSchema, judgeEdit } from '../src/shared/approval-edit.js';
import { notifyActivity } from './notify-activity.js';
import { NotificationOutbox } from './run-notifications.js';
import { publisher } from './run-publication.js';
import { RunState, type PublishHook } from './run-state.js';
import { runStepWhenReady } from './step-runner.js';
import { issueLines } from '../src/shared/zod-issues.js';

/** Patch id: operator actions are taken only when signed (see action-gate.ts). */
const SIGNED_STEP_ACTIONS = 'signed-step-actions';

/** Patch id: a waiting approval's arguments may be edited (see approval-edits.ts). */
const APPROVAL_EDITS = 'approval-edits';

/** Patch id: an edit may come as a signal (no worker took the update); an edit to the arguments a step already has changes nothing; an edited transfer's name follows its amount. Older code did none of these. */
const APPROVAL_EDIT_SIGNAL = 'approval-edit-signal';

/** Runs from before it rewrote the pending approvals' memo only when the set of them changed. */
const MEMO_KEEPS_APPROVAL_PROGRESS = 'memo-keeps-approval-progress';

const { planRequest } = proxyLocalActivities<Activities>({
  startToCloseTimeout: PLAN_START_TO_CLOSE_MS,
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
  summary: 'Plan the request',
});

const notify = notifyActivity('Deliver a webhook event');

/** Runs planned with `webhooks` announce approvals and their outcome; older code scheduled no deliveries. */
const WEBHOOK_NOTIFICATIONS_PATCH = 'webhook-notifications';

export async function requestWorkflow(rawInput: RequestInput): Promise<RunResult> {
  // Runs can be started by hand (CLI, Web UI): the contract is checked here too, not only at the gateway.
  const parsedInput = RequestInputSchema.safeParse(rawInput);
  if (!parsedInput.success) {
    throw ApplicationFailure.create({
      type: FailureType.InvalidInput,
      message: `invalid input: ${issueLines(parsedInput.error.issues).join('; ')}`,
      nonRetryable: true,
    });
  }
  const input = parsedInput.data;
  const { workflowId } = workflowInfo();
  const outbox = new NotificationOutbox();
  decidePatchesAtStart(input);
  const publish = publishToTemporal(input);
  const run = new RunState(
    input,
    workflowId,
    () => new Date().toISOString(),
    (state) => {
      publish(state);
      outbox.observe(state);
    },
  );

  setHandler(runQuery, () => run.view());
  setHandler(timelineQuery, (afterSeq = 0) => run.timelineAfter(afterSeq));
  // Known once the run has planned; until then no approval exists and nothing can be decided.
  let trustedKeys: readonly TrustedDecisionKey[] = [];
  setHandler(approvalDecisionSignal, (raw) => {
    const decision = ApprovalDecisionSchema.safeParse(raw);
    if (decision.success) applyAuthenticatedDecision(run, decision.data, trustedKeys);
    else run.ignoreMalformedDecision(issueLines(decision.error.issues).join('; '));
  });
  setHandler(waitSettledUpdate, async () => {
    await condition(() => run.isSettled());
    return run.view();
  });
  setHandler(waitPlannedUpdate, async () => {
    await condition(() => run.hasPlanned());
    return run.view();
  });
  setHandler(
    decideApprovalUpdate,
    async (decision) => {
      const result = applyAuthenticatedDecision(run, decision, trustedKeys);
      if (!result.accepted) {
        throw ApplicationFailure.create({ type: result.type, message: result.message, nonRetryable: true });
      }
      const { step_id: stepId, approval_id: approvalId } = result.approval;
      // A decision that only counted towards a stage answers at once; the step waits for the others.
      await condition(
        () => run.step(stepId).finished_at !== undefined || run.approval(approvalId)?.status === 'pending',
      );
      return { approval: result.approval, step: run.step(stepId) };
    },
    {
      // A malformed update is rejected before it is accepted, so it leaves nothing in history.
      validator: (decision) => {
        ApprovalDecisionSchema.parse(decision);
      },
    },
  );

  setHandler(
    delegateApprovalUpdate,
    (delegation) => {
      const verdict = applyAuthenticatedDelegation(run, delegation, trustedKeys);
      if (!verdict.allowed)
        throw ApplicationFailure.create({ type: verdict.type, message: verdict.message, nonRetryable: true });
      return Promise.resolve(run.approval(delegation.approval_id)!);
    },
    {
      validator: (delegation) => {
        ApprovalDelegationSchema.parse(delegation);
      },
    },
  );

  setHandler(
    editApprovalUpdate,
    async (edit) => {
      if (!patchedFor(run, APPROVAL_EDITS))
        throw ApplicationFailure.create({
          type: DecisionErrorType.Forbidden,
          message: 'This run predates approval edits',
          nonRetryable: true,
        });
      const result = applyAuthenticatedEdit(run, edit, trustedKeys, patchedFor(run, APPROVAL_EDIT_SIGNAL));
      if (!result.accepted)
        throw ApplicationFailure.create({ type: result.type, message: result.message, nonRetryable: true });
      const { step_id: stepId, approval_id: approvalId } = result.approval;
      // Answer once the policy judged the edited step again and the step waits, ended or was refused.
      await condition(
        () => !awaitsPolicyAfterEdit(run, approvalId) && !['READY', 'RUNNING'].includes(run.step(stepId).state),
      );
      return { approval: { ...run.approval(approvalId)! }, step: run.step(stepId) };
    },
    {
      // An edit the run cannot take is refused before it is accepted, so it leaves nothing in history.
      validator: (raw) => {
        const edit = ApprovalEditSchema.parse(raw);
        if (editDeliveredBefore(run, edit)) return;
        const approval = run.approval(edit.approval_id);
        const verdict = judgeEdit(approval, edit, new Date().toISOString());
        if (!verdict.allowed)
          throw ApplicationFailure.create({ type: verdict.type, message: verdict.message, nonRetryable: true });
        if (awaitsPolicyAfterEdit(run, edit.approval_id)) {
          throw ApplicationFailure.create({
            type: DecisionErrorType.Stale,
            message: `Approval ${edit.approval_id} was just edited and is being judged again`,
            nonRetryable: true,
          });
        }
      },
    },
  );
  setHandler(editApprovalSignal, (raw) => {
    if (patchedFor(run, APPROVAL_EDIT_SIGNAL)) receiveEditSignal(run, raw, trustedKeys);
  });
  setHandler(
    actOnStepUpdate,
    async (action) => {
      // Runs that took unsigned actions before actions were signed replay as they ran.
      const verdict = patchedFor(run, SIGNED_STEP_ACTIONS)
        ? applyAuthenticatedAction(run, action, trustedKeys)
        : run.actOnStep(action);
      if (!verdict.allowed)
        throw ApplicationFailure.create({ type: verdict.type, message: verdict.message, nonRetryable: true });
      // Answer once the run has acted: the step finished, waits for approval, or is held again.
      await condition(() => !['READY', 'RUNNING'].includes(run.step(action.step_id).state));
      return { step: run.step(action.step_id) };
    },
    {
      // An action the run cannot take is refused before it is accepted, so it leaves nothing in history.
      validator: (raw) => {
        const action = StepActionSchema.parse(raw);
        const verdict = run.judgeStepAction(action);
        if (!verdict.allowed)
          throw ApplicationFailure.create({ type: verdict.type, message: verdict.message, nonRetryable: true });
      },
    },
  );
  setHandler(stepActionSignal, (raw) => {
    const action = StepActionSchema.safeParse(raw);
    if (action.success) applyAuthenticatedAction(run, action.data, trustedKeys);
    else
      run.ignoreStepAction(undefined, `Malformed action ignored: ${issueLines(action.error.issues).join('; ')}`, {
        reason: 'malformed',
      });
  });

  try {
    const planned = await planRequest({
      message: input.message,
      user_id: input.user_id,
      today: run.createdAt.slice(0, 10),
    });
    const settings: RunSettings = planned.settings;
    trustedKeys = settings.decision_keys ?? [];
    if (settings.webhooks === true && patchedFor(run, WEBHOOK_NOTIFICATIONS_PATCH))
      outbox.enable((event) => notify(event));
    if (planned.outcome.kind === 'not_understood') {
      run.failBeforePlan('not_understood', planned.outcome.message);
      return await resultOnceHandled(run, outbox);
    }
    // A thrown parse error would only fail the workflow task and retry forever: fail the run instead.
    const parsed = PlanSchema.safeParse(planned.outcome.plan);
    const problems = parsed.success ? validatePlan(parsed.data) : [issueLines(parsed.error.issues).join('; ')];
    if (!parsed.success || problems.length > 0) {
      const error = `invalid plan: ${problems.join('; ')}`;
      run.failBeforePlan('invalid_plan', error, { problems });
      // Let a waiting `waitSettled` update answer with the FAILED view before the execution fails.
      await condition(() => allHandlersFinished() && outbox.idle);
      throw ApplicationFailure.create({ type: FailureType.InvalidPlan, message: error, nonRetryable: true });
    }
    const plan = parsed.data;
    run.adoptPlan(plan, settings.policy);
    await Promise.all(plan.steps.map((step) => runStepWhenReady(run, step, settings)));
    run.finish();
    return await resultOnceHandled(run, outbox);
  } catch (err) {
    if (isCancellation(err) && !run.isFinal()) {
      await CancellationScope.nonCancellable(async () => {
        // A write already in flight (a transfer) finishes and is recorded as what it was.
        await condition(() => !run.hasWritesInFlight);
        run.cancel();
        await condition(allHandlersFinished);
      });
    }
    throw err;
  }
}

/** The run's result, once every update and signal handler has answered and every webhook delivery ended. */
async function resultOnceHandled(run: RunState, outbox: NotificationOutbox): Promise<RunResult> {
  await condition(() => allHandlersFinished() && outbox.idle);
  return run.result();
}

/** Marks runs that publish AwaitingGroups; runs recorded before it replay without the attribute. */
const AWAITING_GROUPS_PATCH = 'awaiting-groups-attribute';

/**
 * Keeps the Web UI's and `temporal workflow list --query`'s view of the run current; the publisher
 * writes to history only when a value changed (step progress goes to the details, which cost none).
 */
function publishToTemporal(input: RequestInput): PublishHook {
  const run = { input };
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
    awaitsGroups: () => patchedFor(run, AWAITING_GROUPS_PATCH),
    pendingApprovals: (records) => upsertMemo({ [PENDING_APPROVALS_MEMO]: records }),
    rewritesChangedPendingRecords: () => patchedFor(run, MEMO_KEEPS_APPROVAL_PROGRESS),
    heldSteps: (records) => upsertMemo({ [ATTENTION_MEMO]: records }),
  });
}

/**
 * Under Worker Versioning (WORKER_DEPLOYMENT_NAME) a run stays on the build that started it: it may
 * wait days for an approval, and a later build then never has to replay it. Read when the run is
 * set up on a worker; an unversioned worker must not name a behavior (the server refuses its
 * completions), and it has a build id (the SDK makes one) but no deployment name.
 */
export function pinnedWhenVersioned(): WorkflowDefinitionOptions {
  return workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: 'PINNED' } : {};
}
setWorkflowOptions(pinnedWhenVersioned, requestWorkflow);
