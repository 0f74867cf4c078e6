/**
 * Slot filling: for the intent the classifier chose, the entities of the clause (amount, recipient,
 * counts, dates, request ids, job kinds) written back as the one canonical clause the strict rules
 * read ("send $40 to bob", "show my last 3 transfers this week", "schedule gym 3x next week").
 * Every word of an entity is taken from the message, so a plan can never name what was not written.
 */
import type { Intent } from './corpus.js';
import { readTransferFrame } from './transfer-frame.js';

const COUNT_WORDS: Record<string, string> = {
  one: '1',
  a: '1',
  an: '1',
  once: '1',
  two: '2',
  twice: '2',
  couple: '2',
  three: '3',
  thrice: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
};
const COUNT = '(\\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)';
// A workflow id has letters and at least one digit, like the rules' RUN_ID.
const RUN_ID = /(?:^|\s)#?((?=[a-z0-9._:@+-]*\d)(?=[a-z0-9._:@+-]*[a-z])[a-z0-9][a-z0-9._:@+-]{2,127})(?=$|[\s?!.,])/i;
const PERIOD = new RegExp(
  '\\b(?:since\\s+(\\d{4}-\\d{2}-\\d{2}|yesterday|today|last (?:week|month)|this (?:week|month))' +
    '|(today|yesterday|(?:this|last) (?:week|month)))\\b',
);

function count(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  return COUNT_WORDS[word] ?? word;
}

/** A count next to one of the nouns it counts: "3 times", "last 5 transfers", "twice". */
function countBefore(clause: string, nouns: string): string | undefined {
  const match = new RegExp(`\\b${COUNT}\\s*(?:x\\b|(?:[a-z-]+\\s+){0,2}?(?:${nouns}))`).exec(clause);
  if (match) return count(match[1]);
  const word = /\b(once|twice|thrice)\b/.exec(clause);
  return count(word?.[1]);
}

function history(clause: string): string {
  const limit =
    countBefore(clause, 'transfers?|payments?|transactions?|things|times') ?? /\blast\s+(\d{1,3})\b/.exec(clause)?.[1];
  const period = PERIOD.exec(clause);
  // A "since" the rules cannot read stays in, so that they ask "Since when?".
  const unread = period === null ? /\bsince\s+(\S+)/.exec(clause)?.[1] : undefined;
  const since =
    period?.[1] !== undefined
      ? ` since ${period[1]}`
      : period?.[2] !== undefined
        ? ` ${period[2]}`
        : unread !== undefined
          ? ` since ${unread}`
          : '';
  return `show my ${limit === undefined ? '' : `last ${limit} `}transfers${since}`;
}

const REQUEST_WORD = new RegExp(
  '^(?:requests?|transfers?|payments?|runs?|orders?|applications?|last|latest|previous|recent|most|one|thing|' +
    'money|transaction|status|state|progress|update|news)$',
);

/**
 * The run id as written (ids are case-sensitive), or the last request; undefined when the clause is
 * about something that is not one of the user's requests ("cancel my subscription").
 */
function target(clause: string, original: string): string | undefined {
  const id = RUN_ID.exec(original)?.[1];
  if (id !== undefined) return id;
  const owned = [...clause.matchAll(/\b(?:my|the|our|that|this)\s+([a-z]+)/g)].map((match) => match[1]!);
  if (owned.some((noun) => !REQUEST_WORD.test(noun))) return undefined;
  return 'my last request';
}

const JOB_NOUN = /^(?:jobs?|roles?|positions?|openings?|vacancies|listings?|work|engineer(?:ing)?|developer|dev)$/;
const NOT_KIND =
  /^(?:a|an|the|some|any|me|my|for|of|as|to|at|job|more|few|new|good|open|out|there|cv|resume|applications?|apply)$/;

