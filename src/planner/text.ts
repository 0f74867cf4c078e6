/** Text helpers for the rule-based planner: clause splitting, filler words, small numbers, dates. */

export interface Clause {
  /** As the user wrote it, for messages. */
  original: string;
  /** Lowercased, single-spaced, without polite fillers or closing punctuation: what the rules match. */
  text: string;
}

// A comma directly followed by a digit is a thousands separator ("$1,250.50"), not a clause break.
const SEPARATOR = /\s*(?:;|,(?!\d)|[.!?]\s+|\s&\s|\band then\b|\bthen\b|\band\b)\s*/i;
const LEADING_FILLER = new RegExp(
  // Longer phrases first: the first alternative that matches is kept.
  '^(?:(?:would you mind|would you be able to|are you able to|is it possible to|can you|could you|would you|will you|' +
    "i want you to|i'd like you to|i would like you to|i need you to|i want to|i wanna|i'd like to|i would like to|" +
    "i'd love to|i need to|help me|let's|lets|go ahead and|can i|could i|may i|please|pls|plz|kindly|also|and|then|" +
    'just|hi|hello|hey|ok|okay|so)[\\s,]+)+',
);
const TRAILING_FILLER = /(?:\s+(?:please|pls|thanks|thank you|thx|ty|cheers|for me|now|right now|asap))+$/;
const CLOSING_PUNCTUATION = /[\s.,!?;:]+$/;
// "Hi, transfer 6000 to Kiran, thanks": greetings and thanks are politeness, not something to do.
// "Never mind, cancel it": the aside before the request is not a request of its own.
const COURTESY = new RegExp(
  '^(?:(?:hi|hello|hey|thanks|thank you|thx|please|ok|okay|go ahead)(?: there| a lot| so much)?|never ?mind|nvm|' +
    "forget it|oops|sorry|actually|wait|hold on|hmm|ugh|(?:i )?changed my mind|i've changed my mind)$",
);

// "two hundred and fifty" is one amount, not two clauses.
const NUMBER_AND = new RegExp(
  '\\b(hundred|thousand|million)\\s+and\\s+(?=(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|' +
    'thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|' +
    'ninety)\\b)',
  'gi',
);

/** The message as its clauses' `original` texts are cut from it. */
export function normaliseMessage(message: string): string {
  // Texting shorthand reads as the words it stands for: "could u send", "ur balance".
  return message
    .replace(/[\u2018\u2019]/g, "'")
    .replace(NUMBER_AND, '$1 ')
    .replace(/\bu\b/gi, 'you')
    .replace(/\bur\b/gi, 'your');
}

export function splitClauses(message: string): Clause[] {
  const clauses: Clause[] = [];
  const normalised = normaliseMessage(message);
  for (const part of normalised.split(SEPARATOR)) {
    const original = part.trim().replace(CLOSING_PUNCTUATION, '');
    const text = original
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(LEADING_FILLER, '')
      .replace(TRAILING_FILLER, '')
      .replace(CLOSING_PUNCTUATION, '')
      .trim();
    // A separator next to another ("..., and plan") leaves an empty part; it is not a clause.
    if (text !== '' && !COURTESY.test(text)) clauses.push({ original, text });
  }
  return clauses;
}

/** English number words up to nineteen: the one table that amounts and counts both read. */
export const UNIT_WORDS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};

/** Words a count may be written as ("a week", "twice"); a count's regex (COUNT) decides which reach here. */
const NUMBER_WORDS: Readonly<Record<string, number>> = { ...UNIT_WORDS, a: 1, an: 1, once: 1, twice: 2, thrice: 3 };

/** Regex source for a small count written as digits or a word ("2", "two", "a"). */
export const COUNT = '(\\d{1,6}|an?|one|two|three|four|five|six|seven|eight|nine|ten)';

export function readCount(word: string | undefined, fallback: number): number {
  if (word === undefined) return fallback;
  return NUMBER_WORDS[word] ?? Number(word);
}

/** Describes a count outside [min, max], or undefined when it fits. */
export function countProblem(count: number, min: number, max: number, what: string): string | undefined {
  if (count < min) return `The number of ${what} must be at least ${min}, not ${count}.`;
  if (count > max) return `The number of ${what} must be at most ${max}, not ${count}.`;
  return undefined;
}

/**
 * Monday of the ISO week containing `today` (YYYY-MM-DD), moved by `weeksAhead` weeks.
 * Pure calendar arithmetic on the caller's date, so a replayed workflow gets the same answer.
 */
export function mondayOf(today: string, weeksAhead: number): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  // Date.UTC rolls 2025-02-30 over to March and maps years below 100 to the 1900s; neither is a real date here.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(time + (weeksAhead * 7 - daysSinceMonday) * 86_400_000).toISOString().slice(0, 10);
}

/** Keeps quoted user text in messages readable when someone pastes a page of it. */
export function quote(text: string, max = 80): string {
  return `"${text.length > max ? `${text.slice(0, max - 3)}...` : text}"`;
}
