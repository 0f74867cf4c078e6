/** HTTP helpers for reading and calling the sandbox backend in tests. */

/** Response bodies in tests are read ad hoc; each assertion states the shape it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export interface JsonResponse<T = AnyJson> {
  status: number;
  body: T;
  headers: Headers;
}

export async function postJson<T = AnyJson>(
  url: string,
  path: string,
  body: unknown,
  opts: { key?: string; raw?: boolean } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.key !== undefined) headers['idempotency-key'] = opts.key;
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers,
    body: opts.raw ? String(body) : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export async function getJson<T = AnyJson>(url: string, path: string): Promise<JsonResponse<T>> {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

/** The balance of account `id` in cents, read over HTTP. */
export async function getBalanceCents(url: string, id: string): Promise<number> {
  const res = await fetch(`${url}/api/accounts/${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`GET /api/accounts/${id} answered ${res.status}`);
  const body = (await res.json()) as { balance_cents: number };
  return body.balance_cents;
}

export interface LedgerEntry {
  id: string;
  idempotency_key: string;
  from_account: string;
  to_account: string;
  amount_cents: number;
  created_at: string;
}

/** The ledger entries of account `id`, newest first, read over HTTP. */
export async function ledgerEntries(url: string, id: string): Promise<LedgerEntry[]> {
  const res = await fetch(`${url}/api/accounts/${encodeURIComponent(id)}/ledger`);
  if (!res.ok) throw new Error(`GET /api/accounts/${id}/ledger answered ${res.status}`);
  const body = (await res.json()) as { entries: LedgerEntry[] };
  return body.entries;
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
