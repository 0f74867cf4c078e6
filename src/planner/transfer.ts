/** The money-transfer clause: "Transfer 6000 to Kiran", "pay kiran 300", "give Bob $10". */
import { formatUsd, MAX_AMOUNT_CENTS, parseMoneyToCents } from '../shared/money.js';
import type { ClauseResult, PlannerContext } from './clause.js';
import { quote } from './text.js';

const VERB = '(?:transfer|send|pay|wire|move|give|remit)';
const CURRENCY_WORD = '(?:\\s*(?:dollars?|usd|bucks))?';
// The amount is any single token here so that "transfer abc to kiran" can be told what is wrong with "abc".
const AMOUNT_FIRST = new RegExp(`^${VERB}\\s+(?:usd\\s*)?(\\S+?)${CURRENCY_WORD}\\s+to\\s+(.+)$`);
// With the recipient first the amount must contain a digit, or "pay the rent" would read as a transfer to "the".
const RECIPIENT_FIRST = new RegExp(
  `^${VERB}\\s+(?:to\\s+)?((?:(?:account|acct)\\s+)?[^\\s$]+)\\s+(?:usd\\s*)?(\\S*\\d\\S*?)${CURRENCY_WORD}$`,
);
const ACCOUNT_ID = /^[a-z0-9_-]{1,64}$/;
// After normalisation "my account" reads as "my"; nobody's account id is "my", so it means the requester.
const SELF = new Set(['me', 'myself', 'my', 'my own', 'yourself']);

export type AmountReading = { ok: true; cents: number } | { ok: false; problem: string };

/** Reads a transfer amount and, when it is unusable, says why in words the requester can act on. */
export function readAmount(token: string): AmountReading {
  const shown = quote(token);
  const text = token.trim().replace(/^\$(?=\S)/, '').replace(/\$$/, '');
  if (/^[-(−]|^\$-/.test(token.trim())) return { ok: false, problem: `The amount ${shown} must be positive.` };
  if (!/\d/.test(text)) {
    return { ok: false, problem: `The amount ${shown} is not a number; write it like 6000, 1,250.50 or $5,000.00.` };
  }
  const cents = parseMoneyToCents(text);
  if (cents === undefined) {
    if (/^[\d,]*\.\d{3,}$/.test(text)) {
      return { ok: false, problem: `The amount ${shown} has more than two decimals; amounts are dollars and cents.` };
    }
    if (/^\d{13,}(?:\.\d{1,2})?$/.test(text.replaceAll(',', ''))) return { ok: false, problem: tooLarge(shown) };
    return { ok: false, problem: `The amount ${shown} is not a valid amount; write it like 6000, 1,250.50 or $5,000.00.` };
  }
  if (cents === 0) return { ok: false, problem: `The amount ${shown} must be greater than zero.` };
  if (cents > MAX_AMOUNT_CENTS) return { ok: false, problem: tooLarge(shown) };
  return { ok: true, cents };
}

function tooLarge(shown: string): string {
  return `The amount ${shown} is more than the largest transfer allowed (${formatUsd(MAX_AMOUNT_CENTS)}).`;
}

/** "account #123", "Kiran's account", "@bob." all name the account id the sandbox knows. */
export function normaliseRecipient(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[.,!?;:]+$/, '')
    .replace(/^the\s+/, '')
    .replace(/^(?:account|acct)\b(?:\s+(?:number|no\.?|id)\b)?\s*:?\s*/, '')
    .replace(/^[#@]/, '')
    .replace(/(?:'s)?\s+(?:account|acct)$/, '')
    .replace(/'s$/, '');
}

export function parseTransfer(clause: string, ctx: PlannerContext): ClauseResult | undefined {
  const match = pair(AMOUNT_FIRST.exec(clause)) ?? swap(RECIPIENT_FIRST.exec(clause));
  if (!match) return undefined;
  const [amountText, recipientText] = match;

  const amount = readAmount(amountText);
  if (!amount.ok) return { kind: 'error', message: amount.problem };

  const recipient = normaliseRecipient(recipientText);
  if (!SELF.has(recipient) && !ACCOUNT_ID.test(recipient)) {
    return {
      kind: 'error',
      message: `${quote(recipientText.trim())} is not an account I can send money to: account ids are 1-64 lowercase letters, digits, _ or -.`,
    };
  }

  const from = ctx.from_account;
  if (from === undefined || !ACCOUNT_ID.test(from)) {
    return {
      kind: 'error',
      message: `No account found for user ${ctx.user_id}; a transfer is paid from the requester's own account, so one must be linked to this user first.`,
    };
  }
  if (SELF.has(recipient) || recipient === from) {
    return { kind: 'error', message: `You cannot transfer money to your own account (${from}); name another recipient.` };
  }

  return {
    kind: 'steps',
    steps: [
      {
        id: 'transfer',
        name: `Transfer ${formatUsd(amount.cents)} → ${recipient}`,
        tool: 'bank_transfer',
        args: { from_account: from, to_account: recipient, amount_cents: amount.cents },
        risk_level: 'L2',
        depends_on: [],
      },
    ],
  };
}

/** Both patterns yield [amount, recipient]; the recipient-first one captures them the other way round. */
function pair(match: RegExpExecArray | null): [string, string] | undefined {
  return match ? [match[1]!, match[2]!] : undefined;
}

function swap(match: RegExpExecArray | null): [string, string] | undefined {
  return match ? [match[2]!, match[1]!] : undefined;
}
