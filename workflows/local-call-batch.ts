/**
 * Local tool calls that run at the same time hand their outcomes to their steps together, once
 * the last of them has ended, in the order they started.
 *
 * Why: while a run runs, each local call that ends wakes the workflow in an activation of its
 * own. On replay the SDK resolves every local call whose marker is in the same workflow task as
 * soon as the call is scheduled, so calls that ended one by one replay in one activation. A step
 * that moved on between two of them (requested an approval, which upserts search attributes,
 * or started its next call) would then write its commands in another order, or not at all, and
 * replay fails ("No command scheduled for event UpsertWorkflowSearchAttributes"). Handing the
 * outcomes over only when no local call is left running puts that moment at the same place in
 * both.
 */
import type { Activities } from '../activities/index.js';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class LocalCallBatch {
  #running = 0;
  #started = 0;
  #ended: { order: number; handOver: () => void }[] = [];

  /** Runs `call`; its outcome is handed over once no call of the batch is running any more. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const order = this.#started++;
    this.#running += 1;
    const outcome: Outcome = await call().then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({ ok: false, error }),
    );
    this.#running -= 1;
    const handedOver = new Promise<void>((handOver) => this.#ended.push({ order, handOver }));
    // After this call awaits too, so that every caller resumes in start order, this one included.
    if (this.#running === 0) void Promise.resolve().then(() => this.#handOverAll());
    await handedOver;
    if (!outcome.ok) throw outcome.error;
    return outcome.value as T;
  }

  #handOverAll(): void {
    const ended = this.#ended.sort((a, b) => a.order - b.order);
    this.#ended = [];
    for (const call of ended) call.handOver();
  }
}

/** `tools`, with each call going through `batch` (the run's own, kept by RunState). */
export function batchedLocalCalls(batch: LocalCallBatch, tools: Activities): Activities {
  return new Proxy(tools, {
    get(target, name, receiver) {
      const call: unknown = Reflect.get(target, name, receiver);
      if (typeof call !== 'function') return call;
      return (...args: unknown[]) => batch.run(() => (call as (...a: unknown[]) => Promise<unknown>)(...args));
    },
  });
}
