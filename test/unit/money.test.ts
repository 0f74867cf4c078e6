import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centsToDecimalString,
  centsToDollars,
  formatUsd,
  MAX_AMOUNT_CENTS,
  parseMoneyToCents,
} from '../../src/shared/money.js';
import { planMessage } from '../../src/planner/planner.js';

describe('parseMoneyToCents', () => {
  it.each<[string | number, number]>([
    ['6000', 600_000],
    ['1,250.50', 125_050],
    ['$1,250.5', 125_050],
    ['$5,000.00', 500_000],
    ['4999.99', 499_999],
    ['5000.00', 500_000],
    ['0.01', 1],
    ['  42  ', 4_200],
    ['1,000,000', 100_000_000],
    ['999999999999.99', 99_999_999_999_999],
    ['0', 0],
    [6000, 600_000],
    [12.5, 1_250],
    [0.07, 7],
  ])('%j -> %i cents', (input, cents) => {
    expect(parseMoneyToCents(input)).toBe(cents);
  });

  it.each<string | number>([
    '1.234',
    '-5',
    '-0.01',
    '1,25',
    '12,34,567',
    '1,2345',
    '.5',
    '12.',
    '',
    '   ',
    'abc',
    '5 000',
    '$',
    '$-5',
    '5$',
    '1e5',
    '0x10',
    '1234567890123',
    NaN,
    Infinity,
    -Infinity,
    -5,
    0.1 + 0.2,
    1e21,
  ])('rejects %j', (input) => {
    expect(parseMoneyToCents(input)).toBeUndefined();
  });
});

describe('centsToDecimalString and centsToDollars', () => {
  it.each<[number, string, number]>([
    [600_000, '6000.00', 6000],
    [125_050, '1250.50', 1250.5],
    [5, '0.05', 0.05],
    [0, '0.00', 0],
    [-150, '-1.50', -1.5],
    [MAX_AMOUNT_CENTS, '1000000.00', 1_000_000],
  ])('%i -> %s', (cents, text, dollars) => {
    expect(centsToDecimalString(cents)).toBe(text);
    expect(centsToDollars(cents)).toBe(dollars);
  });
});

describe('formatUsd', () => {
  it.each<[number, string]>([
    [600_000, '$6,000.00'],
    [125_050, '$1,250.50'],
    [499_999, '$4,999.99'],
    [100, '$1.00'],
    [5, '$0.05'],
    [0, '$0.00'],
    [99_999, '$999.99'],
    [100_000, '$1,000.00'],
    [MAX_AMOUNT_CENTS, '$1,000,000.00'],
    [-123_456, '-$1,234.56'],
  ])('%i -> %s', (cents, text) => {
    expect(formatUsd(cents)).toBe(text);
  });
});

describe('properties', () => {
  const cents = fc.integer({ min: 1, max: MAX_AMOUNT_CENTS });

  it('parses back what centsToDecimalString and formatUsd print', () => {
    fc.assert(
      fc.property(cents, (c) => {
        expect(parseMoneyToCents(centsToDecimalString(c))).toBe(c);
        expect(parseMoneyToCents(formatUsd(c))).toBe(c);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('the planner moves exactly the cents written in a transfer', () => {
    const ctx = { user_id: 'default_user', today: '2025-11-19', from_account: '123' };
    fc.assert(
      fc.property(cents, fc.constantFrom('transfer', 'send', 'wire', 'pay'), (c, verb) => {
        const outcome = planMessage(`${verb} ${centsToDecimalString(c)} to kiran`, ctx);
        expect(outcome.kind).toBe('plan');
        if (outcome.kind === 'plan') expect(outcome.plan.steps[0]?.args['amount_cents']).toBe(c);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
