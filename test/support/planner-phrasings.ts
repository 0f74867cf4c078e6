/**
 * Everyday phrasings the planner must understand, each with the plan it must give, or the refusal it
 * must say (test/unit/planner-phrasings.test.ts checks them). Ambiguous amounts are refused with a
 * question, never guessed.
 */
import type { ToolName } from '../../src/shared/contracts.js';
import type { PlannerContext } from '../../src/planner/planner.js';

// 2025-11-19 is a Wednesday: this week starts 2025-11-17.
export const ctx: PlannerContext = { user_id: 'default_user', today: '2025-11-19', from_account: '123' };

export interface Planned {
  intent: string;
  tools: ToolName[];
  /** Arguments every step of the given tool must carry (a subset). */
  args?: Partial<Record<ToolName, Record<string, unknown>>>;
}
export type Expected = Planned | { refusal: RegExp; question: boolean };

export const send = (amount_cents: number, to_account: string): Planned => ({
  intent: 'money_transfer',
  tools: ['bank_transfer'],
  args: { bank_transfer: { from_account: '123', to_account, amount_cents } },
});
export const applyTo = (query: string, count: number): Planned => ({
  intent: 'life_os',
  tools: ['job_search', 'cv_tailor', 'job_submit'],
  args: { job_search: { query, count }, cv_tailor: { count }, job_submit: { count } },
});
export const balance: Planned = {
  intent: 'balance',
  tools: ['account_balance'],
  args: { account_balance: { account_id: '123' } },
};
export const history = (limit: number, since?: string): Planned => ({
  intent: 'transfer_history',
  tools: ['transfer_history'],
  args: { transfer_history: { account_id: '123', limit, ...(since !== undefined && { since }) } },
});
export const status = (workflow_id?: string): Planned => ({
  intent: 'request_status',
  tools: ['request_status'],
  args: { request_status: workflow_id === undefined ? {} : { workflow_id } },
});
export const pending: Planned = {
  intent: 'pending_approvals',
  tools: ['pending_approvals'],
  args: { pending_approvals: {} },
};
export const cancel = (workflow_id?: string): Planned => ({
  intent: 'cancel_request',
  tools: ['cancel_request'],
  args: { cancel_request: workflow_id === undefined ? {} : { workflow_id } },
});
/** A refusal that asks the user something (ends with a question mark). */
export const ask = (refusal: RegExp): Expected => ({ refusal, question: true });
export const refuse = (refusal: RegExp): Expected => ({ refusal, question: false });

/** Several phrasings that must all give one answer. */
export const sameAnswer = (expected: Expected, messages: string[]): [string, Expected][] =>
  messages.map((message) => [message, expected]);

