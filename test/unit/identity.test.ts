import { describe, expect, it } from 'vitest';
import { normalizeIdentity, sameIdentity } from '../../src/shared/identity.js';

describe('sameIdentity', () => {
  it.each<[string, string, boolean]>([
    ['manager@bank.com', 'manager@bank.com', true],
    ['manager@BANK.com', 'manager@bank.com', true],
    ['MANAGER@BANK.COM', 'manager@bank.com', true],
    ['\uff4danager@bank.com', 'manager@bank.com', true], // full-width m (NFKC)
    ['Cafe\u0301', 'café', true], // combining accent vs precomposed
    ['\u2168', 'ix', true], // roman numeral nine
    ['manager@bank.com', 'manager@bank.co', false],
    ['bob', 'b0b', false],
    ['kiran', 'kiran ', false],
  ])('%s vs %s: %s', (a, b, same) => {
    expect(sameIdentity(a, b)).toBe(same);
  });

  it('is idempotent', () => {
    for (const id of ['Straße', 'ǅ', 'İstanbul', 'manager@BANK.com']) {
      expect(normalizeIdentity(normalizeIdentity(id))).toBe(normalizeIdentity(id));
    }
  });
});
