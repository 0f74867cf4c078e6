/**
 * What the policy gate reads from and reserves in the sandbox ledger: the user's rolling window
 * (read, then reserve only if unchanged, so concurrent runs cannot both take the same room) and
 * whether an account has paid a recipient before. Each call is answered once and recorded in
 * history, so the workflow that judges with it replays the same way.
 */
import { z } from 'zod';
import { SandboxClient } from './sandbox-client.js';

export interface LimitActivityDeps {
  sandboxUrl: string;
  sandboxToken: string;
}

export interface WindowUsageInput {
  user_id: string;
  window_ms: number;
  /** The run asking: its own transfers are in its request sum already. */
  run_id: string;
}

export interface ReserveInput extends WindowUsageInput {
  reservation_key: string;
  transfer_key: string;
  amount_cents: number;
  expected_moved_cents: number;
}

const UsageSchema = z.object({ moved_cents: z.number().int().nonnegative() });
const ReserveSchema = z.object({ reserved: z.boolean(), moved_cents: z.number().int().nonnegative() });
const ReleaseSchema = z.object({ found: z.boolean(), released: z.boolean() });
const PaidBeforeSchema = z.object({ paid_before: z.boolean() });

export function createLimitActivities(deps: LimitActivityDeps) {
  const sandbox = new SandboxClient({ baseUrl: deps.sandboxUrl, token: deps.sandboxToken, timeoutMs: 5000 });
  return {
    /** Cents the user's other runs moved (or reserved to move) without approval in the window. */
    async windowUsage(input: WindowUsageInput): Promise<z.infer<typeof UsageSchema>> {
      return sandbox.post(
        '/api/limits/usage',
        { user_id: input.user_id, window_ms: input.window_ms, exclude_run_id: input.run_id },
        UsageSchema,
      );
    },

    /** Reserves `amount_cents` if the window still holds `expected_moved_cents`; else says what it holds now. */
    async reserveInWindow(input: ReserveInput): Promise<z.infer<typeof ReserveSchema>> {
      return sandbox.post('/api/limits/reservations', input, ReserveSchema);
    },

    /** Gives the reservation back unless its transfer reached the ledger. */
    async releaseReservation(input: { reservation_key: string }): Promise<z.infer<typeof ReleaseSchema>> {
      return sandbox.post('/api/limits/reservations/release', input, ReleaseSchema);
    },

    async recipientPaidBefore(input: { from_account: string; to_account: string }): Promise<boolean> {
      const query = new URLSearchParams(input).toString();
      return (await sandbox.get(`/api/limits/paid-before?${query}`, PaidBeforeSchema)).paid_before;
    },
  };
}
