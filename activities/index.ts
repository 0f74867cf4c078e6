/** Every activity the worker registers, built from its dependencies (no module-level state). */
import type { RunSettings } from '../src/shared/contracts.js';
import { createPlanActivities } from './plan.js';
import { createToolActivities } from './tools.js';

export interface ActivityDeps {
  sandboxUrl: string;
  settings: RunSettings;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanActivities(deps),
    ...createToolActivities({ sandboxUrl: deps.sandboxUrl }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
