/**
 * How the workflow retries a webhook delivery (the `notify` activity's retry policy), shared with
 * the activity so it knows which attempt is the last and can record the delivery as failed.
 * About 14 minutes from the first attempt to the last; a subscriber down longer misses the event.
 */
export const WEBHOOK_RETRY = {
  initialIntervalMs: 500,
  backoffCoefficient: 2,
  maximumIntervalMs: 5 * 60_000,
  maximumAttempts: 12,
  /** Each attempt's own deadline, the HTTP call included. */
  attemptTimeoutMs: 15_000,
} as const;
