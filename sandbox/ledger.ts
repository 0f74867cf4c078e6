/**
 * The bank ledger: transfers between accounts (idempotent, atomic, never overdrawing) and
 * read-only views of accounts and their ledger entries.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { centsToDecimalString, centsToDollars, MAX_AMOUNT_CENTS, parseMoneyToCents } from '../src/shared/money.js';
import type { SandboxDb } from './db.js';
import { errorBody, parseWith, readJson, requireIdempotencyKey, SandboxError } from './http.js';
import { createIdempotentWrite, sendOutcome, type StoredResponse } from './idempotency.js';

/**
 * Dollars as a JSON number or a decimal string ("1250.50"), positive, at most two decimals,
 * at most 1,000,000.00. Converted to cents from its text form, never with float arithmetic.
 */
export function amountToCents(value: number | string): number | string {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a finite number';
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return 'must be a decimal amount in dollars such as 1250.50';
  if (match[1] === '-' && /[1-9]/.test(text)) return 'must be positive';
  if ((match[3] ?? '').length > 2) return 'must have at most two decimals';
  if (match[2]!.replace(/^0+/, '').length > 9) return `must be at most ${centsToDecimalString(MAX_AMOUNT_CENTS)}`;
  const cents = parseMoneyToCents(text.replace(/^[+-]/, ''));
  if (cents === undefined) return 'must be a decimal amount in dollars such as 1250.50';
  if (cents <= 0) return 'must be positive';
  if (cents > MAX_AMOUNT_CENTS) return `must be at most ${centsToDecimalString(MAX_AMOUNT_CENTS)}`;
  return cents;
}

const accountId = z.string().trim().min(1).max(64);

const TransferBodySchema = z
  .object({
    fromAccount: accountId,
    toAccount: accountId,
    amount: z
      .union([z.number(), z.string()], {
        error: (iss) => (iss.input === undefined ? 'is required' : 'must be a number or a decimal string'),
      })
      .transform((v, ctx) => {
        const cents = amountToCents(v);
        if (typeof cents === 'string') {
          ctx.addIssue({ code: 'custom', message: cents });
          return z.NEVER;
        }
        return cents;
      }),
  })
  .refine((b) => b.fromAccount !== b.toAccount, { path: ['toAccount'], message: 'must differ from fromAccount' });

const TransfersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  since: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .optional(),
});

interface AccountRow {
  id: string;
  owner: string;
  balance_cents: number;
}

/** One ledger entry as stored; `GET /api/accounts/{id}/ledger` answers these with `amount` added. */
export interface LedgerRow {
  id: string;
  idempotency_key: string;
  from_account: string;
  to_account: string;
  amount_cents: number;
  created_at: string;
}

function accountView(a: AccountRow) {
  return { id: a.id, owner: a.owner, balance: centsToDollars(a.balance_cents), balance_cents: a.balance_cents };
}

function ledgerView(e: LedgerRow) {
  return { ...e, amount: centsToDollars(e.amount_cents) };
}

/** One transfer as the account's owner sees it: money out to, or in from, the other account. */
function transferView(accountId: string, e: LedgerRow) {
  const out = e.from_account === accountId;
  return {
    transfer_id: e.id,
    direction: out ? 'out' : 'in',
    counterparty: out ? e.to_account : e.from_account,
    amount: centsToDollars(e.amount_cents),
    amount_cents: e.amount_cents,
    created_at: e.created_at,
  };
}

export function ledgerRoutes(db: SandboxDb) {
  const idempotentWrite = createIdempotentWrite(db);
  const getAccount = db.prepare<[string], AccountRow>('SELECT id, owner, balance_cents FROM accounts WHERE id = ?');
  const debit = db.prepare('UPDATE accounts SET balance_cents = balance_cents - ? WHERE id = ? AND balance_cents >= ?');
  const credit = db.prepare('UPDATE accounts SET balance_cents = balance_cents + ? WHERE id = ?');
  const insertEntry = db.prepare(
    'INSERT INTO ledger_entries (id, idempotency_key, from_account, to_account, amount_cents, created_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?)',
  );
  const listAccounts = db.prepare<[], AccountRow>('SELECT id, owner, balance_cents FROM accounts ORDER BY id');
  const listByOwner = db.prepare<[string], AccountRow>(
    'SELECT id, owner, balance_cents FROM accounts WHERE owner = ? ORDER BY id',
  );
  const listEntries = db.prepare<[string, string], LedgerRow>(
    `SELECT id, idempotency_key, from_account, to_account, amount_cents, created_at FROM ledger_entries
     WHERE from_account = ? OR to_account = ? ORDER BY seq DESC LIMIT 500`,
  );

  const listTransfers = db.prepare<[string, string, string, number], LedgerRow>(
    `SELECT id, idempotency_key, from_account, to_account, amount_cents, created_at FROM ledger_entries
     WHERE (from_account = ? OR to_account = ?) AND created_at >= ? ORDER BY seq DESC LIMIT ?`,
  );

  function transfer(key: string, from: string, to: string, cents: number): StoredResponse {
    const source = getAccount.get(from);
    if (!source) return { status: 404, body: errorBody(`Unknown account: ${from}`) };
    if (!getAccount.get(to)) return { status: 404, body: errorBody(`Unknown account: ${to}`) };
    if (source.balance_cents < cents || debit.run(cents, from, cents).changes !== 1) {
      return {
        status: 422,
        body: errorBody(
          `Insufficient funds: account ${from} has ${centsToDecimalString(source.balance_cents)}, ` +
            `transfer needs ${centsToDecimalString(cents)}`,
        ),
      };
    }
    credit.run(cents, to);
    const transferId = randomUUID();
    insertEntry.run(transferId, key, from, to, cents, new Date().toISOString());
    return {
      status: 200,
      body: {
        success: true,
        message: `Transferred ${centsToDecimalString(cents)} from ${from} to ${to}`,
        transfer_id: transferId,
      },
    };
  }

  return new Hono()
    .post('/transfer', async (c) => {
      const body = parseWith(TransferBodySchema, await readJson(c));
      const key = requireIdempotencyKey(c);
      const request = { fromAccount: body.fromAccount, toAccount: body.toAccount, amount_cents: body.amount };
      const outcome = idempotentWrite('transfer', key, request, () =>
        transfer(key, body.fromAccount, body.toAccount, body.amount),
      );
      return sendOutcome(c, outcome);
    })
    .get('/accounts', (c) => {
      const owner = c.req.query('owner');
      const rows = owner === undefined ? listAccounts.all() : listByOwner.all(owner);
      return c.json({ accounts: rows.map(accountView) });
    })
    .get('/accounts/:id', (c) => {
      const account = getAccount.get(c.req.param('id'));
      if (!account) throw new SandboxError(404, `Unknown account: ${c.req.param('id')}`);
      return c.json(accountView(account));
    })
    .get('/accounts/:id/ledger', (c) => {
      const id = c.req.param('id');
      if (!getAccount.get(id)) throw new SandboxError(404, `Unknown account: ${id}`);
      return c.json({ entries: listEntries.all(id, id).map(ledgerView) });
    })
    .get('/accounts/:id/transfers', (c) => {
      const id = c.req.param('id');
      const query = parseWith(TransfersQuerySchema, c.req.query());
      if (!getAccount.get(id)) throw new SandboxError(404, `Unknown account: ${id}`);
      const rows = listTransfers.all(id, id, query.since ?? '', query.limit);
      return c.json({ account_id: id, transfers: rows.map((row) => transferView(id, row)) });
    });
}
