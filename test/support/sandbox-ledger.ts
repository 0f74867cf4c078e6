/** The sandbox ledger as tests read it: balances, entries and idempotency keys. */
import type { LedgerRow } from '../../sandbox/ledger.js';
import { getJson, type JsonResponse, type Loose, postJson } from './http.js';

async function getOk<T>(url: string, path: string): Promise<T> {
  const res = await getJson<T>(url, path);
  if (res.status < 200 || res.status > 299) throw new Error(`GET ${path} answered ${res.status}`);
  return res.body;
}

/** The balance of account `id` in cents, read over HTTP. */
export async function getBalanceCents(url: string, id: string): Promise<number> {
  return (await getOk<{ balance_cents: number }>(url, `/api/accounts/${encodeURIComponent(id)}`)).balance_cents;
}

export type LedgerEntry = LedgerRow;

/** The ledger entries of account `id`, newest first, read over HTTP. */
export async function ledgerEntries(url: string, id: string): Promise<LedgerEntry[]> {
  return (await getOk<{ entries: LedgerEntry[] }>(url, `/api/accounts/${encodeURIComponent(id)}/ledger`)).entries;
}

/** Every account's balance and every ledger entry: compare before and after to prove nothing moved. */
export async function ledgerState(url: string): Promise<{ balances: Record<string, number>; entries: LedgerEntry[] }> {
  const { body } = await getJson<{ accounts: Array<{ id: string; balance_cents: number }> }>(url, '/api/accounts');
  const balances: Record<string, number> = {};
  const entries = new Map<string, LedgerEntry>();
  for (const a of body.accounts) {
    balances[a.id] = a.balance_cents;
    const ledger = await getJson<{ entries: LedgerEntry[] }>(url, `/api/accounts/${a.id}/ledger`);
    for (const e of ledger.body.entries) entries.set(e.id, e);
  }
  return { balances, entries: [...entries.values()].sort((a, b) => a.id.localeCompare(b.id)) };
}

export function totalCents(balances: Record<string, number>): number {
  return Object.values(balances).reduce((a, b) => a + b, 0);
}

let counter = 0;
/** A key unique within the test run. */
export function newKey(prefix = 'test'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}`;
}

/** A transfer request to the sandbox under Idempotency-Key `key` (`body` as the sandbox reads it, or a raw string). */
export function postTransfer<T = Loose>(url: string, body: unknown, key: string): Promise<JsonResponse<T>> {
  return postJson<T>(url, '/api/transfer', body, { key });
}
