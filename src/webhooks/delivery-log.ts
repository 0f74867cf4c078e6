/**
 * Every webhook delivery and how it went, in a small SQLite file: the worker's `notify` activity
 * writes one row per event (updated on each attempt), the gateway reads it for
 * `GET /api/webhooks/deliveries`. WAL lets the gateway read while a worker writes.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { NOTIFICATION_EVENT_TYPES } from '../shared/notifications.js';
import { openSqliteFile, withoutNulls } from '../runtime/sqlite-file.js';

export const DeliveryStatus = {
  Pending: 'pending',
  Retrying: 'retrying',
  Delivered: 'delivered',
  Failed: 'failed',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

export const DeliverySchema = z.object({
  event_id: z.string(),
  type: z.enum(NOTIFICATION_EVENT_TYPES),
  workflow_id: z.string(),
  url: z.string(),
  status: z.enum([DeliveryStatus.Pending, DeliveryStatus.Retrying, DeliveryStatus.Delivered, DeliveryStatus.Failed]),
  attempts: z.number().int(),
  /** The subscriber's HTTP status on the last attempt; absent when it did not answer. */
  last_response_status: z.number().int().optional(),
  last_error: z.string().optional(),
  first_attempt_at: z.string(),
  last_attempt_at: z.string(),
  delivered_at: z.string().optional(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  url TEXT NOT NULL,
  type TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  last_response_status INTEGER,
  last_error TEXT,
  first_attempt_at TEXT NOT NULL,
  last_attempt_at TEXT NOT NULL,
  delivered_at TEXT,
  UNIQUE (event_id, url)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_workflow ON webhook_deliveries(workflow_id);
`;

export interface AttemptOutcome {
  event_id: string;
  type: Delivery['type'];
  workflow_id: string;
  url: string;
  /** The activity's attempt number (1 for the first). */
  attempt: number;
  status: Exclude<DeliveryStatus, 'pending'>;
  response_status?: number;
  error?: string;
  at: string;
}

export class DeliveryLog {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
  }

  static open(path: string): DeliveryLog {
    return new DeliveryLog(openSqliteFile(path, SCHEMA, ['synchronous = NORMAL']));
  }

  /** Records one attempt; a retry of the same event to the same URL updates its row, never adds one. */
  record(outcome: AttemptOutcome): void {
    this.#db
      .prepare(
        `INSERT INTO webhook_deliveries (event_id, url, type, workflow_id, status, attempts,
           last_response_status, last_error, first_attempt_at, last_attempt_at, delivered_at)
         VALUES (@event_id, @url, @type, @workflow_id, @status, @attempt,
           @response_status, @error, @at, @at, @delivered_at)
         ON CONFLICT (event_id, url) DO UPDATE SET
           status = CASE WHEN webhook_deliveries.status = 'delivered' THEN 'delivered' ELSE excluded.status END,
           attempts = MAX(webhook_deliveries.attempts, excluded.attempts),
           last_response_status = excluded.last_response_status,
           last_error = excluded.last_error,
           last_attempt_at = excluded.last_attempt_at,
           delivered_at = COALESCE(webhook_deliveries.delivered_at, excluded.delivered_at)`,
      )
      .run({
        event_id: outcome.event_id,
        url: outcome.url,
        type: outcome.type,
        workflow_id: outcome.workflow_id,
        status: outcome.status,
        attempt: outcome.attempt,
        response_status: outcome.response_status ?? null,
        error: outcome.error ?? null,
        at: outcome.at,
        delivered_at: outcome.status === DeliveryStatus.Delivered ? outcome.at : null,
      });
  }

  /** Newest first; `workflowId` narrows to one run's events. */
  list(options: { limit: number; workflowId?: string | undefined }): Delivery[] {
    const rows = (
      options.workflowId === undefined
        ? this.#db.prepare('SELECT * FROM webhook_deliveries ORDER BY seq DESC LIMIT ?').all(options.limit)
        : this.#db
            .prepare('SELECT * FROM webhook_deliveries WHERE workflow_id = ? ORDER BY seq DESC LIMIT ?')
            .all(options.workflowId, options.limit)
    ) as Record<string, unknown>[];
    return rows.map((row) => DeliverySchema.parse(withoutNulls(row)));
  }

  close(): void {
    this.#db.close();
  }
}
