/** Every activity the worker registers, built from its dependencies (no module-level state). */
import type { Client } from '@temporalio/client';
import type { RunSettings } from '../src/shared/contracts.js';
import { createAssistantActivities } from './assistant.js';
import { createPlanActivities } from './plan.js';
import { createToolActivities } from './tools.js';
import { notify } from './notify.js';

export interface ActivityDeps {
  sandboxUrl: string;
  /** Sent as `Authorization: Bearer …` on every sandbox call. */
  sandboxToken: string;
  settings: RunSettings;
  /** For the tools that read the user's own runs (status, pending approvals, cancel); the worker builds it from its connection. */
  temporal?: { client: Client; taskQueue: string };
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanActivities(deps),
    ...createToolActivities({ sandboxUrl: deps.sandboxUrl, sandboxToken: deps.sandboxToken }),
    ...createAssistantActivities({ sandboxUrl: deps.sandboxUrl, sandboxToken: deps.sandboxToken, temporal: deps.temporal }),
    notify,
  };
}

export type Activities = ReturnType<typeof createActivities>;
