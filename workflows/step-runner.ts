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
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { ToolArgsSchemas, type PlanStep, type RunSettings, type ToolCall, type ToolName } from '../src/shared/contracts.js';
import { approvalRequirement } from '../src/shared/policy.js';
import { nextRetryDelayMs, retryPolicyFor } from '../src/shared/retry.js';
import type { RunState } from './run-state.js';

export async function runStepWhenReady(
  run: RunState,
  step: PlanStep,
  settings: RunSettings,
  publish: () => void,
): Promise<void> {
  await condition(() => step.depends_on.every((dep) => run.step(dep).finished_at !== undefined));
  const blockers = step.depends_on.filter((dep) => run.step(dep).state !== 'SUCCEEDED');
  if (blockers.length > 0) {
    run.moveStep(step.id, 'SKIPPED', 'step_skipped', `${step.name} skipped: ${blockers.join(', ')} did not succeed`, { blocked_by: blockers });
    return;
  }
  run.moveStep(step.id, 'READY', 'step_ready', `${step.name} is ready`);

  const requirement = approvalRequirement(step, settings);
  if (requirement.required && !(await passGate(run, step, requirement.reason, settings, publish))) return;

  await execute(run, step, publish);
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

async function execute(run: RunState, step: PlanStep, publish: () => void): Promise<void> {
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
      view.result = await callToolOnce(run, step, call, view.attempts);
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

const READS_AS_LOCAL_ACTIVITIES = 'reads-as-local-activities';

/** Tools that write to an outside system: once started, an attempt runs to its end even if the run is cancelled. */
const WRITING_TOOLS: ReadonlySet<ToolName> = new Set(['bank_transfer', 'job_submit', 'calendar_create']);

/**
 * One attempt. A cancellation would abandon a write that may still commit (money moved, step
 * shown CANCELLED), so writes run in a non-cancellable scope and the run waits for them.
 */
async function callToolOnce(run: RunState, step: PlanStep, call: Omit<ToolCall, 'args'>, attempt: number): Promise<unknown> {
  if (!WRITING_TOOLS.has(step.tool)) return callTool(step, call, attempt);
  run.writesInFlight += 1;
  try {
    return await CancellationScope.nonCancellable(() => callTool(step, call, attempt));
  } finally {
    run.writesInFlight -= 1;
  }
}

/**
 * The proxy for one attempt. Writes are activities: the server records their completion the moment
 * they return, and engineers see them pending while they run. Reads run as local activities within
 * the workflow task, without a round trip through the server from one step to the next; a read
 * interrupted by a crash runs again, which is harmless.
 */
function toolsFor(step: PlanStep, attempt: number): Activities {
  const options = {
    // Longer than the sandbox client's 10 s request timeout.
    startToCloseTimeout: '15s',
    // The workflow retries itself, so that each attempt appears in the timeline.
    retry: { maximumAttempts: 1 },
    summary: attempt === 1 ? step.name : `${step.name} (attempt ${attempt})`,
  } as const;
  // Runs started before reads became local activities replay with activities (patched() is false there).
  const local = !WRITING_TOOLS.has(step.tool) && patched(READS_AS_LOCAL_ACTIVITIES);
  return local ? proxyLocalActivities<Activities>(options) : proxyActivities<Activities>({ ...options, heartbeatTimeout: '12s' });
}

/** Calls the step's tool; args were validated with the plan, so parsing here only narrows types. */
function callTool(step: PlanStep, call: Omit<ToolCall, 'args'>, attempt: number): Promise<unknown> {
  const tools = toolsFor(step, attempt);
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
  }
}

function describeFailure(err: unknown): { message: string; retryable: boolean; type?: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    return { message: cause.message, retryable: !cause.nonRetryable, ...(cause.type != null && { type: cause.type }) };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { message: message || 'activity failed', retryable: true };
}
