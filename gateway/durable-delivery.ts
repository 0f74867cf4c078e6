/**
 * Delivering a message to a run so that it is never lost: an update while a worker answers, a
 * signal when none does. A signal is written to the run's history at once and applied when a
 * worker returns; an update waits for a worker to accept it. The workflow must therefore accept
 * the same payload both ways through one handler path, idempotently: an update abandoned here may
 * still reach the run later (the server keeps it until a worker takes it) next to the signal.
 */
import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { withinBudget } from './budget.js';

/** How long an update may wait for a worker to accept it before the signal is sent instead. */
export const DEFAULT_ACCEPT_MS = 2000;

export interface DurableDeliveryOptions<Ret, Args extends [unknown, ...unknown[]]> {
  client: Client;
  workflowId: string;
  update: UpdateDefinition<Ret, Args>;
  /** Carries the same arguments as the update, for the run to apply when a worker returns. */
  signal: SignalDefinition<Args>;
  args: Args;
  /** How long to wait for a worker to accept the update (default 2 s). */
  acceptMs?: number;
  /** How long, from the start, to wait for the accepted update's result. */
  budgetMs: number;
}

export type Delivery<Ret> =
  /** A worker accepted the update; `result` is undefined when the budget ran out before it finished. */
  | { applied: true; result: Ret | undefined }
  /** No worker accepted it in time: the signal is in the run's history, to be applied later. */
  | { applied: false };

/**
 * Sends `args` to the run. An update the run refuses (its handler or validator throws) rejects
 * with the SDK's error, as does a signal Temporal refuses (run closed or unknown, server away);
 * neither is then delivered.
 */
export async function deliverDurably<Ret, Args extends [unknown, ...unknown[]]>(
  options: DurableDeliveryOptions<Ret, Args>,
): Promise<Delivery<Ret>> {
  const { client, workflowId, update, signal, args, budgetMs } = options;
  const acceptMs = Math.min(options.acceptMs ?? DEFAULT_ACCEPT_MS, budgetMs);
  const deadline = Date.now() + budgetMs;
  const handle = client.workflow.getHandle(workflowId);
  const abort = new AbortController();
  const accepted = client.withAbortSignal(abort.signal, () =>
    handle.startUpdate(update, { args, waitForStage: WorkflowUpdateStage.ACCEPTED }),
  );
  const acceptance = await withinBudget(accepted, acceptMs);
  if (!acceptance.done) {
    abort.abort();
    accepted.catch(() => undefined);
    await handle.signal(signal, ...args);
    return { applied: false };
  }
  const result = client.withAbortSignal(abort.signal, () => acceptance.value.result());
  const raced = await withinBudget(result, Math.max(0, deadline - Date.now()));
  if (raced.done) return { applied: true, result: raced.value };
  abort.abort();
  result.catch(() => undefined);
  return { applied: true, result: undefined };
}
