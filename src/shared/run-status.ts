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
export function liveRunStatus(
  steps: readonly { id: string; state: StepState; depends_on: readonly string[] }[],
): Extract<RunStatus, 'EXECUTING' | 'WAITING_APPROVAL'> {
  const stateOf = new Map(steps.map((s) => [s.id, s.state]));
  const aboutToMove = (s: (typeof steps)[number]) => s.state === 'PENDING' && readiness(s.depends_on, (id) => stateOf.get(id)).kind !== 'waiting';
  const blocked = steps.some((s) => s.state === 'BLOCKED');
  const moving = steps.some((s) => s.state === 'READY' || s.state === 'RUNNING' || aboutToMove(s));
  return blocked && !moving ? 'WAITING_APPROVAL' : 'EXECUTING';
}
