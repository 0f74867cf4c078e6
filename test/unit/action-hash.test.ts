/** action-hash.ts (and canonical-json.ts under it): what changes an approval's action hash, and what does not. Table-driven. */
import { describe, expect, it } from 'vitest';
import { ACTION_HASH_PATTERN, actionHashOf, type BoundAction } from '../../src/shared/action-hash.js';
import { canonicalJson } from '../../src/shared/canonical-json.js';

const transfer: BoundAction = {
  tool: 'bank_transfer',
  args: { from_account: '123', to_account: 'kiran', amount_cents: 600_000 },
  rule: 'large-transfer',
  stages: [{ group: 'approvers', count: 2 }],
};

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    [
      'sorts keys at every depth',
      { b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } },
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    ],
    ['drops undefined members', { a: undefined, b: 1 }, '{"b":1}'],
    ['keeps array order', [3, 1, 2], '[3,1,2]'],
    ['escapes strings as JSON does', { note: 'a "quote"\n' }, '{"note":"a \\"quote\\"\\n"}'],
  ])('%s', (_name, value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
});

describe('actionHashOf', () => {
  const base = actionHashOf(transfer);

  it('is 64 lowercase hex characters, and the same for the same action whatever the key order', () => {
    expect(base).toMatch(ACTION_HASH_PATTERN);
    expect(
      actionHashOf({ ...transfer, args: { amount_cents: 600_000, to_account: 'kiran', from_account: '123' } }),
    ).toBe(base);
  });

  it.each<[string, BoundAction]>([
    ['another amount', { ...transfer, args: { ...transfer.args, amount_cents: 500_000 } }],
    ['another recipient', { ...transfer, args: { ...transfer.args, to_account: 'bob' } }],
    ['another tool', { ...transfer, tool: 'job_submit' }],
    ['another rule', { ...transfer, rule: 'huge-transfer' }],
    ['no rule (a run without a policy)', { ...transfer, rule: undefined, stages: undefined }],
    ['more approvers', { ...transfer, stages: [{ group: 'approvers', count: 3 }] }],
    ['another group', { ...transfer, stages: [{ group: 'managers', count: 2 }] }],
    [
      'an added stage',
      {
        ...transfer,
        stages: [
          { group: 'approvers', count: 2 },
          { group: 'managers', count: 1 },
        ],
      },
    ],
    ['a number written as a string', { ...transfer, args: { ...transfer.args, amount_cents: '600000' } }],
    ['non-ASCII text', { tool: 'calendar_create', args: { title: 'Gym é' } }],
  ])('changes with %s', (_name, action) => {
    expect(actionHashOf(action)).not.toBe(base);
  });

  it('ignores what stage progress adds to stages (who approved so far)', () => {
    const progressed = { ...transfer, stages: [{ group: 'approvers', count: 2, approved_by: ['bob'] }] };
    expect(actionHashOf(progressed)).toBe(base);
  });

  it('tells apart non-ASCII text that differs', () => {
    expect(actionHashOf({ tool: 'calendar_create', args: { title: 'Gym é' } })).not.toBe(
      actionHashOf({ tool: 'calendar_create', args: { title: 'Gym è' } }),
    );
  });
});
