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
import {
  evaluatePolicy,
  requestTransferSumCents,
  type GateContext,
  type PolicyVerdict,
} from '../src/shared/policy/evaluate.js';
import { nextRetryDelayMs, retryPolicyFor } from '../src/shared/retry.js';
import { TOOL_TIMEOUTS } from '../src/shared/timeouts.js';
import { gateReadsLedger, judgeWithLedger, settleReservations } from './policy-ledger.js';
import { stepIdempotencyKeyOf } from './step-idempotency-key.js';
import { followUpsOf } from '../src/shared/policy/follow-ups.js';
import { startFollowUps } from './approval-follow-ups.js';
import { batchedLocalCalls } from './local-call-batch.js';
import type { RunState, StepFailure } from './run-state.js';

export async function runStepWhenReady(run: RunState, step: PlanStep, settings: RunSettings): Promise<void> {
  const dependencies = () => readiness(step.depends_on, (dep) => run.step(dep).state);
  await condition(() => dependencies().kind !== 'waiting');
  const verdict = dependencies();
  if (verdict.kind === 'blocked') {
    run.skipStep(step.id, verdict.blockers);
    return;
  }
  run.markReady(step.id);

  const reserved: string[] = [];
  try {
    const gate = await judge(run, step, settings, reserved);
    if (gate.kind === 'refuse') {
      run.refuseStep(step.id, gate.reason, gate.rule);
      return;
    }
    const rejudge = () => judge(run, run.step(step.id), settings, reserved);
    if (gate.kind === 'approve' && !(await coolOff(run, await passGate(run, step, gate, settings, rejudge)))) return;

    await execute(run, step, settings, reserved);
  } finally {
    // The reservation the step's money moved under stays; any other goes back to the window.
    const unused = run.step(step.id).state === 'SUCCEEDED' ? reserved.slice(0, -1) : reserved;
    if (unused.length > 0) await settleReservations(unused);
  }
}

/** The run's policy decides; a transfer under a policy that reads the ledger is judged with what the ledger knows. */
async function judge(run: RunState, step: PlanStep, settings: RunSettings, reserved: string[]): Promise<PolicyVerdict> {
  const policy = settings.policy.document;
  if (!gateReadsLedger(policy, step)) return evaluatePolicy(policy, step, gateContextOf(run));
  return judgeWithLedger(run, step, policy, gateContextOf(run), reserved);
}

function gateContextOf(run: RunState): GateContext {
  return {
    requestTransferSumCents: requestTransferSumCents(run.steps),
    requesterGroups: run.input.requester_groups ?? [],
  };
}

type ApproveGate = Extract<PolicyVerdict, { kind: 'approve' }>;

const stagedOf = (gate: ApproveGate) => ({
  rule: gate.rule,
  stages: gate.stages,
  requesterMayApprove: gate.requesterMayApprove,
  timing: gate.timing,
});

/** How a gate was passed: by its approval (with the rule's cooling-off, if any), or by the policy after an edit. */
type Passed = { approvalId?: string; coolingOffMs?: number | undefined };

/**
 * After approval under a rule with `cooling_off`, the step holds for that long; true when it may
 * run. A revoke and the timer are taken one at a time by the run, so whichever came first decides:
 * the step is rejected and never runs, or it runs once.
 */
async function coolOff(run: RunState, passed: Passed | undefined): Promise<boolean> {
  if (!passed) return false;
  const { approvalId, coolingOffMs } = passed;
  if (approvalId === undefined || coolingOffMs === undefined) return true;
  run.holdApproved(approvalId, coolingOffMs);
  await condition(() => run.approval(approvalId)?.status === 'revoked', coolingOffMs);
  return run.endHold(approvalId);
}

/**
 * Blocks the step until a person decides or the approval expires; undefined unless approved. An edit
 * (approval-edits.ts) wakes the gate: the policy judges the edited step again, and the approval
 * waits again under the new requirement, or the step runs without one, or is refused. Reminders
 * and escalations keep the schedule of the first request.
 */
