/**
 * Feature patches a run decides once, when it starts, before planning.
 *
 * Why: a patch first asked after a local activity cannot be replayed when the run's first workflow
 * task was lost with its worker. The SDK then records the activity's marker one task before the
 * patch's, and a replay resolves the activity before it learns of the patch, so every later query
 * or replay of the run fails (test/e2e/lost-first-task-replay.test.ts). A run that records
 * `patches-decided-at-start` has every feature below without asking again; a run recorded before
 * it asks each feature's own patch where it always did, so its history replays as it ran.
 */
import { patched } from '@temporalio/workflow';
import type { RequestInput } from '../src/shared/workflow-contracts.js';

const PATCHES_DECIDED_AT_START = 'patches-decided-at-start';

/** Keyed by the run's input, which the run's state keeps as it was given. */
const decidedAtStart = new WeakMap<RequestInput, boolean>();

/** Asked first thing in the run, before anything else records a command. */
export function decidePatchesAtStart(input: RequestInput): void {
  decidedAtStart.set(input, patched(PATCHES_DECIDED_AT_START));
}

/** Whether the run has the feature behind `patchId`: decided at its start, or by the feature's own patch. */
export function patchedFor(run: { readonly input: RequestInput }, patchId: string): boolean {
  return decidedAtStart.get(run.input) === true || patched(patchId);
}
