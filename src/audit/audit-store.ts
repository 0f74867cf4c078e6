/**
 * The append-only audit store: the worker's `recordAudit` activity appends, the gateway and the
 * scripts read. Each append chains its records to the last one inside one write transaction, so
 * concurrent workers never fork the chain; a fact whose key is already stored is skipped, so a
 * retried or replayed activity writes each fact once. SQLite here (WAL, beside the other embedded
 * files); audit-store-pg.ts is the same contract on PostgreSQL.
 */
import type Database from 'better-sqlite3';
import { openSqliteFile } from '../runtime/sqlite-file.js';
import { AuditRecordSchema, chainedRecord, type AuditFact, type AuditRecord } from './audit-record.js';

export interface AuditFilter {
  from?: string | undefined;
  to?: string | undefined;
  workflow_id?: string | undefined;
  person?: string | undefined;
  tool?: string | undefined;
  outcome?: string | undefined;
  kind?: string | undefined;
  /** Only records after this seq (the cursor). */
  after_seq?: number | undefined;
}

export interface AuditPage {
  records: AuditRecord[];
  /** The seq to read on from; absent on the last page. */
  next_after_seq?: number;
}

export interface AuditStore {
  /** Appends the facts whose keys are new, in order; returns how many were new. */
  append(facts: readonly AuditFact[], recordedAt: string): Promise<number>;
  /** Records in chain order matching `filter`, at most `limit`. */
  page(filter: AuditFilter, limit: number): Promise<AuditPage>;
  close(): Promise<void>;
}

/** The table and its indexes, the same on both backends but for the type of `seq`. */
export function auditTableSql(seqType: 'INTEGER' | 'BIGINT'): string {
  return `
CREATE TABLE IF NOT EXISTS audit_records (
  seq ${seqType} PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  workflow_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  person TEXT,
  tool TEXT,
  outcome TEXT,
  hash TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_records_workflow ON audit_records(workflow_id);
CREATE INDEX IF NOT EXISTS audit_records_at ON audit_records(at);
`;
}

const SCHEMA = `${auditTableSql('INTEGER')}
CREATE TRIGGER IF NOT EXISTS audit_records_no_update BEFORE UPDATE ON audit_records
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_records_no_delete BEFORE DELETE ON audit_records
  BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
`;

/** The row both backends store for `record`, with its columns in the order the INSERT names them. */
export function auditRowOf(record: AuditRecord): unknown[] {
  const { seq, key, workflow_id, kind, at, person, tool, outcome, hash } = record;
  return [seq, key, workflow_id, kind, at, person ?? null, tool ?? null, outcome ?? null, hash, JSON.stringify(record)];
}

/** The INSERT of one auditRowOf row (`$n` placeholders for PostgreSQL). */
export function insertAuditRowSql(placeholder: (n: number) => string): string {
  const values = Array.from({ length: 10 }, (_, i) => placeholder(i + 1)).join(', ');
  return `INSERT INTO audit_records (seq, key, workflow_id, kind, at, person, tool, outcome, hash, record)
       VALUES (${values})`;
}

/** A page of at most `limit` records from up to `limit + 1` stored rows (the extra one says more follow). */
export function auditPageOf(rows: readonly { seq: number; record: string }[], limit: number): AuditPage {
  const records = rows.slice(0, limit).map((row) => parseStoredRecord(row.seq, row.record));
  return { records, ...(rows.length > limit && { next_after_seq: records.at(-1)!.seq }) };
}

/** The WHERE clause and parameters of a filter, shared by both backends (`$n` placeholders for PostgreSQL). */
export function filterSql(
  filter: AuditFilter,
  placeholder: (n: number) => string,
): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', placeholder(params.length)));
  };
  if (filter.after_seq !== undefined) add('seq > ?', filter.after_seq);
  if (filter.from !== undefined) add('at >= ?', filter.from);
  if (filter.to !== undefined) add('at < ?', filter.to);
  if (filter.workflow_id !== undefined) add('workflow_id = ?', filter.workflow_id);
  if (filter.person !== undefined) add('person = ?', filter.person);
  if (filter.tool !== undefined) add('tool = ?', filter.tool);
  if (filter.outcome !== undefined) add('outcome = ?', filter.outcome);
  if (filter.kind !== undefined) add('kind = ?', filter.kind);
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

/** Parses a stored record's JSON; a row that does not parse is reported with its seq. */
export function parseStoredRecord(seq: number, text: string): AuditRecord {
  const parsed = AuditRecordSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`audit record ${seq} does not match the record schema`);
  return parsed.data;
}

export class SqliteAuditStore implements AuditStore {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
  }

  static open(path: string): SqliteAuditStore {
    // FULL: an acknowledged audit record survives a power cut, not only a process crash.
    return new SqliteAuditStore(openSqliteFile(path, SCHEMA, ['synchronous = FULL']));
  }

  append(facts: readonly AuditFact[], recordedAt: string): Promise<number> {
    const exists = this.#db.prepare('SELECT 1 FROM audit_records WHERE key = ?');
    const last = this.#db.prepare('SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1');
    const insert = this.#db.prepare(insertAuditRowSql(() => '?'));
    const appendAll = this.#db.transaction(() => {
      let added = 0;
      let previous = last.get() as { seq: number; hash: string } | undefined;
      for (const fact of facts) {
        if (exists.get(fact.key) !== undefined) continue;
        const record = chainedRecord(fact, previous, recordedAt);
        insert.run(...auditRowOf(record));
        previous = record;
        added += 1;
      }
      return added;
    });
    // IMMEDIATE: the write lock is taken before the last record is read, so two writers cannot chain to the same one.
    return Promise.resolve(appendAll.immediate());
  }

  page(filter: AuditFilter, limit: number): Promise<AuditPage> {
    const { where, params } = filterSql(filter, () => '?');
    const rows = this.#db
      .prepare(`SELECT seq, record FROM audit_records ${where} ORDER BY seq LIMIT ?`)
      .all(...params, limit + 1) as { seq: number; record: string }[];
    return Promise.resolve(auditPageOf(rows, limit));
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}
