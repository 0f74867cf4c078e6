/**
 * One step's life: wait for its dependencies, pass the approval gate, run the tool with the
 * risk level's retry policy. Each step runs as its own coroutine, so independent steps that
 * become ready together start in the same workflow task.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { RunSettings, ToolCall } from '../src/shared/contracts.js';
import { ToolArgsSchemas, type PlanStep, type ToolName } from '../src/shared/workflow-contracts.js';
import { readiness } from '../src/shared/dag.js';
import { approvalRequirement } from '../src/shared/policy.js';
import { nextRetryDelayMs, retryPolicyFor } from '../src/shared/retry.js';
import type { RunState } from './run-state.js';

export async function runStepWhenReady(
  run: RunState,
  step: PlanStep,
  settings: RunSettings,
  publish: () => void,
): Promise<void> {
  const dependencies = () => readiness(step.depends_on, (dep) => run.step(dep).state);
  await condition(() => dependencies().kind !== 'waiting');
  const verdict = dependencies();
  if (verdict.kind === 'blocked') {
    const blockers = verdict.blockers;
    run.moveStep(step.id, 'SKIPPED', 'step_skipped', `${step.name} skipped: ${blockers.join(', ')} did not succeed`, { blocked_by: blockers });
    return;
  }
  run.moveStep(step.id, 'READY', 'step_ready', `${step.name} is ready`);

  const requirement = approvalRequirement(step, settings);
  if (requirement.required && !(await passGate(run, step, requirement.reason, settings, publish))) return;

  await execute(run, step, settings, publish);
}

/** Blocks the step until a person decides or the approval expires; true when approved. */
async function passGate(run: RunState, step: PlanStep, reason: string, settings: RunSettings, publish: () => void): Promise<boolean> {
  const approval = run.requestApproval(step, reason, settings.approval_timeout_ms);
  publish();
  const decided = await condition(() => approval.status !== 'pending', settings.approval_timeout_ms);
  if (!decided) run.expireApproval(approval);
  if (approval.status !== 'approved') {
    run.moveStep(step.id, 'REJECTED', undefined, '');
    publish();
    return false;
  }
  run.moveStep(step.id, 'READY', 'step_ready', `${step.name} is ready (approved by ${approval.decided_by})`);
  publish();
  return true;
}

async function execute(run: RunState, step: PlanStep, settings: RunSettings, publish: () => void): Promise<void> {
  const view = run.step(step.id);
  const policy = retryPolicyFor(step.risk_level);
  const firstAttemptAt = Date.now();
  const call: Omit<ToolCall, 'args'> = {
    idempotency_key: `${run.workflowId}:${step.id}`,
    user_id: run.input.user_id,
    inputs: Object.fromEntries(step.depends_on.map((dep) => [dep, run.step(dep).result])),
  };
  for (;;) {
    view.attempts += 1;
    run.moveStep(step.id, 'RUNNING', 'step_running', `${step.name} is running`, { attempt: view.attempts });
    try {
      view.result = await callToolOnce(run, step, call, view.attempts, settings);
      delete view.error;
      run.moveStep(step.id, 'SUCCEEDED', 'step_succeeded', `${step.name} succeeded`, { attempt: view.attempts });
      publish();
      return;
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = describeFailure(err);
      view.error = failure.message;
      const delay = failure.retryable ? nextRetryDelayMs(policy, view.attempts, Date.now() - firstAttemptAt) : undefined;
      if (delay === undefined) {
        run.moveStep(step.id, 'FAILED', 'step_failed', `${step.name} failed: ${failure.message}`, {
          attempt: view.attempts,
          error_type: failure.type,
          retryable: failure.retryable,
        });
        publish();
        return;
      }
      run.emit('step_retrying', `${step.name} attempt ${view.attempts} failed (${failure.message}); retrying in ${delay} ms`, {
        step_id: step.id,
        metadata: { attempt: view.attempts, delay_ms: delay, error: failure.message },
      });
      await sleep(delay);
    }
  }
}

/** Tools that write to an outside system: once started, an attempt runs to its end even if the run is cancelled. */
const WRITING_TOOLS: ReadonlySet<ToolName> = new Set(['bank_transfer', 'job_submit', 'calendar_create']);

/**
 * One attempt. A cancellation would abandon a write that may still commit (money moved, step
 * shown CANCELLED), so writes run in a non-cancellable scope and the run waits for them.
 */
