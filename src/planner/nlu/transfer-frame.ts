/**
 * Reads who gets how much from a clause the classifier called a transfer, however it is worded:
 * "I need to send Bob $40 for dinner", "kiran should get 15 dollars from me", "venmo bob 30".
 * The answer is the canonical clause "send <amount> to <recipient>", made only of words from the
 * message, which the strict transfer rules then check (amount format, account id, own account).
 */
import { isForeignCurrency, looksLikeAmount } from '../amount.js';

const AMOUNT_WORD =
  /^(?:\$|us\$|usd|dollars?|bucks?|k|grand|hundred|thousand|million|and|a|an|or|euros?|eur|pounds?|gbp|yen|jpy)$/;
const FOREIGN_SYMBOL = /^[€£¥₹]/;
/** Verbs after which the next word is the recipient: "pay bob 30", "venmo kiran $15". */
const PAY_VERB = new RegExp(
  '^(?:send|sned|pay|payback|venmo|zelle|cashapp|paypal|give|wire|transfer|trasnfer|tranfer|' +
    'reimburse|shoot|tip|remit|owe|refund)$',
);
/** "kiran should get 15 dollars from me": the recipient comes first. */
const RECEIVE_VERB = /^(?:should|needs|need|gets|get|will|is|deserves|must|can|receives)$/;
/** Words that are never a recipient. */
const NOT_RECIPIENT = new Set([
  'me',
  'my',
  'the',
  'it',
  'them',
  'him',
  'her',
  'over',
  'money',
  'cash',
  'back',
  'some',
  'a',
  'an',
  'account',
  'acct',
  'friend',
  'buddy',
  'pal',
  'up',
  'to',
  'from',
  'for',
  'please',
  'now',
  'today',
]);
/** Words that may follow the recipient without being part of the name: "to alice today", "bob for dinner". */
const CONTEXT_START = new RegExp(
  '^(?:the|for|from|via|on|with|by|because|as|today|tonight|tomorrow|now|asap|please|pls|thanks|thx|right|over|' +
    'back|when|since|so|before|after|at|in|this|real|quick|again|too|also|if|cause|cuz|bc)$',
);
// "my sister priya": the words before a name; "send mom 50" keeps "mom" as the name (an amount follows it).
const RELATION = new RegExp(
  '^(?:my|our|friend|buddy|pal|mate|bro|dude|the|account|acct|number|no\\.?|id|#|sister|brother|mom|mum|dad|son|' +
    'daughter|wife|husband|roommate|coworker|colleague|boss|landlord|cousin|aunt|uncle|neighbou?r|girlfriend|' +
    'boyfriend|partner)$',
);

export interface TransferFrame {
  amount: string;
  recipient: string;
}

function words(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) => word.replace(/^[("]+|[)",!?;:]+$/g, ''))
    .filter((word) => word !== '');
}

function isAmountToken(word: string, next: string | undefined): boolean {
  if (/\d/.test(word) || FOREIGN_SYMBOL.test(word) || word === '$' || isForeignCurrency(word)) return true;
  if ((word === 'a' || word === 'an') && next !== undefined) return looksLikeAmount(next);
  if (AMOUNT_WORD.test(word)) return word !== 'and' && word !== 'or';
  return looksLikeAmount(word);
}

/**
 * The amount is every run of amount words (so "6000 ... 5000" stays two amounts for the strict
 * reader to question); "and"/"or" join a run only between amount words.
 */
function amountRuns(tokens: readonly string[]): { runs: string[]; used: Set<number> } {
  const used = new Set<number>();
  const runs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.some((word) => looksLikeAmount(word))) runs.push(current.join(' '));
    current = [];
  };
  tokens.forEach((word, index) => {
    const next = tokens[index + 1];
    // "from 123", "account 456": an account number, not an amount.
    if (/^(?:from|account|acct|#)$/.test(tokens[index - 1] ?? '') && /^\d+$/.test(word)) {
      flush();
      return;
    }
    const joiner = (word === 'and' || word === 'or') && current.length > 0 && next !== undefined;
    if (isAmountToken(word, next) || (joiner && isAmountToken(next, tokens[index + 2]))) {
      current.push(word);
      used.add(index);
    } else {
      flush();
    }
  });
  flush();
  return { runs, used };
}

function recipientAt(tokens: readonly string[], start: number, used: Set<number>): string | undefined {
  let index = start;
  while (index < tokens.length - 1 && RELATION.test(tokens[index]!) && !used.has(index + 1)) index += 1;
  const word = tokens[index];
  if (word === undefined || used.has(index)) return undefined;
  const name = word.replace(/'s$/, '').replace(/^[#@]/, '');
  if (NOT_RECIPIENT.has(name) || !/^[a-z0-9_-]+$/.test(name)) return undefined;
  // A bare word after the name that is not context ("bob smith") stays with it, for the rules to refuse.
  const after = tokens[index + 1];
  if (after !== undefined && !used.has(index + 1) && !CONTEXT_START.test(after) && !/^(?:'s|account)$/.test(after)) {
    return `${name} ${after}`;
  }
  return name;
}

function findRecipient(tokens: readonly string[], used: Set<number>): string | undefined {
  const to = tokens.findIndex((word, index) => word === 'to' && index > 0);
  if (to >= 0) {
    const named = recipientAt(tokens, to + 1, used);
    if (named !== undefined) return named;
  }
  const settle = tokens.findIndex((word, index) => word === 'with' && tokens[index - 1] === 'up');
  if (settle >= 0) return recipientAt(tokens, settle + 1, used);
  if (tokens.length > 1 && RECEIVE_VERB.test(tokens[1]!) && !used.has(0)) {
    const named = recipientAt(tokens, 0, used);
    if (named !== undefined) return named.split(' ')[0];
  }
  const verb = tokens.findIndex((word) => PAY_VERB.test(word));
  if (verb >= 0) {
    const skipBack = tokens[verb + 1] === 'back' ? 2 : 1;
    return recipientAt(tokens, verb + skipBack, used);
  }
  return undefined;
}

/** Who gets how much, or undefined when the clause names no amount or no recipient. */
export function readTransferFrame(clause: string): TransferFrame | undefined {
  const tokens = words(clause.replace(/(\d)\s+(k)\b/g, '$1$2'));
  const { runs, used } = amountRuns(tokens);
  if (runs.length === 0) return undefined;
  const recipient = findRecipient(tokens, used);
  if (recipient === undefined) return undefined;
  return { amount: runs.join(' '), recipient };
}
