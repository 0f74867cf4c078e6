/**
 * Steps held for an operator: whether an action may be taken on one, and the record the attention
 * list shows. Pure; only RunState calls it, and RunState applies what it allows.
 */
import type { AttentionRecord, StepAction, StepView } from '../src/shared/contracts.js';
import { ToolArgsSchemas } from '../src/shared/workflow-contracts.js';
import { StepActionErrorType } from '../src/shared/messages.js';
import { issueLines } from '../src/shared/zod-issues.js';

export type StepActionVerdict =
  { allowed: true; args?: Record<string, unknown> } | { allowed: false; type: StepActionErrorType; message: string };

/** Whether `action` may be taken on `step` at workflow time `now`; edited args must fit the tool's schema. */
export function judgeStepAction(
  step: Readonly<StepView> | undefined,
  action: StepAction,
  now: string,
): StepActionVerdict {
  const refuse = (type: StepActionErrorType, message: string): StepActionVerdict => ({ allowed: false, type, message });
  if (!step) return refuse(StepActionErrorType.UnknownStep, `No step ${action.step_id} in this run`);
  if (step.state !== 'NEEDS_ATTENTION' || !step.attention) {
    return refuse(StepActionErrorType.NotHeld, `Step ${step.id} is ${step.state}, not NEEDS_ATTENTION`);
  }
  if (action.held_since !== undefined && action.held_since !== step.attention.since) {
    return refuse(
      StepActionErrorType.NotHeld,
      `The action was for step ${step.id}'s hold since ${action.held_since}; ` +
        `it has been held again since ${step.attention.since}`,
    );
  }
  if (Date.parse(now) >= Date.parse(step.attention.deadline)) {
    return refuse(
      StepActionErrorType.NotHeld,
      `Step ${step.id} was held until ${step.attention.deadline}; it has failed`,
    );
  }
  if (action.action !== 'retry_with_edits') return { allowed: true };
  const parsed = ToolArgsSchemas[step.tool].safeParse(action.args);
  if (!parsed.success) {
    const detail = issueLines(parsed.error.issues, '(root)', 'args').join('; ');
    return refuse(StepActionErrorType.InvalidArgs, `Invalid args for ${step.tool}: ${detail}`);
  }
  return { allowed: true, args: parsed.data };
}

/**
 * A signed action names the run whose hold it was judged against (the first execution run id the
 * hold records); one signed for another run under the same workflow id, or naming none, moves
 * nothing. Asked after the signature is checked, so an unsigned action is recorded as unsigned.
 */
export function wrongRunRefusal(
  step: Readonly<StepView> | undefined,
  action: StepAction,
): Extract<StepActionVerdict, { allowed: false }> | undefined {
  const heldIn = step?.attention?.run_id;
  if (heldIn === undefined || action.run_id === heldIn) return undefined;
  return {
    allowed: false,
    type: StepActionErrorType.WrongRun,
    message:
      `Step ${action.step_id} is held in run ${heldIn}, not ${action.run_id ?? '(none named)'}: ` +
      'an action signed for another run moves nothing',
  };
}

export function attentionRecordOf(
  run: { workflowId: string; input: { session_id: string; user_id: string } },
  step: Readonly<StepView>,
): AttentionRecord | undefined {
  if (step.state !== 'NEEDS_ATTENTION' || !step.attention) return undefined;
  return {
    workflow_id: run.workflowId,
    session_id: run.input.session_id,
    user_id: run.input.user_id,
    step_id: step.id,
    step_name: step.name,
    tool: step.tool,
    risk_level: step.risk_level,
    args: { ...step.args },
    attention: { ...step.attention },
  };
}
