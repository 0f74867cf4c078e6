/**
 * Coalesces a run's publications to one per workflow task. RunState calls its hook on every
 * change, and a task that moves 50 steps would otherwise compute and write the run's search
 * attributes and memo 50 times. Pure: the workflow decides when to flush (publishOncePerTask).
 */
import type { PublishHook, RunState } from './run-state.js';

export class CoalescedPublication {
  #changed: RunState | undefined;
  readonly #publish: PublishHook;

  constructor(publish: PublishHook) {
    this.#publish = publish;
  }

  /** The hook for RunState: remembers that the run changed, publishes nothing yet. */
  readonly hook: PublishHook = (run) => {
    this.#changed = run;
  };

  get pending(): boolean {
    return this.#changed !== undefined;
  }

  /** Publishes the run as it now is, if it changed since the last flush. */
  flush(): void {
    const run = this.#changed;
    if (run === undefined) return;
    this.#changed = undefined;
    this.#publish(run);
  }
}
