/**
 * Retry policy by risk level, applied by the workflow itself so that every retry is visible in
 * the timeline (`step_retrying`) and counted in the step's attempts.
 */
import type { RiskLevel } from './contracts.js';

export interface StepRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Attempts at most; undefined means "until the time budget is spent". */
  maximumAttempts?: number;
  /** Time from the first attempt after which no new attempt starts (schedule-to-close). */
  budgetMs: number;
}

export const DEFAULT_RETRY_BUDGET_MS = 10 * 60_000;

export function retryPolicyFor(risk: RiskLevel, budgetMs = DEFAULT_RETRY_BUDGET_MS): StepRetryPolicy {
  const base = { initialIntervalMs: 500, backoffCoefficient: 2, maximumIntervalMs: 30_000, budgetMs };
  return risk === 'L3' ? { ...base, maximumAttempts: 3 } : base;
}

/** Milliseconds to wait before the next attempt, or undefined when the step has to give up. */
export function nextRetryDelayMs(
  policy: StepRetryPolicy,
  attemptsSoFar: number,
  elapsedMs: number,
): number | undefined {
  if (policy.maximumAttempts !== undefined && attemptsSoFar >= policy.maximumAttempts) return undefined;
  const delay = Math.min(
    policy.initialIntervalMs * policy.backoffCoefficient ** (attemptsSoFar - 1),
    policy.maximumIntervalMs,
  );
  return elapsedMs + delay > policy.budgetMs ? undefined : delay;
}
