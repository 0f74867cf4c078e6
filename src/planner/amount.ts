/**
 * Amounts as people write them: "6000", "$1,250.50", "6k", "1.5K", "5 grand", "six thousand",
 * "two hundred and fifty", "USD 20", "20 bucks". Whatever could mean two different amounts
 * ("6,00", "1.2.3", "100 or 200") is refused with a question, never guessed.
 */
import { formatUsd, MAX_AMOUNT_CENTS, parseMoneyToCents } from '../shared/money.js';
import { quote, UNIT_WORDS } from './text.js';

export type AmountReading = { ok: true; cents: number } | { ok: false; problem: string };

const FORMAT_HINT = 'write it like 6000, 1.5k, 1,250.50 or $5,000.00';

const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = {
  hundred: 100,
  thousand: 1000,
  grand: 1000,
  k: 1000,
  million: 1_000_000,
  mil: 1_000_000,
  m: 1_000_000,
};
const NUMBER_WORD = new RegExp(
  `^(?:${[...Object.keys(UNIT_WORDS), ...Object.keys(TENS), 'hundred', 'thousand', 'million', 'grand'].join('|')})$`,
);

/** Currency words and symbols that mean US dollars; they carry no amount. */
const DOLLAR_WORDS = /^(?:\$|usd|us\$|dollars?|bucks?|us)$/;
/** Currencies the bank cannot send: refused with a clear sentence rather than read as dollars. */
const FOREIGN_NAMES =
  'eur|euros?|gbp|pounds?|quid|yen|jpy|inr|rupees?|cad|aud|chf|btc|bitcoins?|eth|ether|pesos?|francs?|' +
  'yuan|rmb|won|rand|lira|reais|krona|kronor|zloty|naira|dirhams?|baht|sats';
const FOREIGN = new RegExp(`(?:[€£¥₹]|\\b(?:${FOREIGN_NAMES})\\b)`);

/** True when the phrase names a currency the bank cannot send. */
export function isForeignCurrency(text: string): boolean {
  return FOREIGN.test(text.toLowerCase());
}

/** True when the words could be an amount: a digit or a number word, so "pay the rent" is not read as one. */
export function looksLikeAmount(text: string): boolean {
  return /\d/.test(text) || text.split(/[\s-]+/).some((word) => NUMBER_WORD.test(word));
}

/**
 * Reads the amount phrase of a transfer. Several amounts in one phrase are accepted only when
 * they agree ("6000 (six thousand)"); otherwise the reading is a question naming both.
 */
