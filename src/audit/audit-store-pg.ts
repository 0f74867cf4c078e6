/**
 * The audit store on PostgreSQL (`start --cluster`, AUDIT_DATABASE_URL): the same contract as the
 * SQLite store. An append takes the table's EXCLUSIVE lock (readers go on) so the chain has one
 * writer at a time across every worker; triggers refuse UPDATE and DELETE.
 */
import pg from 'pg';
import { chainedRecord, type AuditFact } from './audit-record.js';
import {
  auditPageOf,
  auditRowOf,
  auditTableSql,
  filterSql,
  insertAuditRowSql,
  type AuditFilter,
  type AuditPage,
  type AuditStore,
} from './audit-store.js';

/** In one transaction under an advisory lock: workers and gateways starting together create it once. */
const SCHEMA = `
BEGIN;
SELECT pg_advisory_xact_lock(2026120729);
${auditTableSql('BIGINT')}
CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger AS $$
  BEGIN RAISE EXCEPTION 'audit records are append-only'; END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_records_append_only ON audit_records;
CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
  FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
COMMIT;
`;

export class PostgresAuditStore implements AuditStore {
  readonly #pool: pg.Pool;
  #schema: Promise<void> | undefined;

  constructor(connectionString: string) {
    this.#pool = new pg.Pool({ connectionString, max: 4 });
  }

  /** Creates the table on first use; a failed attempt is tried again on the next call. */
  #ready(): Promise<void> {
    this.#schema ??= (async () => {
      const client = await this.#pool.connect();
      try {
        await client.query(SCHEMA);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    })().catch((err: unknown) => {
      this.#schema = undefined;
      throw err;
    });
    return this.#schema;
  }

  async append(facts: readonly AuditFact[], recordedAt: string): Promise<number> {
    await this.#ready();
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE audit_records IN EXCLUSIVE MODE');
      const last = await client.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1',
      );
      let previous = last.rows[0] && { seq: Number(last.rows[0].seq), hash: last.rows[0].hash };
      let added = 0;
      for (const fact of facts) {
        const seen = await client.query('SELECT 1 FROM audit_records WHERE key = $1', [fact.key]);
        if (seen.rowCount !== 0) continue;
        const record = chainedRecord(fact, previous, recordedAt);
        await client.query(
          insertAuditRowSql((n) => `$${n}`),
          auditRowOf(record),
        );
        previous = record;
        added += 1;
      }
      await client.query('COMMIT');
      return added;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  }

  async page(filter: AuditFilter, limit: number): Promise<AuditPage> {
    await this.#ready();
    const { where, params } = filterSql(filter, (n) => `$${n}`);
    const result = await this.#pool.query<{ seq: string; record: string }>(
      `SELECT seq, record FROM audit_records ${where} ORDER BY seq LIMIT $${params.length + 1}`,
      [...params, limit + 1],
    );
    return auditPageOf(
      result.rows.map((row) => ({ seq: Number(row.seq), record: row.record })),
      limit,
    );
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
