/**
 * A SQLite file shared by more than one process (the sandbox's database, the webhook delivery
 * log): WAL so readers never block the writer, and a busy timeout so a writer waits for another
 * instead of failing.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

const BUSY_TIMEOUT_MS = 5000;

/**
 * The database file readable and writable by this user only (mode 600), created so before SQLite
 * opens it: SQLite gives its -wal and -shm files the database file's mode.
 */
function ownerOnlyFile(path: string): void {
  if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

/**
 * Opens (creating the file and its folder if needed) the database at `path`, or in memory for
 * `:memory:`, and creates `schema`.
 */
export function openSqliteFile(path: string, schema: string, extraPragmas: readonly string[] = []): Database.Database {
  if (path !== ':memory:') ownerOnlyFile(path);
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