export function readAmount(phrase: string): AmountReading {
  const shown = quote(phrase.trim());
  const text = phrase.trim().toLowerCase();
  if (FOREIGN.test(text))
    return {
      ok: false,
      problem: `I can only send US dollars; ${shown} is another currency. How much is it in dollars?`,
    };
  if (/^(?:\$\s*)?[-(−]|^-\s*\$/.test(text)) return { ok: false, problem: `The amount ${shown} must be positive.` };
  const chunks = amountChunks(text);
  if (chunks === undefined || chunks.length === 0) {
    if (!looksLikeAmount(text)) return { ok: false, problem: `The amount ${shown} is not a number; ${FORMAT_HINT}.` };
    return {
      ok: false,
      problem: `I could not read the amount ${shown}; how much should I send? Please ${FORMAT_HINT}.`,
    };
  }
  const readings = chunks.map(readChunk);
  const problem = readings.find((r) => !r.ok);
  if (problem) return problem;
  const amounts = [...new Set(readings.map((r) => (r.ok ? r.cents : 0)))];
  if (amounts.length > 1) {
    const options = amounts.map(formatUsd);
    return {
      ok: false,
      problem:
        `${shown} names more than one amount: ` +
        `did you mean ${options.slice(0, -1).join(', ')} or ${options.at(-1)}?`,
    };
  }
  return checked(amounts[0]!, shown);
}

/**
 * Splits the phrase into amount chunks: each numeric token (with its k/grand/thousand) or run of
 * number words is one chunk; currency words are dropped; anything else makes it unreadable.
 */
function amountChunks(text: string): string[] | undefined {
  const tokens = text
    .replace(/\((.*)\)/g, ' $1 ')
    .replace(/(\d)\s*([km])\b/g, '$1$2')
    .replace(/\$/g, ' $ ')
    .split(/\s+/)
    .filter((t) => t !== '' && !DOLLAR_WORDS.test(t) && t !== 'of' && t !== 'or');
  const chunks: string[] = [];
  let words: string[] = [];
  const flushWords = () => {
    if (words.length > 0) chunks.push(words.join(' '));
    words = [];
  };
  for (const token of tokens) {
    if (/\d/.test(token)) {
      flushWords();
      chunks.push(token);
    } else if (
      ['hundred', 'thousand', 'grand', 'million'].includes(token) &&
      chunks.length > 0 &&
      words.length === 0 &&
      /^[\d.,]+$/.test(chunks.at(-1)!)
    ) {
      chunks.push(`${chunks.pop()!} ${token}`);
    } else if (token === 'and' && words.length > 0) {
      words.push(token);
    } else if (token === 'a' || token === 'an' || token.split('-').every((w) => NUMBER_WORD.test(w))) {
      words.push(...token.split('-'));
    } else {
      return undefined;
    }
  }
  flushWords();
  return chunks;
}

function readChunk(chunk: string): AmountReading {
  const shown = quote(chunk);
  if (/\d/.test(chunk)) return readDigits(chunk, shown);
  const value = readWords(chunk.split(' '));
  if (value === undefined)
    return {
      ok: false,
      problem: `I could not read ${shown} as one amount; how much should I send? Please ${FORMAT_HINT}.`,
    };
  return { ok: true, cents: value * 100 };
}

/** "6000", "1,250.50", "6k", "1.5k", "5 grand", "2 thousand": digits with an optional multiplier. */
function readDigits(chunk: string, shown: string): AmountReading {
  const match = /^([\d.,]+)\s*(k|m|grand|thousand|hundred|million)?$/.exec(chunk);
  if (!match)
    return {
      ok: false,
      problem: `I could not read the amount ${shown}; how much should I send? Please ${FORMAT_HINT}.`,
    };
  const [, number, scaleWord] = match as unknown as [string, string, string | undefined];
  const ambiguity = separatorAmbiguity(number, shown, scaleWord !== undefined);
  if (ambiguity) return ambiguity;
  if (scaleWord === undefined) return plainDigits(number, shown);
  const scaled = scaleDecimal(number, SCALES[scaleWord]!);
  if (scaled === undefined)
    return {
      ok: false,
      problem: `The amount ${shown} is not a whole number of cents; how much exactly should I send?`,
    };
  return { ok: true, cents: scaled };
}

function plainDigits(number: string, shown: string): AmountReading {
  const cents = parseMoneyToCents(number);
  if (cents !== undefined) return { ok: true, cents };
  if (/^\d{13,}(?:\.\d{1,2})?$/.test(number.replaceAll(',', ''))) return { ok: false, problem: tooLarge(shown) };
  return { ok: false, problem: `I could not read the amount ${shown}; how much should I send? Please ${FORMAT_HINT}.` };
}

/**
 * Separators that could be read two ways: "6,00" (six dollars, or six hundred?), "1.234" (one
 * dollar and a fraction, or 1,234?), "1.2.3", "1,2345". Each gets a question, never a guess.
 */
function separatorAmbiguity(number: string, shown: string, scaled: boolean): AmountReading | undefined {
  const ask = (a: string, b: string) => ({
    ok: false as const,
    problem: `The amount ${shown} is ambiguous: did you mean ${a} or ${b}?`,
  });
  const decimalComma = /^(\d{1,3}),(\d{1,2})$/.exec(number);
  if (decimalComma) {
    const [, whole, part] = decimalComma as unknown as [string, string, string];
    return ask(formatUsd(Number(whole) * 100 + Number(part.padEnd(2, '0'))), formatUsd(Number(whole + part) * 100));
  }
  const thousandsDot = scaled ? null : /^(\d{1,3})\.(\d{3})$/.exec(number);
  if (thousandsDot) {
    const [, whole, part] = thousandsDot as unknown as [string, string, string];
    return {
      ok: false,
      problem:
        `The amount ${shown} has more than two decimals: did you mean ${formatUsd(Number(whole + part) * 100)}? ` +
        'Amounts are dollars and cents.',
    };
  }
  if (!scaled && /^[\d,]*\.\d{3,}$/.test(number))
    return {
      ok: false,
      problem:
        `The amount ${shown} has more than two decimals; amounts are dollars and cents. ` +
        'How much exactly should I send?',
    };
  if (
    (number.match(/\./g) ?? []).length > 1 ||
    /[.,]{2}|^[.,]|[.,]$/.test(number) ||
    /,\d{4,}|,\d{1,2}(?=,)/.test(number)
  ) {
    return {
      ok: false,
      problem: `I cannot tell which amount ${shown} means; how much should I send? Please ${FORMAT_HINT}.`,
    };
  }
  return undefined;
}

/** `number` × `scale` in cents, exactly (no floating point); undefined below a cent. */
function scaleDecimal(number: string, scale: number): number | undefined {
  const match = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(number.replaceAll(',', ''));
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  const units = BigInt(match[1]! + fraction) * BigInt(scale) * 100n;
  const divisor = 10n ** BigInt(fraction.length);
  if (units % divisor !== 0n) return undefined;
  const cents = units / divisor;
  return cents > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cents);
}

