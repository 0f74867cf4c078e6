/**
 * The audit store a process is configured with: PostgreSQL when AUDIT_DATABASE_URL is set, else the
 * SQLite file AUDIT_DB.
 */
import type { Config } from '../runtime/config.js';
import { PostgresAuditStore } from './audit-store-pg.js';
import { SqliteAuditStore, type AuditStore } from './audit-store.js';

export function openAuditStore(config: Pick<Config, 'AUDIT_DB' | 'AUDIT_DATABASE_URL'>): AuditStore {
  return config.AUDIT_DATABASE_URL === undefined
    ? SqliteAuditStore.open(config.AUDIT_DB)
    : new PostgresAuditStore(config.AUDIT_DATABASE_URL);
}

/** The store, opened on the first call: a process that never reads the trail never opens it. */
export function lazyAuditStore(config: Pick<Config, 'AUDIT_DB' | 'AUDIT_DATABASE_URL'>): () => AuditStore {
  let store: AuditStore | undefined;
  return () => (store ??= openAuditStore(config));
}
