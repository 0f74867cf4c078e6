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
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { RunResult, RunSettings } from '../src/shared/contracts.js';
import { ApprovalDecisionSchema, PlanSchema, RequestInputSchema, type RequestInput } from '../src/shared/workflow-contracts.js';
import { validatePlan } from '../src/shared/dag.js';
import {
  approvalDecisionSignal,
  decideApprovalUpdate,
  runQuery,
  PENDING_APPROVALS_MEMO,
  SearchAttributes,
  timelineQuery,
  waitPlannedUpdate,
  waitSettledUpdate,
} from '../src/shared/definitions.js';
import { FailureType } from '../src/shared/errors.js';
import { finalRunStatus } from '../src/shared/run-status.js';
import { RunState } from './run-state.js';
import { runStepWhenReady } from './step-runner.js';

const { planRequest } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
  summary: 'Plan the request',
});

export async function requestWorkflow(rawInput: RequestInput): Promise<RunResult> {
  // Runs can be started by hand (CLI, Web UI): the contract is checked here too, not only at the gateway.
  const parsedInput = RequestInputSchema.safeParse(rawInput);
  if (!parsedInput.success) {
    throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: `invalid input: ${describeIssues(parsedInput.error)}`, nonRetryable: true });
  }
  const input = parsedInput.data;
  const { workflowId } = workflowInfo();
  const run = new RunState(input, workflowId, () => new Date().toISOString());

  setHandler(runQuery, () => run.view());
  setHandler(timelineQuery, (afterSeq = 0) => run.timelineAfter(afterSeq));
  setHandler(approvalDecisionSignal, (raw) => {
    const decision = ApprovalDecisionSchema.safeParse(raw);
    if (decision.success) run.applyDecision(decision.data);
    else run.ignoreMalformedDecision(describeIssues(decision.error));
    publishSearchAttributes(run);
  });
  setHandler(waitSettledUpdate, async () => {
    await condition(() => run.isSettled());
    return run.view();
  });
  setHandler(waitPlannedUpdate, async () => {
    await condition(() => run.hasPlanned());
    return run.view();
  });
  setHandler(decideApprovalUpdate, async (decision) => {
    const result = run.applyDecision(decision);
    publishSearchAttributes(run);
    if (!result.accepted) {
      throw ApplicationFailure.create({ type: result.type, message: result.message, nonRetryable: true });
    }
    const step = run.step(result.approval.step_id);
    await condition(() => step.finished_at !== undefined);
    return { approval: result.approval, step };
  }, {
    // A malformed update is rejected before it is accepted, so it leaves nothing in history.
    validator: (decision) => {
      ApprovalDecisionSchema.parse(decision);
    },
  });

  try {
    run.setStatus('PLANNING');
    const planned = await planRequest({ message: input.message, user_id: input.user_id, today: run.createdAt.slice(0, 10) });
    const settings: RunSettings = planned.settings;
    if (planned.outcome.kind === 'not_understood') {
      run.error = planned.outcome.message;
      run.failureKind = 'not_understood';
      run.setStatus('FAILED');
      run.emit('workflow_failed', planned.outcome.message, { metadata: { reason: 'not_understood' } });
      publishSearchAttributes(run);
      return await finish(run);
    }
    // A thrown parse error would only fail the workflow task and retry forever: fail the run instead.
    const parsed = PlanSchema.safeParse(planned.outcome.plan);
    const problems = parsed.success ? validatePlan(parsed.data) : [describeIssues(parsed.error)];
    if (!parsed.success || problems.length > 0) {
      run.error = `invalid plan: ${problems.join('; ')}`;
      run.failureKind = 'invalid_plan';
      run.setStatus('FAILED');
      run.emit('workflow_failed', run.error, { metadata: { reason: 'invalid_plan', problems } });
      publishSearchAttributes(run);
      // Let a waiting `waitSettled` update answer with the FAILED view before the execution fails.
      await condition(allHandlersFinished);
      throw ApplicationFailure.create({ type: FailureType.InvalidPlan, message: run.error, nonRetryable: true });
    }
    const plan = parsed.data;
    run.adoptPlan(plan);
    run.setStatus('EXECUTING');
    publishSearchAttributes(run);
    await Promise.all(plan.steps.map((step) => runStepWhenReady(run, step, settings, () => publishSearchAttributes(run))));

    run.setStatus(finalRunStatus(run.steps.map((s) => s.state)));
    const failed = run.steps.filter((s) => s.state === 'FAILED').map((s) => s.id);
    if (failed.length > 0) {
      run.failureKind = 'step_failed';
      run.error = failed.map((id) => `${id}: ${run.step(id).error ?? 'failed'}`).join('; ');
    }
    if (run.status === 'COMPLETED') run.emit('workflow_complete', 'Workflow completed');
    else run.emit('workflow_failed', `Workflow ${run.status.toLowerCase()}`, { metadata: { status: run.status, failed_steps: failed } });
    publishSearchAttributes(run);
    return await finish(run);
  } catch (err) {
    if (isCancellation(err) && !run.isFinal()) {
      await CancellationScope.nonCancellable(async () => {
        // A write already in flight (a transfer) finishes and is recorded as what it was.
        await condition(() => run.writesInFlight === 0);
        cancelRun(run);
        await condition(allHandlersFinished);
      });
    }
    throw err;
  }
}

async function finish(run: RunState): Promise<RunResult> {
  await condition(allHandlersFinished);
  return { ...run.view(), timeline: run.timeline };
}

function cancelRun(run: RunState): void {
  for (const approval of run.approvals) {
    if (approval.status === 'pending') approval.status = 'cancelled';
  }
  for (const step of run.steps) {
    if (step.finished_at === undefined) run.moveStep(step.id, 'CANCELLED', undefined, '');
  }
  run.setStatus('CANCELLED');
  run.emit('workflow_cancelled', 'Workflow cancelled');
  publishSearchAttributes(run);
}

/**
 * Keeps the Web UI's and `temporal workflow list --query`'s view of the run current, writing to
 * history only when a published value changed (step progress goes to the details, which cost none).
 */
function publishSearchAttributes(run: RunState): void {
  const names = run.steps.map((s) => `${s.name} [${s.state}]`).join(', ');
  setCurrentDetails(`**${run.status}** ${names}`);
  const pending = run.pendingApprovalIds();
  const attributes = JSON.stringify([run.intent, run.status, pending]);
  if (attributes === run.published.attributes) return;
  run.published.attributes = attributes;
  upsertSearchAttributes([
    { key: SearchAttributes.UserId, value: run.input.user_id },
    { key: SearchAttributes.SessionId, value: run.input.session_id },
    { key: SearchAttributes.Intent, value: run.intent },
    { key: SearchAttributes.RunStatus, value: run.status },
    { key: SearchAttributes.PendingApprovalIds, value: pending },
  ]);
  // The inbox reads pending approvals from the memo: one visibility list, no per-run queries.
  const pendingIds = JSON.stringify(pending);
  if (pendingIds === run.published.pendingApprovals) return;
  run.published.pendingApprovals = pendingIds;
  upsertMemo({ [PENDING_APPROVALS_MEMO]: run.approvals.filter((a) => a.status === 'pending') });
}

function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || 'value'}: ${i.message}`).join('; ');
}
