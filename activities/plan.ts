/** The planning activity: the planner plus the one lookup it needs (the requester's account). */
import { z } from 'zod';
import type { RunSettings, TrustedDecisionKey } from '../src/shared/contracts.js';
import { PlannerOutcomeSchema, type PlannerOutcome } from '../src/shared/planner-contracts.js';
import { planMessage, warmUpPlanner } from '../src/planner/planner.js';
import { SandboxClient } from './sandbox-client.js';

export interface PlanRequestInput {
  message: string;
  user_id: string;
  /** Workflow time at the start of the run, so "this week" is the same on every retry. */
  today: string;
}

export interface PlanRequestResult {
  outcome: PlannerOutcome;
  settings: RunSettings;
}

export interface PlanActivityDeps {
  sandboxUrl: string;
  sandboxToken: string;
  settings: RunSettings;
}

const AccountsByOwnerSchema = z.object({ accounts: z.array(z.object({ id: z.string() })) });

export function createPlanActivities(deps: PlanActivityDeps) {
  // The intent classifier trains from the corpus here, at the worker's start, not on the first request.
  warmUpPlanner();
  const sandbox = new SandboxClient({ baseUrl: deps.sandboxUrl, token: deps.sandboxToken, timeoutMs: 5000 });
  // An account, once found, keeps its owner; a user without one may get one later, so misses are not kept.
  const accountByOwner = new Map<string, string>();

  async function ownAccountOf(userId: string): Promise<string | undefined> {
    const known = accountByOwner.get(userId);
    if (known !== undefined) return known;
    const body = await sandbox.get(`/api/accounts?owner=${encodeURIComponent(userId)}`, AccountsByOwnerSchema);
    const account = body.accounts[0]?.id;
    if (account !== undefined) accountByOwner.set(userId, account);
    return account;
  }

  return {
    /** The keys whose signatures runs and sessions accept (starts, decisions), read before anything is planned. */
    trustedSigningKeys(): Promise<TrustedDecisionKey[]> {
      return Promise.resolve(deps.settings.decision_keys ?? []);
    },

    async planRequest(input: PlanRequestInput): Promise<PlanRequestResult> {
      const from_account = await ownAccountOf(input.user_id);
      const outcome = planMessage(input.message, { user_id: input.user_id, today: input.today, from_account });
      return { outcome: PlannerOutcomeSchema.parse(outcome), settings: deps.settings };
    },
  };
}
