/**
 * The `recordAudit` activity: appends a run's facts to the audit store. The store skips a fact
 * whose key it holds, so a retry after a worker died mid-write, or a replayed run scheduling the
 * same batch again, writes each fact once.
 */
import { AuditFactSchema, type AuditFact } from '../src/audit/audit-record.js';
import type { AuditStore } from '../src/audit/audit-store.js';

export function createAuditActivities(store: AuditStore | undefined) {
  return {
    async recordAudit(facts: AuditFact[]): Promise<void> {
      if (!store) return;
      await store.append(
        facts.map((fact) => AuditFactSchema.parse(fact)),
        new Date().toISOString(),
      );
    },
  };
}