async function passGate(
  run: RunState,
  step: PlanStep,
  gate: ApproveGate,
  settings: RunSettings,
  rejudge: () => Promise<PolicyVerdict>,
): Promise<Passed | undefined> {
  let staged = stagedOf(gate);
  const timeoutMs = staged.timing?.expire_after_ms ?? settings.approval_timeout_ms;
  const { approval_id } = run.requestApproval(step.id, gate.reason, timeoutMs, staged);
  const followUps = startFollowUps(run, approval_id, followUpsOf(staged.timing, timeoutMs));
  let waitMs = timeoutMs;
  for (;;) {
    const edits = run.approval(approval_id)?.edits;
    const woken = await condition(
      () => run.approval(approval_id)?.status !== 'pending' || run.approval(approval_id)?.edits !== edits,
      waitMs,
    );
    if (!woken) run.expireApproval(approval_id);
    if (!woken || run.approval(approval_id)?.status !== 'pending') {
      await followUps;
      if (!run.resolveGate(approval_id)) return undefined;
      return { approvalId: approval_id, coolingOffMs: staged.timing?.cooling_off_ms };
    }
    const next = await rejudge();
    if (next.kind !== 'approve') {
      run.closeEditedApproval(approval_id, next);
      await followUps;
      return next.kind === 'allow' ? {} : undefined;
    }
    staged = stagedOf(next);
    waitMs = staged.timing?.expire_after_ms ?? settings.approval_timeout_ms;
    run.reopenEditedApproval(approval_id, next.reason, waitMs, staged);
  }
}

async function execute(run: RunState, step: PlanStep, settings: RunSettings, reserved: string[]): Promise<void> {
  const policy = retryPolicyFor(step.risk_level, settings.step_retry_budget_ms);
  let firstAttemptAt = Date.now();
  const inputs = Object.fromEntries(step.depends_on.map((dep) => [dep, run.step(dep).result]));
  for (;;) {
    const attempt = run.startAttempt(step.id);
    // The step as it is now: an operator may have edited its args since the last attempt.
    const current = run.step(step.id);
    const call: Omit<ToolCall, 'args'> = {
      idempotency_key: stepIdempotencyKeyOf(run.workflowId, current),
      user_id: run.input.user_id,
      inputs,
    };
    try {
      run.recordSuccess(step.id, await callToolOnce(run, current, call, attempt, settings));
      return;
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = describeFailure(err);
      const delay = failure.retryable ? nextRetryDelayMs(policy, attempt, Date.now() - firstAttemptAt) : undefined;
      if (delay !== undefined) {
        run.recordRetry(step.id, failure, delay);
        await sleep(delay);
        continue;
      }
      // A business refusal fails at once; a system failure may wait for an operator.
      if (!failure.retryable || settings.attention_on_exhausted !== true) {
        run.recordFailure(step.id, failure);
        return;
      }
      if (!(await awaitOperator(run, step.id, failure, settings))) return;
      const edited = run.step(step.id);
      if (edited.edits) {
        // Edited arguments are a new action: the policy judges them again.
        const gate = await judge(run, edited, settings, reserved);
        if (gate.kind === 'refuse') {
          run.refuseStep(step.id, gate.reason, gate.rule);
          return;
        }
        const rejudge = () => judge(run, run.step(step.id), settings, reserved);
        if (gate.kind === 'approve' && !(await coolOff(run, await passGate(run, edited, gate, settings, rejudge))))
          return;
      }
      firstAttemptAt = Date.now();
    }
  }
}

const DEFAULT_ATTENTION_DEADLINE_MS = 24 * 60 * 60_000;

/** Holds the step until an operator acts or the deadline passes; true when it is to run again. */
async function awaitOperator(
  run: RunState,
  stepId: string,
  failure: StepFailure,
  settings: RunSettings,
): Promise<boolean> {
  const deadlineMs = settings.attention_deadline_ms ?? DEFAULT_ATTENTION_DEADLINE_MS;
  run.holdForAttention(stepId, failure, deadlineMs);
  const acted = await condition(() => run.step(stepId).state !== 'NEEDS_ATTENTION', deadlineMs);
  if (!acted) run.expireAttention(stepId);
  return run.step(stepId).state === 'READY';
}

