/**
 * What every clause parser shares: the context it plans in and what it answers. The entry point
 * (planner.ts) and the parsers both import these, so no parser imports the entry point.
 */
import type { PlanStep } from '../shared/contracts.js';

export interface PlannerContext {
  user_id: string;
  /** YYYY-MM-DD from the caller's clock (workflow time), so "this week" is stable across retries. */
  today: string;
  /** The requester's own account, when known; transfers are paid from it. */
  from_account?: string;
}

/**
 * A clause was understood (steps, with ids local to the clause until the planner makes them unique),
 * understood but unusable (error), or not recognised (undefined).
 */
export type ClauseResult = { kind: 'steps'; steps: PlanStep[] } | { kind: 'error'; message: string };

/** `clause` is lowercased and without fillers; `original` is as written (for case-sensitive ids). */
export type ClauseParser = (clause: string, ctx: PlannerContext, original: string) => ClauseResult | undefined;
