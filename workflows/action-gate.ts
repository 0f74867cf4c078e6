/**
 * The one way an operator's action reaches RunState from outside: its signature is checked against
 * the keys the run trusts, and only a verified action is taken, attributed to the key's role
 * (`via`) and the operator's `role`, and only when signed for this run (the hold's first execution
 * run id). Whatever is not taken is recorded as `step_action_ignored`.
 */
import { checkActionProof } from '../src/shared/action-signature.js';
import { StepActionErrorType } from '../src/shared/messages.js';
import type { StepAction, TrustedDecisionKey } from '../src/shared/workflow-contracts.js';
import { wrongRunRefusal, type StepActionVerdict } from './run-attention.js';
import type { RunState } from './run-state.js';

export function applyAuthenticatedAction(
  run: RunState,
  action: StepAction,
  trustedKeys: readonly TrustedDecisionKey[],
): StepActionVerdict {
  const attempted = {
    action: action.action,
    decided_by: action.decided_by,
    ...(action.proof && { key_id: action.proof.key_id }),
  };
  const check = checkActionProof(run.workflowId, action, trustedKeys);
  if (!check.valid) {
    run.ignoreStepAction(action.step_id, check.message, { ...attempted, reason: check.reason });
    return { allowed: false, type: StepActionErrorType.Unauthenticated, message: check.message };
  }
  const wrongRun = wrongRunRefusal(
    run.steps.find((s) => s.id === action.step_id),
    action,
  );
  if (wrongRun) {
    run.ignoreStepAction(action.step_id, `Action ignored: ${wrongRun.message}`, {
      ...attempted,
      reason: wrongRun.type,
    });
    return wrongRun;
  }
  const { key, proof } = check;
  const verdict = run.actOnStep(action, {
    role: action.role,
    via: key.role,
    key_id: key.key_id,
    signed_at: proof.issued_at,
    nonce: proof.nonce,
  });
  // The update's validator refuses these before they reach here; a signal is judged only now.
  if (!verdict.allowed)
    run.ignoreStepAction(action.step_id, `Action ignored: ${verdict.message}`, { ...attempted, reason: verdict.type });
  return verdict;
}

/**
 * What the `stepAction` update's validator refuses before anything enters history: an action
 * validly signed for another run, for what it is, then whatever the step's judge refuses. An
 * action not validly signed passes, so the handler records it as ignored for that reason.
 */
export function judgeActionUpdate(
  run: RunState,
  action: StepAction,
  trustedKeys: readonly TrustedDecisionKey[],
): StepActionVerdict {
  const signed = checkActionProof(run.workflowId, action, trustedKeys).valid;
  const wrongRun =
    signed &&
    wrongRunRefusal(
      run.steps.find((s) => s.id === action.step_id),
      action,
    );
  return wrongRun || run.judgeStepAction(action);
}
