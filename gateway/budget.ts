/** Waiting on a promise for at most a budget, with no polling: a timer raced against it. */
import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';

export type Raced<T> = { done: true; value: T } | { done: false };

export async function withinBudget<T>(promise: Promise<T>, budgetMs: number): Promise<Raced<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Raced<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), budgetMs);
  });
  try {
    return await Promise.race([promise.then((value): Raced<T> => ({ done: true, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends an update and waits for the run's answer within `budgetMs`. When the budget runs out the
 * call is abandoned (the server keeps the update; a worker may still apply it) and the answer is
 * not done. `onRefused` may turn the run's refusal into an answer of its own.
 */
export async function updateWithinBudget<Ret, Args extends [unknown, ...unknown[]]>(
  client: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  budgetMs: number,
  onRefused: (err: unknown) => Promise<Ret> = (err) => Promise.reject(err),
): Promise<Raced<Ret>> {
  const abort = new AbortController();
  const result = client.withAbortSignal(abort.signal, async () => {
    const handle = client.workflow.getHandle(workflowId);
    const accepted = await handle.startUpdate(update, { args, waitForStage: WorkflowUpdateStage.ACCEPTED });
    return accepted.result();
  });
  const answer = result.catch((err: unknown) => (abort.signal.aborted ? Promise.reject(err) : onRefused(err)));
  const raced = await withinBudget(answer, budgetMs);
  if (!raced.done) {
    abort.abort();
    answer.catch(() => undefined);
  }
  return raced;
}
