/** The key a step's tool call carries, so the outside system does each write once however often it is sent. */
import type { StepView } from '../src/shared/contracts.js';

/**
 * The same for every attempt and every replay of the step. An edited retry is a different request,
 * which the sandbox would refuse under the first key (same key, different body), so each edit has its own.
 */
export function stepIdempotencyKeyOf(workflowId: string, step: Pick<StepView, 'id' | 'edits'>): string {
  const base = `${workflowId}:${step.id}`;
  return step.edits ? `${base}:edit${step.edits}` : base;
}
