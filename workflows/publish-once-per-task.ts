/**
 * Flushes a CoalescedPublication when the workflow task has run what it can. The SDK evaluates
 * blocked conditions only after an activation's jobs and every microtask they caused have run,
 * so a condition on "something changed" fires once the task's changes are made, and the commands
 * it writes go out with the same task's completion, as before. Deterministic: it depends only on
 * the run's state, and replay evaluates the same conditions at the same points.
 */
import { CancellationScope, condition } from '@temporalio/workflow';
import { CoalescedPublication } from './task-publication.js';
import type { PublishHook } from './run-state.js';

/**
 * A publication that flushes itself once per workflow task. Before the workflow returns or
 * throws, call `flush`: a task's last changes would otherwise miss the workflow's completion.
 */
export function publishOncePerTask(publish: PublishHook): CoalescedPublication {
  const publication = new CoalescedPublication(publish);
  // Not cancellable: a cancelled run still publishes its CANCELLED status.
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => publication.pending);
      // Conditions released with this one (a gate whose approval was decided, a step whose
      // dependencies finished) change the run in their continuations: let them run first.
      await nextConditionPass();
      publication.flush();
    }
  });
  return publication;
}

/** Resolves in the SDK's next pass over blocked conditions, which it makes since this one resolved. */
function nextConditionPass(): Promise<void> {
  let evaluated = false;
  return condition(() => {
    const ready = evaluated;
    evaluated = true;
    return ready;
  });
}
