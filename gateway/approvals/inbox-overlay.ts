/**
 * What this gateway changed itself, laid over a listing read from visibility: a listing may have
 * been read before the change (it is served while the next one is read, and visibility lags), so
 * whoever decided, handed over or edited an approval here sees that change on their next page.
 * Pure, so the rules are unit-tested in tables.
 */
import type { ApprovalRecord } from '../../src/shared/contracts.js';

/**
 * How far an approval has come: edits, then hand-overs, then counted decisions. Each only grows
 * while the approval waits, except decisions, which an edit clears (votes on the old action no
 * longer count), hence the order.
 */
function progressOf(record: ApprovalRecord): [number, number, number] {
  return [record.edits ?? 0, record.delegations?.length ?? 0, record.decisions?.length ?? 0];
}

/** Whether the listed record has seen a change the record made here has not (made elsewhere, later). */
export function listedIsAhead(own: ApprovalRecord, listed: ApprovalRecord): boolean {
  const [ownProgress, listedProgress] = [progressOf(own), progressOf(listed)];
  for (let i = 0; i < ownProgress.length; i++) {
    if (listedProgress[i]! !== ownProgress[i]!) return listedProgress[i]! > ownProgress[i]!;
  }
  return false;
}

/**
 * The listing as this gateway knows it: an approval no longer pending after a change made here is
 * gone, one still pending shows as changed here unless visibility already shows it further along.
 * An approval changed here but not listed stays unlisted: the listing is the set of runs waiting.
 */
export function withOwnChanges(
  listed: readonly ApprovalRecord[],
  own: ReadonlyMap<string, ApprovalRecord>,
): ApprovalRecord[] {
  if (own.size === 0) return [...listed];
  const records: ApprovalRecord[] = [];
  for (const listedRecord of listed) {
    const ownRecord = own.get(listedRecord.approval_id);
    if (!ownRecord) records.push(listedRecord);
    else if (ownRecord.status === 'pending')
      records.push(listedIsAhead(ownRecord, listedRecord) ? listedRecord : ownRecord);
  }
  return records;
}
