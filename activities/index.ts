/** Every activity the worker registers, built from its dependencies (no module-level state). */
import type { Client } from '@temporalio/client';
import type { RunSettings } from '../src/shared/contracts.js';
import type { AuditStore } from '../src/audit/audit-store.js';
import { createAssistantActivities } from './assistant.js';
import { createAuditActivities } from './audit.js';
import { createLimitActivities } from './limits.js';
import { createNotifyActivities, type WebhookSubscriber } from './notify.js';
import { createPlanActivities } from './plan.js';
import { createToolActivities } from './tools.js';

export interface ActivityDeps {
  sandboxUrl: string;
  /** Sent as `Authorization: Bearer …` on every sandbox call. */
  sandboxToken: string;
  settings: RunSettings;
  /**
   * For the tools that read the user's own runs (status, pending approvals, cancel); the worker builds it from its
   * connection.
   */
  temporal?: { client: Client; taskQueue: string };
  /** Where `notify` delivers events (WEBHOOK_URL); without one `notify` does nothing. */
  webhook?: WebhookSubscriber;
  /** Where `recordAudit` appends the runs' facts; without one it does nothing. */
  audit?: AuditStore;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanActivities(deps),
    ...createToolActivities({ sandboxUrl: deps.sandboxUrl, sandboxToken: deps.sandboxToken }),
    ...createLimitActivities({ sandboxUrl: deps.sandboxUrl, sandboxToken: deps.sandboxToken }),
    ...createAssistantActivities({
      sandboxUrl: deps.sandboxUrl,
      sandboxToken: deps.sandboxToken,
      temporal: deps.temporal,
    }),
    ...createNotifyActivities(deps.webhook),
    ...createAuditActivities(deps.audit),
  };
}

export type Activities = ReturnType<typeof createActivities>;
