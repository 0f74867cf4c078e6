/**
 * The sandbox's own SQLite database: opened in WAL mode, schema created on start, demo accounts
 * inserted idempotently. Money is stored as integer cents.
 */
import type Database from 'better-sqlite3';
import { openSqliteFile } from '../src/runtime/sqlite-file.js';

export type SandboxDb = Database.Database;

/** Accounts every fresh sandbox starts with (`123` belongs to `default_user`, as in the original banking scenario). */
export const STARTING_ACCOUNTS = [
  { id: '123', owner: 'default_user', balance_cents: 5_000_000 },
  { id: 'kiran', owner: 'kiran', balance_cents: 100_000 },
  { id: 'bob', owner: 'bob', balance_cents: 250_000 },
  { id: 'alice', owner: 'alice', balance_cents: 1_000_000 },
  { id: 'ops', owner: 'manager@bank.com', balance_cents: 10_000_000 },
] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  balance_cents INTEGER NOT NULL CHECK (balance_cents >= 0)
);
CREATE INDEX IF NOT EXISTS accounts_owner ON accounts(owner);

CREATE TABLE IF NOT EXISTS ledger_entries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  from_account TEXT NOT NULL REFERENCES accounts(id),
  to_account TEXT NOT NULL REFERENCES accounts(id),
  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_from ON ledger_entries(from_account);
CREATE INDEX IF NOT EXISTS ledger_to ON ledger_entries(to_account);

CREATE TABLE IF NOT EXISTS idempotency_records (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE TABLE IF NOT EXISTS applications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL,
  job_id TEXT NOT NULL,
  cv_id TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS calendar_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL,
  title TEXT NOT NULL,
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS calendar_start ON calendar_events(start_at);
`;

/** Opens (creating if needed) the database at `path`, or in memory for `:memory:`. */
export function openSandboxDb(path: string): SandboxDb {
  const db = openSqliteFile(path, SCHEMA, ['foreign_keys = ON']);
  insertStartingAccounts(db);
  return db;
}

function insertStartingAccounts(db: SandboxDb): void {
  const insert = db.prepare('INSERT OR IGNORE INTO accounts (id, owner, balance_cents) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const a of STARTING_ACCOUNTS) insert.run(a.id, a.owner, a.balance_cents);
  })();
}
