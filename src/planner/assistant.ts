/**
 * Questions about the user's own things, and cancelling a request: "what is my balance?", "show my
 * last 5 transfers", "status of my last request", "what am I waiting for?", "cancel my last
 * request". Each is one step whose tool reads (L0) or cancels one of the user's own runs (L1).
 */
import type { PlanStep } from '../shared/contracts.js';
import type { AssistantTool } from '../shared/planner-contracts.js';
import type { ClauseResult, PlannerContext } from './clause.js';
import { COUNT, countProblem, mondayOf, readCount } from './text.js';

const SHOW =
  "(?:(?:show|list|get|give|tell|see|display|view|check|fetch|read|what(?:'s| is| are| were)?)(?:\\s+me)?\\s+)?";
const MY = '(?:(?:my|our|the)\\s+)?';

const BALANCE = [
  new RegExp(
    `^${SHOW}${MY}(?:(?:current|account|bank|available|checking)\\s+)*balances?` +
      '(?:\\s+(?:of|in|on|for)\\s+my\\s+account)?$',
  ),
  /^how much(?: money)? (?:do i have|have i got|is (?:in|on) my account|is left|do i have left|is in the account)$/,
  /^(?:what(?:'s| is) )?in my account$/,
];

const TRANSFER_NOUN =
  '(?:transfers?|transactions?|payments?|(?:transfer|transaction|payment|account)\\s+history|history|statement)';
// "since monday", "from last week", "this month", "yesterday": its two groups are a start and a named period.
const HISTORY_PERIOD =
  '(?:\\s+(?:since|from|after)\\s+(\\S+(?:\\s+(?:week|month))?)|\\s+((?:this|last) (?:week|month)|today|yesterday))?$';
const HISTORY = new RegExp(
  `^${SHOW}${MY}(?:(last|latest|recent|most recent|past|previous)\\s+)?(?:${COUNT}\\s+)?` +
    `(?:(?:recent|bank|money|outgoing)\\s+)?${TRANSFER_NOUN}${HISTORY_PERIOD}`,
);
const SENT = new RegExp(
  '^(?:what|who) (?:did i|have i) (?:send|sent|transfer|transferred|pay|paid)(?: (?:recently|lately))?' +
    HISTORY_PERIOD,
);
const MAX_HISTORY = 50;
const DEFAULT_HISTORY = 10;

// A workflow id: letters, digits and . _ : @ + -, with at least one digit (so words are never ids).
const RUN_ID = '((?=[a-z0-9._:@+-]*\\d)[a-z0-9][a-z0-9._:@+-]{2,127})';
const LAST_REQUEST =
  `(?:${MY}(?:last|latest|previous|most recent|recent)\\s+` +
  '(?:request|run|transfer|order|one|job application|application)|that|it|this)';
const NAMED_REQUEST = `(?:(?:request|run|workflow)\\s+(?:id\\s+)?)?#?${RUN_ID}`;
const STATUS = [
  new RegExp(`^${SHOW}(?:the\\s+)?(?:status|state|progress)\\s+(?:of|on|for)\\s+(?:${LAST_REQUEST}|${NAMED_REQUEST})$`),
  new RegExp(
    "^(?:what happened (?:to|with)|how is|how's|where is|where's|check on|any news on|any update on)\\s+" +
      `(?:${LAST_REQUEST}|${NAMED_REQUEST})(?:\\s+going)?$`,
  ),
  new RegExp(`^(?:is|did)\\s+${LAST_REQUEST}\\s+(?:done|finished|complete|completed|through|go through|approved)$`),
  new RegExp(`^${MY}(?:last\\s+)?request\\s+status$`),
];
const CANCEL = [new RegExp(`^(?:cancel|stop|abort|call off|withdraw|revoke)\\s+(?:${LAST_REQUEST}|${NAMED_REQUEST})$`)];
const PENDING = [
  /^what (?:am i|are we) (?:still )?waiting (?:for|on)$/,
  new RegExp(`^${SHOW}${MY}(?:pending|open|outstanding|waiting)\\s+(?:approvals?|requests?|transfers?)$`),
  new RegExp(
    "^(?:what(?:'s| is)|anything|is anything|are any of my requests|which of my requests (?:are|is)) (?:still )?" +
      '(?:pending|waiting for (?:an )?approval|awaiting approval|needing approval)$',
  ),
  /^(?:which|what) (?:of my )?requests? (?:need|needs|are waiting for|is waiting for) approval$/,
];

export function parseAssistant(clause: string, ctx: PlannerContext, original = clause): ClauseResult | undefined {
  if (BALANCE.some((re) => re.test(clause)))
    return withAccount(ctx, (account) => step('account_balance', 'Read my balance', { account_id: account }));
  const listed = HISTORY.exec(clause);
  if (listed) return historyStep(listed, 'list', ctx);
  const sent = SENT.exec(clause);
  if (sent) return historyStep(sent, 'sent', ctx);
  for (const re of STATUS) {
    const match = re.exec(clause);
    if (match) return runStep('request_status', 'Read the status of', match, original);
  }
  for (const re of CANCEL) {
    const match = re.exec(clause);
    if (match) return runStep('cancel_request', 'Cancel', match, original);
  }
  if (PENDING.some((re) => re.test(clause)))
    return { kind: 'steps', steps: [step('pending_approvals', 'List my requests waiting for approval', {})] };
  return undefined;
}

function historyStep(match: RegExpExecArray, form: 'list' | 'sent', ctx: PlannerContext): ClauseResult {
  const [count, sinceWord, period] = form === 'list' ? [match[2], match[3], match[4]] : [undefined, match[1], match[2]];
  const limit = readCount(count, DEFAULT_HISTORY);
  const problem = countProblem(limit, 1, MAX_HISTORY, 'transfers to show');
  if (problem) return { kind: 'error', message: problem };
  const since = sinceWord ?? period;
  const from = since === undefined ? undefined : sinceDate(since, ctx.today);
  if (since !== undefined && from === undefined) {
    return {
      kind: 'error',
      message: `Since when? I read dates like 2025-11-01, "yesterday", "this week" or "last month", not "${since}".`,
    };
  }
  return withAccount(ctx, (account) =>
    step('transfer_history', from ? `List my transfers since ${from}` : `List my last ${limit} transfers`, {
      account_id: account,
      limit: from && count === undefined ? MAX_HISTORY : limit,
      ...(from && { since: from }),
    }),
  );
}

/** A YYYY-MM-DD for "2025-11-01", "today", "yesterday", "this week", "last week", "this month", "last month". */
export function sinceDate(word: string, today: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(word)) return mondayOf(word, 0) === undefined ? undefined : word;
  const monday = mondayOf(today, 0);
  if (monday === undefined) return undefined;
  switch (word) {
    case 'today':
      return today;
    case 'yesterday':
      return new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    case 'this week':
      return monday;
    case 'last week':
      return mondayOf(today, -1);
    case 'this month':
      return `${today.slice(0, 7)}-01`;
    case 'last month': {
      const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
      return new Date(Date.UTC(year, month - 2, 1)).toISOString().slice(0, 10);
    }
    default:
      return undefined;
  }
}

/** The named run keeps the case it was written in (workflow ids are case-sensitive). */
function runStep(
  tool: 'request_status' | 'cancel_request',
  verb: string,
  match: RegExpExecArray,
  original: string,
): ClauseResult {
  const named = match.slice(1).find((group) => group !== undefined);
  if (named === undefined) return { kind: 'steps', steps: [step(tool, `${verb} my last request`, {})] };
  const escaped = named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const workflowId = new RegExp(escaped, 'i').exec(original)?.[0] ?? named;
  return { kind: 'steps', steps: [step(tool, `${verb} request ${workflowId}`, { workflow_id: workflowId })] };
}

function withAccount(ctx: PlannerContext, build: (account: string) => PlanStep): ClauseResult {
  if (ctx.from_account === undefined) {
    return { kind: 'error', message: `No account found for user ${ctx.user_id}; link an account to this user first.` };
  }
  return { kind: 'steps', steps: [build(ctx.from_account)] };
}

function step(tool: AssistantTool, name: string, args: Record<string, unknown>): PlanStep {
  return { id: tool, name, tool, args, risk_level: tool === 'cancel_request' ? 'L1' : 'L0', depends_on: [] };
}
