/** Deriving a run's status from its steps: pure, shared by the workflow and its tests. */
import type { RunStatus, StepState } from './contracts.js';

/** The status of a run whose steps have all reached a final state. */
export function finalRunStatus(states: readonly StepState[]): Extract<RunStatus, 'COMPLETED' | 'FAILED' | 'REJECTED'> {
  if (states.includes('FAILED')) return 'FAILED';
  if (states.includes('REJECTED')) return 'REJECTED';
  return 'COMPLETED';
}

/** While steps are still moving: waiting for a person only when nothing else can make progress. */
export function liveRunStatus(states: readonly StepState[]): Extract<RunStatus, 'EXECUTING' | 'WAITING_APPROVAL'> {
  const blocked = states.includes('BLOCKED');
  const moving = states.some((s) => s === 'READY' || s === 'RUNNING');
  return blocked && !moving ? 'WAITING_APPROVAL' : 'EXECUTING';
}
