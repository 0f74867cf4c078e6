/** The money-transfer clause: "Transfer 6000 to Kiran", "pay kiran 300", "give Bob $10", "send 1.5k to bob". */
import { transferStepName } from '../shared/money.js';
import { looksLikeAmount, readAmount } from './amount.js';
import type { ClauseResult, PlannerContext } from './clause.js';
import { quote } from './text.js';

const VERB = '(?:transfer|send|pay|wire|move|give|remit|transferring|sending|paying|wiring|moving|giving)';
// The amount is everything up to " to ", so that "transfer abc to kiran" can be told what is wrong with "abc".
const AMOUNT_FIRST = new RegExp(`^${VERB}\\s+(?:over\\s+)?(.+?)\\s+(?:over\\s+)?to\\s+(.+)$`);
// With the recipient first the rest must look like an amount, or "pay the rent" would read as a transfer to "the".
const RECIPIENT_FIRST = new RegExp(`^${VERB}\\s+(?:to\\s+)?((?:(?:account|acct)\\s+)?[^\\s$]+)\\s+(.+)$`);
const ACCOUNT_ID = /^[a-z0-9_-]{1,64}$/;
// After normalisation "my account" reads as "my"; nobody's account id is "my", so it means the requester.
const SELF = new Set(['me', 'myself', 'my', 'my own', 'yourself']);

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
  const [amountText, recipientWithRest] = match;
  const [recipientText, trailingAmount] = splitTrailingAmount(recipientWithRest);

  const amount = readAmount(trailingAmount === undefined ? amountText : `${amountText} ${trailingAmount}`);
  if (!amount.ok) return { kind: 'error', message: amount.problem };

  const recipient = normaliseRecipient(recipientText);
  if (!SELF.has(recipient) && !ACCOUNT_ID.test(recipient)) {
    return {
      kind: 'error',
      message:
        `${quote(recipientText.trim())} is not an account I can send money to: ` +
        'account ids are 1-64 lowercase letters, digits, _ or -.',
    };
  }

  const from = ctx.from_account;
  if (from === undefined || !ACCOUNT_ID.test(from)) {
    return {
      kind: 'error',
      message:
        `No account found for user ${ctx.user_id}; ` +
        "a transfer is paid from the requester's own account, so one must be linked to this user first.",
    };
  }
  if (SELF.has(recipient) || recipient === from) {
    return {
      kind: 'error',
      message: `You cannot transfer money to your own account (${from}); name another recipient.`,
    };
  }

  return {
    kind: 'steps',
    steps: [
      {
        id: 'transfer',
        name: transferStepName(amount.cents, recipient),
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
  if (!match || !looksLikeAmount(match[2]!)) return undefined;
  return [match[2]!, match[1]!];
}

/** "kiran 5000" after "transfer 6000 to": a second amount, which readAmount then compares with the first. */
function splitTrailingAmount(recipient: string): [string, string | undefined] {
  const match = /^(\S+)\s+(\$?\d\S*(?:\s+(?:dollars?|usd|bucks))?)$/.exec(recipient.trim());
  // "account 456" names an account, not a second amount.
  if (!match || /^(?:account|acct|number|no\.?|id|#)$/.test(match[1]!)) return [recipient, undefined];
  return [match[1]!, match[2]!];
}