export const PHRASINGS: [string, Expected][] = [
  // Amounts with k, words, currency words and symbols
  ['Can you transfer 6k to Kiran?', send(600_000, 'kiran')],
  ['transfer 6K to kiran', send(600_000, 'kiran')],
  ['send 1.5k to bob', send(150_000, 'bob')],
  ['send 1.5K to bob', send(150_000, 'bob')],
  ['send 2.25k to bob', send(225_000, 'bob')],
  ['send 1.505k to bob', send(150_500, 'bob')],
  ['transfer $6k to kiran', send(600_000, 'kiran')],
  ['transfer 6k$ to kiran', send(600_000, 'kiran')],
  ['transfer 6 k to kiran', send(600_000, 'kiran')],
  ['transfer 6k dollars to kiran', send(600_000, 'kiran')],
  ['transfer 6k usd to kiran', send(600_000, 'kiran')],
  ['transfer USD 6,000 to kiran', send(600_000, 'kiran')],
  ['transfer usd 6000 to kiran', send(600_000, 'kiran')],
  ['transfer 6000 USD to kiran', send(600_000, 'kiran')],
  ['transfer US$ 6000 to kiran', send(600_000, 'kiran')],
  ['transfer 6000$ to kiran', send(600_000, 'kiran')],
  ['transfer $ 6000 to kiran', send(600_000, 'kiran')],
  ['send 20 bucks to bob', send(2_000, 'bob')],
  ['send 1 buck to bob', send(100, 'bob')],
  ['send 20 dollars to bob', send(2_000, 'bob')],
  ['send 1 dollar to bob', send(100, 'bob')],
  ['send six thousand to kiran', send(600_000, 'kiran')],
  ['send six thousand dollars to kiran', send(600_000, 'kiran')],
  ['Transfer Six Thousand to Kiran', send(600_000, 'kiran')],
  ['send two hundred and fifty dollars to alice', send(25_000, 'alice')],
  ['send two hundred fifty to alice', send(25_000, 'alice')],
  [
    'send two hundred and fifty to alice and plan groceries',
    { intent: 'life_os', tools: ['bank_transfer', 'grocery_plan'], args: { bank_transfer: { amount_cents: 25_000 } } },
  ],
  ['send twenty-five dollars to bob', send(2_500, 'bob')],
  ['send twenty five dollars to bob', send(2_500, 'bob')],
  ['send a thousand to bob', send(100_000, 'bob')],
  ['send a hundred bucks to bob', send(10_000, 'bob')],
  ['send one hundred to bob', send(10_000, 'bob')],
  ['send twelve hundred to bob', send(120_000, 'bob')],
  ['send fifteen hundred dollars to bob', send(150_000, 'bob')],
  ['send six thousand five hundred to kiran', send(650_000, 'kiran')],
  ['send ten thousand to kiran', send(1_000_000, 'kiran')],
  ['send ninety-nine dollars to bob', send(9_900, 'bob')],
  ['send one thousand two hundred and thirty four to bob', send(123_400, 'bob')],
  ['transfer one million to bob', send(100_000_000, 'bob')],
  ['give bob five grand', send(500_000, 'bob')],
  ['wire 5 grand to bob', send(500_000, 'bob')],
  ['send 2 thousand to bob', send(200_000, 'bob')],
  ['send 1.5 thousand to bob', send(150_000, 'bob')],
  ['pay kiran 6K', send(600_000, 'kiran')],
  ['pay kiran six thousand', send(600_000, 'kiran')],
  ['pay bob $1.5k', send(150_000, 'bob')],
  ['give alice 20 bucks', send(2_000, 'alice')],
  ['send 6000 (six thousand) to kiran', send(600_000, 'kiran')],
  ['send 2,500.75 to kiran', send(250_075, 'kiran')],
  ['send $0.50 to bob', send(50, 'bob')],
  ['send 12,345,678 to bob', refuse(/^The amount "12,345,678" is more than the largest transfer allowed/)],
  ['transfer 4,999.99 dollars to kiran', send(499_999, 'kiran')],
  ['transfer 5k to kiran', send(500_000, 'kiran')],
  ['send over 300 to bob', send(30_000, 'bob')],
  ['send 300 over to bob', send(30_000, 'bob')],
  // Polite and question forms
  ['could you please send 1.5k to bob', send(150_000, 'bob')],
  ['Could you please send $250 to alice?', send(25_000, 'alice')],
  ["I'd like to send six thousand dollars to kiran", send(600_000, 'kiran')],
  ['I\u2019d like to transfer 100 to bob', send(10_000, 'bob')],
  ['I would like to pay bob 40', send(4_000, 'bob')],
  ['i need to pay bob 40 dollars', send(4_000, 'bob')],
  ['I want to send 10 to alice', send(1_000, 'alice')],
  ['i wanna send 10 to alice', send(1_000, 'alice')],
  ['Would you mind sending 300 to bob?', send(30_000, 'bob')],
  ['would you be able to transfer 300 to bob?', send(30_000, 'bob')],
  ['is it possible to wire 300 to bob?', send(30_000, 'bob')],
  ['can you please send 5 to bob', send(500, 'bob')],
  ['please could you send 5 to bob', send(500, 'bob')],
  ['pls send 5 to bob', send(500, 'bob')],
  ['plz send 5 to bob thx', send(500, 'bob')],
  ['hey, send 5 to bob', send(500, 'bob')],
  ['Hello! Can you send 5 to bob? Thanks!', send(500, 'bob')],
  ['ok so send 5 to bob', send(500, 'bob')],
  ['go ahead and send 5 to bob', send(500, 'bob')],
  ['just send 5 to bob please', send(500, 'bob')],
  ["could you kindly transfer $75 to kiran's account", send(7_500, 'kiran')],
  ['I want you to send 75 to kiran', send(7_500, 'kiran')],
  ["i'd like you to send 75 to kiran asap", send(7_500, 'kiran')],
  ['can you pay kiran 6k?', send(600_000, 'kiran')],
  // Ambiguous or unusable amounts: refused, with a question where a choice would be a guess
  ['transfer 6,00 to kiran', ask(/^The amount "6,00" is ambiguous: did you mean \$6\.00 or \$600\.00\?$/)],
  ['send 1,5 to bob', ask(/did you mean \$1\.50 or \$15\.00\?$/)],
  ['send 12,50 to bob', ask(/did you mean \$12\.50 or \$1,250\.00\?$/)],
  ['send 1.2.3 to bob', ask(/^I cannot tell which amount "1\.2\.3" means; how much should I send\?/)],
  ['send 1,2345 to bob', ask(/^I cannot tell which amount "1,2345" means/)],
  ['send 1,25,000 to bob', ask(/^I cannot tell which amount "1,25,000" means/)],
  ['send ,5 to bob', ask(/^I cannot tell which amount ",5" means/)],
  ['transfer 6.000 to kiran', ask(/^The amount "6\.000" has more than two decimals: did you mean \$6,000\.00\?/)],
  [
    'send 1.2345 to bob',
    ask(
      /^The amount "1\.2345" has more than two decimals; amounts are dollars and cents\. How much exactly should I send\?$/,
    ),
  ],
  ['send 100 or 200 to bob', ask(/^"100 or 200" names more than one amount: did you mean \$100\.00 or \$200\.00\?$/)],
  ['send $100 or $150 to bob', ask(/did you mean \$100\.00 or \$150\.00\?$/)],
  ['transfer 6000 to kiran 5000', ask(/names more than one amount: did you mean \$6,000\.00 or \$5,000\.00\?$/)],
  ['send 6000 (five thousand) to kiran', ask(/did you mean \$6,000\.00 or \$5,000\.00\?$/)],
  ['send 6k or 7k to kiran', ask(/did you mean \$6,000\.00 or \$7,000\.00\?$/)],
  ['send five six to bob', ask(/^I could not read "five six" as one amount; how much should I send\?/)],
  ['send twenty thirty to bob', ask(/^I could not read "twenty thirty" as one amount/)],
  ['send 1.23456k to bob', send(123_456, 'bob')],
  [
    'send 1.234567k to bob',
    ask(/^The amount "1\.234567k" is not a whole number of cents; how much exactly should I send\?$/),
  ],
  ['send 6kk to bob', ask(/^I could not read the amount "6kk"; how much should I send\?/)],
  ['send some money to bob', refuse(/^The amount "some money" is not a number/)],
  [
    'send 50 euros to bob',
    ask(/^I can only send US dollars; "50 euros" is another currency\. How much is it in dollars\?$/),
  ],
  ['send \u20ac50 to bob', ask(/^I can only send US dollars/)],
  ['send \u00a350 to bob', ask(/^I can only send US dollars/)],
  ['send 50 gbp to bob', ask(/^I can only send US dollars/)],
  ['send 50 pounds to bob', ask(/^I can only send US dollars/)],
  ['send zero dollars to bob', refuse(/^The amount "zero dollars" must be greater than zero\.$/)],
  ['send 0k to bob', refuse(/must be greater than zero/)],
  ['transfer two million to bob', refuse(/^The amount "two million" is more than the largest transfer allowed/)],
  ['send 2000k to bob', refuse(/is more than the largest transfer allowed/)],
  ['send -6k to bob', refuse(/^The amount "-6k" must be positive\.$/)],
  ['send six thousand to my account', refuse(/^You cannot transfer money to your own account \(123\)/)],
  // Search, then apply to what it finds
  ['Find me two data engineering roles and apply', applyTo('data engineer', 2)],
  ['find 3 backend jobs and apply to them', applyTo('backend engineer', 3)],
  ['search for 2 frontend roles, then apply', applyTo('frontend engineer', 2)],
  ['look for a devops job and apply for it', applyTo('devops engineer', 1)],
  ['find me 4 senior backend positions and apply to all of them', applyTo('senior backend engineer', 4)],
  ['get me two rust jobs and apply', applyTo('rust engineer', 2)],
  ['Could you find me two data engineering roles and apply?', applyTo('data engineer', 2)],
  ['find two data roles and apply to those', applyTo('data engineer', 2)],
  [
    'find two data roles and apply, then plan groceries',
    {
      intent: 'life_os',
      tools: ['job_search', 'cv_tailor', 'job_submit', 'grocery_plan'],
      args: { job_search: { count: 2 } },
    },
  ],
  ['apply', ask(/^Apply to which jobs\?/)],
  ['plan groceries and apply', ask(/^Apply to which jobs\?/)],
  ['apply to them', ask(/^Apply to which jobs\?/)],
  // Balance
  ...sameAnswer(balance, [
    'what is my balance?',
    "What's my balance",
    'what\u2019s my balance?',
    'balance',
    'my balance please',
    'show me my balance',
    'show my balance',
    'check my balance',
    'check my account balance',
    'tell me my balance',
    'what is my current balance',
    'what is the balance of my account?',
    'how much money do I have?',
    'how much do I have left?',
    'how much is in my account?',
    'Hey, can you tell me my balance?',
    'I want to see my balance',
    'could you check my balance please?',
    'get my available balance',
  ]),
  // Recent transfers
  ['show my last 5 transfers', history(5)],
  ['show me my last five transfers', history(5)],
  ...sameAnswer(history(10), [
    'my recent transfers',
    'recent transfers',
    'transaction history',
    'show my transaction history',
  ]),
  ['my last three transactions', history(3)],
  ['list my last 20 payments', history(20)],
  ['what were my last 2 transfers?', history(2)],
  ['hi! could you please show my last 3 transfers', history(3)],
  ['list my transfers since 2025-11-01', history(50, '2025-11-01')],
  ['show my transfers since yesterday', history(50, '2025-11-18')],
  ['show my transfers from last month', history(50, '2025-10-01')],
  ['my transfers this week', history(50, '2025-11-17')],
  ['my transfers last week', history(50, '2025-11-10')],
  ['my transfers this month', history(50, '2025-11-01')],
  ['transfers today', history(50, '2025-11-19')],
  ['my last 5 transfers since 2025-11-01', history(5, '2025-11-01')],
  ['what did I send this week?', history(50, '2025-11-17')],
  ['what did i send recently', history(10)],
  ['who did I pay last month?', history(50, '2025-10-01')],
  ['show my transfers since forever', ask(/^Since when\?/)],
  ['show my transfers since 2025-02-30', ask(/^Since when\?/)],
  ['show my last 80 transfers', refuse(/^The number of transfers to show must be at most 50, not 80\.$/)],
  // Status of a request
  ...sameAnswer(status(), [
    'status of my last request',
    "what's the status of my last request?",
    'what is the status of my latest request',
    'status of that',
    'what happened to my last transfer?',
    'how is my last request going?',
    'is my last request done?',
    'did my last transfer go through?',
  ]),
  ['status of req-abc123', status('req-abc123')],
  ['status of request req-ABC123', status('req-ABC123')],
  ['Check on req-0f3a9c', status('req-0f3a9c')],
  ['what happened to run req-42?', status('req-42')],
  ['my request status', status()],
  // Pending approvals as a requester
  ...sameAnswer(pending, [
    'what am I waiting for?',
    'what am i still waiting on',
    'my pending approvals',
    'show my pending requests',
    'what is pending?',
    'anything waiting for approval?',
    'which of my requests need approval',
    'list my open approvals',
  ]),
  // Cancel
  ...sameAnswer(cancel(), [
    'cancel my last request',
    'Cancel my last request, please',
    'please cancel that',
    'cancel it',
    'stop my last transfer',
    'abort the last request',
    'can you cancel my latest request?',
  ]),
  ['cancel req-ABC123', cancel('req-ABC123')],
  ['cancel request req-42', cancel('req-42')],
  ['call off req-7', cancel('req-7')],
  // Questions mixed with other requests are Life-OS runs
  [
    'what is my balance and show my last 3 transfers',
    { intent: 'life_os', tools: ['account_balance', 'transfer_history'] },
  ],
  ['send 5 to bob and then show my balance', { intent: 'life_os', tools: ['bank_transfer', 'account_balance'] }],
  // Things it still refuses, saying what it can do
  ['what is the weather?', refuse(/^I did not understand: "what is the weather"\. I can transfer money/)],
  ['cancel my subscription', refuse(/^I did not understand: "cancel my subscription"/)],
  ['show my balance sheet for acme corp', refuse(/^I did not understand/)],
];