/** "3 rust roles" → 3 and "rust"; "find me work as a python engineer" → "python". */
function jobSlots(clause: string): { n: string; kind: string } {
  const words = clause.split(/\s+/).map((w) => w.replace(/[?!.,]+$/, ''));
  const noun = words.findIndex((w, i) => JOB_NOUN.test(w) && i > 0);
  let kind = '';
  for (let i = noun - 1; i >= 0 && noun > 0; i -= 1) {
    const word = words[i]!;
    if (JOB_NOUN.test(word) || /^job$/.test(word)) continue;
    if (NOT_KIND.test(word) || new RegExp(`^${COUNT}$`).test(word) || !/^[a-z][a-z0-9+#.-]*$/.test(word)) break;
    kind = word;
    break;
  }
  const after = /\bjob search for ([a-z][a-z0-9+#.-]*)/.exec(clause)?.[1];
  const n = /\b(?:some|a few|several)\b/.test(clause)
    ? undefined
    : countBefore(
        clause,
        'jobs?|roles?|positions?|openings?|vacancies|listings?|[a-z+#.-]+ (?:engineer|developer|dev)',
      );
  return { n: n ?? (/\b(?:a|an)\b/.test(clause) ? '1' : '1'), kind: kind || after || '' };
}

function jobs(clause: string, verb: 'find' | 'apply to'): string {
  const { n, kind } = jobSlots(clause);
  return `${verb} ${n} ${kind === '' ? '' : `${kind} `}jobs`;
}

function gym(clause: string): string {
  const n = countBefore(clause, 'times?|days?|sessions?|workouts?|visits?|classes|training') ?? '1';
  const week = /\bnext week\b/.test(clause) ? 'next' : 'this';
  return `schedule gym ${n}x ${week} week`;
}

const GROCERY_FOR = new RegExp(
  `\\bfor (?:(?:a|the|this|next) week|(?:my|the|our) family|a family of ${COUNT}|` +
    `${COUNT}(?: people| persons| adults| of us| days?| weeks?)?)\\b`,
  'g',
);

/** Undefined when a "for ..." names something groceries are not planned by ("for the dog"). */
function groceries(clause: string): string | undefined {
  if (/\bfor\b/.test(clause.replace(GROCERY_FOR, ''))) return undefined;
  const people =
    new RegExp(`\\bfamily of ${COUNT}\\b`).exec(clause)?.[1] ??
    new RegExp(`\\bfor ${COUNT}(?: people| persons| adults| of us)?\\b(?! days?| weeks?)`).exec(clause)?.[1];
  const days = new RegExp(`\\b${COUNT} days?\\b`).exec(clause)?.[1];
  const weeks = new RegExp(`\\b${COUNT} weeks?\\b`).exec(clause)?.[1];
  let text = 'plan groceries';
  if (people !== undefined) text += ` for ${count(people)} people`;
  if (days !== undefined) text += ` for ${count(days)} days`;
  else if (weeks !== undefined) text += ` for ${count(weeks)} weeks`;
  return text;
}

/**
 * The canonical clause for `intent`, or undefined when the clause lacks what the intent needs
 * (a transfer with no amount or no recipient). `clause` is lowercased; `original` keeps case for ids.
 */
export function canonicalClause(intent: Intent, clause: string, original: string): string | undefined {
  switch (intent) {
    case 'transfer': {
      const frame = readTransferFrame(clause);
      return frame && `send ${frame.amount} to ${frame.recipient}`;
    }
    case 'balance':
      return 'what is my balance';
    case 'history':
      return history(clause);
    case 'status': {
      const run = target(clause, original);
      return run && `status of ${run}`;
    }
    case 'pending':
      return 'what am i waiting for';
    case 'cancel': {
      const run = target(clause, original);
      return run && `cancel ${run}`;
    }
    case 'job_search':
      return jobs(clause, 'find');
    case 'job_apply':
      return jobs(clause, 'apply to');
    case 'gym':
      return gym(clause);
    case 'groceries':
      return groceries(clause);
    case 'none':
      return undefined;
  }
}