async function callToolOnce(run: RunState, step: PlanStep, call: Omit<ToolCall, 'args'>, attempt: number, settings: RunSettings): Promise<unknown> {
  const sessionId = run.input.session_id;
  if (!WRITING_TOOLS.has(step.tool)) return callTool(step, call, attempt, settings, sessionId);
  run.writesInFlight += 1;
  try {
    return await CancellationScope.nonCancellable(() => callTool(step, call, attempt, settings, sessionId));
  } finally {
    run.writesInFlight -= 1;
  }
}

/**
 * The proxy for one attempt. As activities (the default), each call is dispatched by the server
 * and the run stays readable while it is in flight: the page sees the step RUNNING. With
 * `local_tool_calls`, calls run as local activities inside the workflow task: no round trip
 * through the server from one step to the next, or from a decision to the transfer it approves,
 * but queries wait until the call returns. A local call cut short by a crash runs again; writes
 * carry the step's idempotency key, so the sandbox answers it with the first call's result.
 */
function toolsFor(step: PlanStep, attempt: number, settings: RunSettings): Activities {
  const options = {
    // Longer than the sandbox client's 10 s request timeout.
    startToCloseTimeout: '15s',
    // The workflow retries itself, so that each attempt appears in the timeline.
    retry: { maximumAttempts: 1 },
    summary: attempt === 1 ? step.name : `${step.name} (attempt ${attempt})`,
  } as const;
  if (settings.local_tool_calls) return proxyLocalActivities<Activities>(options);
  // Longer than the sandbox client's 10 s request timeout: activities heartbeat once per call.
  return proxyActivities<Activities>({ ...options, heartbeatTimeout: '12s' });
}

/** Calls the step's tool; args were validated with the plan, so parsing here only narrows types. */
function callTool(step: PlanStep, call: Omit<ToolCall, 'args'>, attempt: number, settings: RunSettings, sessionId: string): Promise<unknown> {
  const tools = toolsFor(step, attempt, settings);
  switch (step.tool) {
    case 'bank_transfer':
      return tools.bankTransfer({ ...call, args: ToolArgsSchemas.bank_transfer.parse(step.args) });
    case 'job_search':
      return tools.jobSearch({ ...call, args: ToolArgsSchemas.job_search.parse(step.args) });
    case 'cv_tailor':
      return tools.cvTailor({ ...call, args: ToolArgsSchemas.cv_tailor.parse(step.args) });
    case 'job_submit':
      return tools.jobSubmit({ ...call, args: ToolArgsSchemas.job_submit.parse(step.args) });
    case 'calendar_create':
      return tools.calendarCreate({ ...call, args: ToolArgsSchemas.calendar_create.parse(step.args) });
    case 'grocery_plan':
      return tools.groceryPlan({ ...call, args: ToolArgsSchemas.grocery_plan.parse(step.args) });
    case 'account_balance':
      return tools.accountBalance({ ...call, args: ToolArgsSchemas.account_balance.parse(step.args) });
    case 'transfer_history':
      return tools.transferHistory({ ...call, args: ToolArgsSchemas.transfer_history.parse(step.args) });
    case 'request_status':
      return tools.requestStatus({ ...call, session_id: sessionId, args: ToolArgsSchemas.request_status.parse(step.args) });
    case 'pending_approvals':
      return tools.pendingApprovals({ ...call, args: ToolArgsSchemas.pending_approvals.parse(step.args) });
    case 'cancel_request':
      return cancelRequest(tools, { ...call, session_id: sessionId, args: ToolArgsSchemas.cancel_request.parse(step.args) });
  }
}

/**
 * An activity finds and checks the run (the caller's own, not this one, not finished); the
 * workflow then cancels it as the cancel route does, so its writes in flight finish and are recorded.
 */
async function cancelRequest(tools: Activities, call: Parameters<Activities['findCancellableRequest']>[0]): Promise<unknown> {
  const target = await tools.findCancellableRequest(call);
  await getExternalWorkflowHandle(target.request.workflow_id).cancel();
  return { ...target, cancel_requested: true };
}

function describeFailure(err: unknown): { message: string; retryable: boolean; type?: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    return { message: cause.message, retryable: !cause.nonRetryable, ...(cause.type != null && { type: cause.type }) };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { message: message || 'activity failed', retryable: true };
}
