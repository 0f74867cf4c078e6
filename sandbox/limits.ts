/**
 * Reservations against a policy's rolling window, kept beside the ledger so that checking what a
 * user moved and reserving the next amount is one SQLite transaction: concurrent runs of one user
 * cannot both see room that only one of them may take. A reservation is made before a transfer
 * runs without approval and released if its money never moved.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  MAX_WINDOW_MS,
  MIN_WINDOW_MS,
  movedInWindowCents,
  type WindowReservation,
} from '../src/shared/policy/window.js';
import type { SandboxDb } from './db.js';
import { parseWith, readJson } from './http.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS window_reservations (
  reservation_key TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  transfer_key TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  reserved_at_ms INTEGER NOT NULL,
  released_at_ms INTEGER
);
CREATE INDEX IF NOT EXISTS window_reservations_user ON window_reservations(user_id, reserved_at_ms);
`;

const text = z.string().min(1).max(255);
const windowMs = z.number().int().min(MIN_WINDOW_MS).max(MAX_WINDOW_MS);

const UsageBodySchema = z.strictObject({ user_id: text, window_ms: windowMs, exclude_run_id: text.optional() });
const ReserveBodySchema = z.strictObject({
  user_id: text,
  run_id: text,
  reservation_key: text,
  /** The Idempotency-Key the transfer will carry, so a release can tell whether its money moved. */
  transfer_key: text,
  amount_cents: z.number().int().positive(),
  window_ms: windowMs,
  /** What the caller judged with: the reservation is made only if the window still holds exactly this. */
  expected_moved_cents: z.number().int().nonnegative(),
});
const ReleaseBodySchema = z.strictObject({ reservation_key: text });
const PaidBeforeQuerySchema = z.strictObject({ from_account: text, to_account: text });
const ListQuerySchema = z.strictObject({ window_ms: z.coerce.number().pipe(windowMs) });

interface ReservationRow {
  reservation_key: string;
  run_id: string;
  transfer_key: string;
  amount_cents: number;
  reserved_at_ms: number;
  released_at_ms: number | null;
}

const asWindowEntry = (row: ReservationRow): WindowReservation => ({
  run_id: row.run_id,
  amount_cents: row.amount_cents,
  reserved_at_ms: row.reserved_at_ms,
  released: row.released_at_ms !== null,
});

export function limitRoutes(db: SandboxDb, now: () => number = Date.now) {
  db.exec(SCHEMA);
  const recent = db.prepare<[string, number], ReservationRow>(
    `SELECT reservation_key, run_id, transfer_key, amount_cents, reserved_at_ms, released_at_ms FROM window_reservations
     WHERE user_id = ? AND reserved_at_ms > ? ORDER BY reserved_at_ms`,
  );
  const byKey = db.prepare<[string], ReservationRow>(
    'SELECT reservation_key, run_id, transfer_key, amount_cents, reserved_at_ms, released_at_ms ' +
      'FROM window_reservations WHERE reservation_key = ?',
  );
  const insert = db.prepare(
    'INSERT INTO window_reservations (reservation_key, user_id, run_id, transfer_key, amount_cents, reserved_at_ms) ' +
      'VALUES (?, ?, ?, ?, ?, ?)',
  );
  const forget = db.prepare('DELETE FROM window_reservations WHERE reservation_key = ?');
  const release = db.prepare(
    'UPDATE window_reservations SET released_at_ms = ? WHERE reservation_key = ? AND released_at_ms IS NULL',
  );
  const transferByKey = db.prepare<[string], { id: string }>('SELECT id FROM ledger_entries WHERE idempotency_key = ?');
  const paidBefore = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM ledger_entries WHERE from_account = ? AND to_account = ? LIMIT 1',
  );

  const movedBy = (userId: string, window: number, excludeRunId?: string): number => {
    const at = now();
    return movedInWindowCents(recent.all(userId, at - window).map(asWindowEntry), at, window, excludeRunId);
  };

  // better-sqlite3 runs a transaction synchronously on one connection: nothing interleaves with it.
  const reserve = db.transaction((body: z.output<typeof ReserveBodySchema>) => {
    const existing = byKey.get(body.reservation_key);
    const moved = movedBy(body.user_id, body.window_ms, body.run_id);
    // The same reservation again (a retried call) is answered as the first time.
    if (existing && existing.released_at_ms === null) return { reserved: true, moved_cents: moved };
    if (moved !== body.expected_moved_cents) return { reserved: false, moved_cents: moved };
    if (existing) forget.run(body.reservation_key);
    insert.run(body.reservation_key, body.user_id, body.run_id, body.transfer_key, body.amount_cents, now());
    return { reserved: true, moved_cents: moved };
  });

  /** Releases a reservation whose transfer left no ledger entry; one whose money moved stays counted. */
  const settle = db.transaction((key: string) => {
    const row = byKey.get(key);
    if (!row) return { found: false, released: false };
    if (row.released_at_ms !== null) return { found: true, released: true };
    if (transferByKey.get(row.transfer_key)) return { found: true, released: false };
    release.run(now(), key);
    return { found: true, released: true };
  });

  return new Hono()
    .post('/limits/usage', async (c) => {
      const body = parseWith(UsageBodySchema, await readJson(c));
      return c.json({ moved_cents: movedBy(body.user_id, body.window_ms, body.exclude_run_id) });
    })
    .post('/limits/reservations', async (c) => c.json(reserve(parseWith(ReserveBodySchema, await readJson(c)))))
    .post('/limits/reservations/release', async (c) =>
      c.json(settle(parseWith(ReleaseBodySchema, await readJson(c)).reservation_key)),
    )
    .get('/limits/users/:user_id', (c) => {
      const query = parseWith(ListQuerySchema, c.req.query());
      const userId = c.req.param('user_id');
      const rows = recent.all(userId, now() - query.window_ms);
      return c.json({
        user_id: userId,
        moved_cents: movedBy(userId, query.window_ms),
        reservations: rows.map((r) => ({ ...r, released: r.released_at_ms !== null })),
      });
    })
    .get('/limits/paid-before', (c) => {
      const query = parseWith(PaidBeforeQuerySchema, c.req.query());
      return c.json({ ...query, paid_before: paidBefore.get(query.from_account, query.to_account) !== undefined });
    });
}
