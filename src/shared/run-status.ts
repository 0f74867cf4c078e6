/** Deriving a run's status from its steps: pure, shared by the workflow and its tests. */
import { FINAL_STEP_STATES, type RunStatus, type StepState } from './workflow-contracts.js';

/** The status of a run whose steps have all reached a final state. */
export function finalRunStatus(states: readonly StepState[]): Extract<RunStatus, 'COMPLETED' | 'FAILED' | 'REJECTED'> {
  if (states.includes('FAILED')) return 'FAILED';
  if (states.includes('REJECTED')) return 'REJECTED';
  return 'COMPLETED';
}

/**
 * While steps are still moving: waiting for a person only when nothing else can make progress,
 * counting a PENDING step whose dependencies have all finished as about to move.
 */
export function liveRunStatus(
  steps: readonly { id: string; state: StepState; depends_on: readonly string[] }[],
): Extract<RunStatus, 'EXECUTING' | 'WAITING_APPROVAL'> {
  const stateOf = new Map(steps.map((s) => [s.id, s.state]));
  const finished = (id: string): boolean => {
    const state = stateOf.get(id);
    return state !== undefined && FINAL_STEP_STATES.includes(state);
  };
  const blocked = steps.some((s) => s.state === 'BLOCKED');
  const moving = steps.some(
    (s) => s.state === 'READY' || s.state === 'RUNNING' || (s.state === 'PENDING' && s.depends_on.every(finished)),
  );
  return blocked && !moving ? 'WAITING_APPROVAL' : 'EXECUTING';
}
