/** The audit and simulation views' wording (public/assets/audit-format.js), table by table. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error The page's modules are plain JS checked by `tsc -p public`, not by this project.
import { outcomeText, signed, verdictText } from '../../public/assets/audit-format.js';

describe('outcomeText', () => {
  it.each([
    [{ kind: 'allow' }, 'Runs without approval'],
    [{ kind: 'allow', rule: 'petty' }, 'Runs without approval (petty)'],
    [{ kind: 'refuse', rule: 'no-crypto' }, 'Refused (no-crypto)'],
    [{ kind: 'not_judged' }, 'Not reached'],
    [
      { kind: 'approve', rule: 'small', stages: [{ group: 'approvers', count: 1 }] },
      'Approval (small): 1 from approvers',
    ],
    [
      {
        kind: 'approve',
        stages: [
          { group: '*', count: 1 },
          { group: 'managers', count: 2 },
        ],
      },
      'Approval: 1 from any approver, then 2 from managers',
    ],
  ] as const)('%j', (outcome, text) => {
    expect(outcomeText(outcome)).toBe(text);
  });
});

describe('signed', () => {
  it.each([
    [1, '+1'],
    [-2, '-2'],
    [0, '±0'],
  ])('%i', (n, text) => expect(signed(n)).toBe(text));
});

describe('verdictText', () => {
  it.each([
    [{ ok: true, records: 0, signed: 0 }, 'The trail is empty: nothing to verify yet.'],
    [
      { ok: true, records: 3, signed: 1, head: { seq: 3, hash: 'ab' } },
      'Chain intact: 3 record(s), 1 signed message(s) verified. Head: seq 3, hash ab.',
    ],
    [
      { ok: false, records: 2, signed: 0, failure: { line: 3, seq: 3, problem: 'it was altered' } },
      'Verification FAILED at record 3, seq 3: it was altered. The 2 record(s) before it verified.',
    ],
  ])('%j', (verdict, text) => expect(verdictText(verdict)).toBe(text));
});
