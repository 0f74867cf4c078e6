/**
 * Delivering a message to a run so that it is kept even when no worker runs: the update first (it
 * answers with what the run did), and when the run does not accept it within the budget, the same
 * payload as a signal, which Temporal keeps in the run's history until a worker takes it. The run
 * must judge the signal as it judges the update, and take at most one of the two: a late update
 * and its signal both arrive.
 */
import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { withinBudget } from './budget.js';

export type Delivery<R> =
  /** The run accepted the update; `result` is undefined when the budget ran out before it answered. */
  | { applied: true; result: R | undefined }
  /** No worker accepted the update in time: the signal is in history, for the run to judge when it runs. */
  | { applied: false };

/** Refusals by the update's validator or handler are thrown, as the update throws them. */
export async function updateOrSignal<R, A>(
  client: Client,
  workflowId: string,
  update: UpdateDefinition<R, [A]>,
  signal: SignalDefinition<[A]>,
  payload: A,
  budgetMs: number,
): Promise<Delivery<R>> {
  const deadline = Date.now() + budgetMs;
  const abort = new AbortController();
  const handle = client.workflow.getHandle(workflowId);
  const accepted = client.withAbortSignal(abort.signal, () => handle.startUpdate(update, { args: [payload], waitForStage: WorkflowUpdateStage.ACCEPTED }));
  accepted.catch(() => undefined);
  const acceptance = await withinBudget(accepted, budgetMs);
  if (!acceptance.done) {
    abort.abort();
    await handle.signal(signal, payload);
    return { applied: false };
  }
  const result = client.withAbortSignal(abort.signal, () => acceptance.value.result());
  result.catch(() => undefined);
  const raced = await withinBudget(result, Math.max(0, deadline - Date.now()));
  if (raced.done) return { applied: true, result: raced.value };
  abort.abort();
  return { applied: true, result: undefined };
}
