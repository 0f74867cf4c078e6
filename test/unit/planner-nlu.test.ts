/**
 * The trained planner: its corpus, the classifier's determinism, its measured bars on the test split,
 * the messages of issue 32, and the clarifying question. Pure: no server.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planMessage } from '../../src/planner/planner.js';
import { clarificationChoices, clarifyingQuestion } from '../../src/planner/clarify.js';
import { IntentClassifier } from '../../src/planner/nlu/classifier.js';
import { INTENTS, TRAIN, type CorpusEntry } from '../../src/planner/nlu/corpus.js';
import { EVAL_CONTEXT, evaluate, readingOf } from '../../src/planner/nlu/evaluate.js';

const TEST = JSON.parse(
  readFileSync(new URL('../../src/planner/nlu/corpus-test.json', import.meta.url), 'utf8'),
) as CorpusEntry[];
const ctx = EVAL_CONTEXT;

describe('the corpus', () => {
  it('has at least 1,000 utterances over every intent, and no text in both splits', () => {
    expect(TRAIN.length + TEST.length).toBeGreaterThanOrEqual(1000);
    for (const intent of [...INTENTS, 'combo']) {
      expect(TRAIN.some((e) => e.intent === intent)).toBe(true);
      expect(TEST.some((e) => e.intent === intent)).toBe(true);
    }
    const trained = new Set(TRAIN.map((e) => e.text.toLowerCase()));
    expect(TEST.filter((e) => trained.has(e.text.toLowerCase()))).toEqual([]);
  });
});

describe('the intent classifier', () => {
  it('trains to the same model from the same corpus', () => {
    expect(IntentClassifier.train(TRAIN).toJSON()).toEqual(IntentClassifier.train(TRAIN).toJSON());
  });

  it('gives the same scores after a round trip through its JSON', () => {
    const model = IntentClassifier.train(TRAIN);
    const loaded = IntentClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(loaded.classify('venmo bob 30')).toEqual(model.classify('venmo bob 30'));
  });
});

describe('the planner on the test split', () => {
  const result = evaluate(TEST);

  it('is right on at least 97 % overall and 85 % of each intent', () => {
    expect(result.accuracy).toBeGreaterThanOrEqual(0.97);
    for (const row of result.perIntent) expect(row.accuracy, row.intent).toBeGreaterThanOrEqual(0.85);
  });

  it('never plans an amount or recipient that is not in the message', () => {
    expect(result.scored.filter((s) => !s.grounded).map((s) => s.entry.text)).toEqual([]);
  });

  it('plans a message in under 10 ms at the 95th percentile', () => {
    expect(result.p95Ms).toBeLessThan(10);
  });
});

const send = (to_account: string, amount_cents: number) => [
  { tool: 'bank_transfer', args: { from_account: '123', to_account, amount_cents } },
];
const ISSUE_32: [string, { tool: string; args?: Record<string, unknown> }[]][] = [
  ['I need to send Bob $40 for dinner', send('bob', 4000)],
  ['please wire $12.50 to alice today', send('alice', 1250)],
  ['kiran should get 15 dollars from me', send('kiran', 1500)],
  ['venmo bob 30', send('bob', 3000)],
  ['who did I send money to recently', [{ tool: 'transfer_history' }]],
  ['did my transfer to kiran go through?', [{ tool: 'request_status' }]],
  ['what needs my approval?', [{ tool: 'pending_approvals' }]],
  ['never mind, cancel it', [{ tool: 'cancel_request' }]],
  ['put gym on my calendar 4 times this week', [{ tool: 'calendar_create', args: { count: 4 } }]],
  ['make me a shopping list for the week', [{ tool: 'grocery_plan', args: { days: 7 } }]],
  ['stop my last request', [{ tool: 'cancel_request' }]],
  ['send bob 40 and alice 20', [...send('bob', 4000), ...send('alice', 2000)]],
];

describe('the messages of issue 32', () => {
  it.each(ISSUE_32)('%s', (message, steps) => {
    const outcome = planMessage(message, ctx);
    if (outcome.kind !== 'plan') throw new Error(outcome.message);
    expect(outcome.plan.steps).toMatchObject(steps);
  });

  it.each(['transfer 30 quid to bob', 'send 200 pesos to kiran'])('refuses another currency: %s', (message) => {
    expect(planMessage(message, ctx)).toMatchObject({ message: expect.stringMatching(/only send US dollars/) });
  });
});

describe('the clarifying question', () => {
  it('reads back the choices it wrote, quotes and all', () => {
    const choices = ['send $40.00 to bob', 'show "my" transfers'];
    expect(clarificationChoices(clarifyingQuestion('bob 40?', choices))).toEqual(choices);
    expect(clarificationChoices('I did not understand: "sing".')).toEqual([]);
    expect(clarificationChoices('The amount "6,00" is ambiguous: did you mean $6.00 or $600.00?')).toEqual([]);
  });

  it.each(['my account', 'close my account', 'could u send nina 35 bucks for the pizza last night'])(
    'offers readings that each plan: %s',
    (message) => {
      const outcome = planMessage(message, ctx);
      expect(outcome.kind === 'not_understood' && readingOf(outcome)).toBe('clarify');
      const choices = outcome.kind === 'not_understood' ? clarificationChoices(outcome.message) : [];
      expect(choices.length).toBeGreaterThan(0);
      for (const choice of choices) expect(planMessage(choice, ctx).kind).toBe('plan');
    },
  );
});
