/**
 * Out-of-office stand-ins, as the policy's `out_of_office` entries name them: whom a person stands
 * in for right now, and with which groups. Shared by the inbox's `may_decide`, the decisions that
 * hand an absent person's part over first (single, bulk and link decisions), and the links sent
 * with approval.requested. Pure.
 */
import { sameIdentity } from '../../src/shared/identity.js';
import type { OutOfOffice } from '../../src/shared/policy/schema.js';

export interface StandIn {
  entry: OutOfOffice;
  /** The absent person's groups: the entry's own, else what `groupsOfUser` knows of them. */
  groups: string[];
}

/** The entries in which `personId` stands in for someone at `nowMs` (an entry ends at its `until`). */
export function standInsFor(
  outOfOffice: readonly OutOfOffice[],
  personId: string,
  groupsOfUser: (userId: string) => string[] | undefined,
  nowMs: number,
): StandIn[] {
  return outOfOffice
    .filter((entry) => sameIdentity(entry.to, personId) && Date.parse(entry.until) > nowMs)
    .map((entry) => ({ entry, groups: entry.groups ?? groupsOfUser(entry.from) ?? [] }));
}
