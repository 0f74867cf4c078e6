/** Deriving a run's status from its steps: pure, shared by the workflow and its tests. */
import { readiness } from './dag.js';
import type { RunStatus, StepState } from './workflow-contracts.js';

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
export function liveRunStatus(steps: readonly LiveStep[]): Extract<RunStatus, 'EXECUTING' | 'WAITING_APPROVAL'> {
  const blocked = steps.some((s) => s.state === 'BLOCKED');
  return blocked && !anyMoving(steps) ? 'WAITING_APPROVAL' : 'EXECUTING';
}

/**
 * Nothing moves and some step waits for a person: an approver (BLOCKED), an operator
 * (NEEDS_ATTENTION), or the end of a cooling-off window in which a person may revoke it
 * (APPROVED_HOLDING). A run held only for these stays EXECUTING, but has settled.
 */
export function awaitsOnlyPeople(steps: readonly LiveStep[]): boolean {
  const waiting = ['BLOCKED', 'NEEDS_ATTENTION', 'APPROVED_HOLDING'];
  return steps.some((s) => waiting.includes(s.state)) && !anyMoving(steps);
}

type LiveStep = { id: string; state: StepState; depends_on: readonly string[] };

/** A step runs or is about to: READY, RUNNING, or PENDING with all its dependencies final. */
function anyMoving(steps: readonly LiveStep[]): boolean {
  const stateOf = new Map(steps.map((s) => [s.id, s.state]));
  const aboutToMove = (s: LiveStep) =>
    s.state === 'PENDING' && readiness(s.depends_on, (id) => stateOf.get(id)).kind !== 'waiting';
  return steps.some((s) => s.state === 'READY' || s.state === 'RUNNING' || aboutToMove(s));
}
