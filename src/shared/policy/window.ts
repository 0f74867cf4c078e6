/**
 * The rolling window of a policy (`rolling_window`): what one user moved without approval in the
 * last `duration`, counted from reservations the sandbox ledger keeps. Pure: the ledger, the
 * workflow and the unit tests share it.
 */
import { parseDuration } from '../duration.js';

/** A transfer that ran, or is about to run, without approval. */
export interface WindowReservation {
  run_id: string;
  amount_cents: number;
  /** When it was reserved, in epoch milliseconds. */
  reserved_at_ms: number;
  released: boolean;
}

export const MIN_WINDOW_MS = 60_000;
export const MAX_WINDOW_MS = 31 * 86_400_000;

/** Milliseconds of a window duration such as "24h", or undefined when it is not one we accept. */
export function windowMsOf(duration: string): number | undefined {
  const ms = parseDuration(duration);
  return ms !== undefined && ms >= MIN_WINDOW_MS && ms <= MAX_WINDOW_MS ? ms : undefined;
}

/**
 * A reservation counts while it is younger than the window: one made exactly `windowMs` ago has
 * left it. Released reservations never count (their money did not move).
 */
export function countsInWindow(reservation: WindowReservation, nowMs: number, windowMs: number): boolean {
  return !reservation.released && reservation.reserved_at_ms > nowMs - windowMs && reservation.reserved_at_ms <= nowMs;
}

/**
 * Cents moved without approval in the window by runs other than `excludeRunId`: a run's own
 * transfers are already in its request sum, so counting them here would count them twice.
 */
export function movedInWindowCents(
  reservations: readonly WindowReservation[],
  nowMs: number,
  windowMs: number,
  excludeRunId?: string,
): number {
  return reservations
    .filter((r) => r.run_id !== excludeRunId && countsInWindow(r, nowMs, windowMs))
    .reduce((sum, r) => sum + r.amount_cents, 0);
}

/** The amount a tier is compared with: this request's transfers plus what the window already holds. */
export function tierAmountCents(requestSumCents: number, movedInWindow: number): number {
  return requestSumCents + movedInWindow;
}
