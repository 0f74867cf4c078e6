/**
 * A SQLite file shared by more than one process (the sandbox's database, the webhook delivery
 * log): WAL so readers never block the writer, and a busy timeout so a writer waits for another
 * instead of failing.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating the file and its folder if needed) the database at `path`, or in memory for `:memory:`, and creates `schema`. */
export function openSqliteFile(path: string, schema: string, extraPragmas: readonly string[] = []): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  for (const pragma of extraPragmas) db.pragma(pragma);
  db.exec(schema);
  return db;
}

/** The row with its NULL columns left out, for a schema whose optional members are absent rather than null. */
export function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null));
}