/** Tools that write to an outside system: once started, an attempt runs to its end even if the run is cancelled. */
const WRITING_TOOLS: ReadonlySet<ToolName> = new Set(['bank_transfer', 'job_submit', 'calendar_create']);

/**
 * One attempt. A cancellation would abandon a write that may still commit (money moved, step
 * shown CANCELLED), so writes run in a non-cancellable scope and the run waits for them.
 */
async function callToolOnce(
  run: RunState,
  step: PlanStep,
  call: Omit<ToolCall, 'args'>,
  attempt: number,
  settings: RunSettings,
): Promise<unknown> {
  const sessionId = run.input.session_id;
  if (!WRITING_TOOLS.has(step.tool)) return callTool(run, step, call, attempt, settings, sessionId);
  run.writeStarted();
  try {
    return await CancellationScope.nonCancellable(() => callTool(run, step, call, attempt, settings, sessionId));
  } finally {
    run.writeFinished();
  }
}

/**
 * The proxy for one attempt. As activities (the default), each call is dispatched by the server
 * and the run stays readable while it is in flight: the page sees the step RUNNING. With
 * `local_tool_calls`, calls run as local activities inside the workflow task: no round trip
 * through the server from one step to the next, or from a decision to the transfer it approves,
 * but queries wait until the call returns. A local call cut short by a crash runs again; writes
 * carry the step's idempotency key, so the sandbox answers it with the first call's result.
 * Local calls that run together hand their results over together (local-call-batch.ts).
 */
function toolsFor(run: RunState, step: PlanStep, attempt: number, settings: RunSettings): Activities {
  const timeouts = TOOL_TIMEOUTS[step.tool];
  const options = {
    startToCloseTimeout: timeouts.startToCloseMs,
    // The workflow retries itself, so that each attempt appears in the timeline.
    retry: { maximumAttempts: 1 },
    summary: attempt === 1 ? step.name : `${step.name} (attempt ${attempt})`,
  } as const;
  if (settings.local_tool_calls) return batchedLocalCalls(run.localCalls, proxyLocalActivities<Activities>(options));
  // Activities heartbeat while their call is in flight, so this notices a dead worker, not a slow call.
  return proxyActivities<Activities>({ ...options, heartbeatTimeout: timeouts.heartbeatMs });
}

/** Calls the step's tool; args were validated with the plan, so parsing here only narrows types. */
function callTool(
  run: RunState,
  step: PlanStep,
  call: Omit<ToolCall, 'args'>,
  attempt: number,
  settings: RunSettings,
  sessionId: string,
): Promise<unknown> {
  const tools = toolsFor(run, step, attempt, settings);
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
      return tools.requestStatus({
        ...call,
        session_id: sessionId,
        args: ToolArgsSchemas.request_status.parse(step.args),
      });
    case 'pending_approvals':
      return tools.pendingApprovals({ ...call, args: ToolArgsSchemas.pending_approvals.parse(step.args) });
    case 'cancel_request':
      return cancelRequest(tools, {
        ...call,
        session_id: sessionId,
        args: ToolArgsSchemas.cancel_request.parse(step.args),
      });
  }
}

/**
 * An activity finds and checks the run (the caller's own, not this one, not finished); the
 * workflow then cancels it as the cancel route does, so its writes in flight finish and are recorded.
 */
async function cancelRequest(
  tools: Activities,
  call: Parameters<Activities['findCancellableRequest']>[0],
): Promise<unknown> {
  const target = await tools.findCancellableRequest(call);
  await getExternalWorkflowHandle(target.request.workflow_id).cancel();
  return { ...target, cancel_requested: true };
}

function describeFailure(err: unknown): StepFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    return { message: cause.message, retryable: !cause.nonRetryable, ...(cause.type != null && { type: cause.type }) };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { message: message || 'activity failed', retryable: true };
}