/**
 * "six thousand five hundred", "two hundred and fifty", "a thousand", "twelve hundred"; undefined
 * if the words do not compose.
 */
function readWords(words: readonly string[]): number | undefined {
  let total = 0;
  let group = 0;
  let last: 'start' | 'unit' | 'tens' | 'hundred' | 'scale' | 'and' = 'start';
  for (const [index, word] of words.entries()) {
    if ((word === 'a' || word === 'an') && index === 0) {
      group = 1;
      last = 'unit';
    } else if (word === 'and') {
      if (last !== 'hundred' && last !== 'scale') return undefined;
      last = 'and';
    } else if (word in UNIT_WORDS) {
      if (
        last === 'unit' ||
        (last === 'tens' && UNIT_WORDS[word]! >= 10) ||
        (last === 'tens' && UNIT_WORDS[word] === 0)
      )
        return undefined;
      group += UNIT_WORDS[word]!;
      last = 'unit';
    } else if (word in TENS) {
      if (last === 'unit' || last === 'tens') return undefined;
      group += TENS[word]!;
      last = 'tens';
    } else if (word === 'hundred') {
      if (last !== 'unit' && last !== 'tens') return undefined;
      group *= 100;
      last = 'hundred';
    } else if (word in SCALES) {
      if (last === 'start' || last === 'and' || last === 'scale') return undefined;
      total += group * SCALES[word]!;
      group = 0;
      last = 'scale';
    } else {
      return undefined;
    }
  }
  if (last === 'and' || last === 'start') return undefined;
  return total + group;
}

function checked(cents: number, shown: string): AmountReading {
  if (cents === 0) return { ok: false, problem: `The amount ${shown} must be greater than zero.` };
  if (cents > MAX_AMOUNT_CENTS) return { ok: false, problem: tooLarge(shown) };
  return { ok: true, cents };
}

function tooLarge(shown: string): string {
  return `The amount ${shown} is more than the largest transfer allowed (${formatUsd(MAX_AMOUNT_CENTS)}).`;
}
