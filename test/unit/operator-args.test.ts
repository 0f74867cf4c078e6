/** The operators' command lines (decide, act): what each accepts, and the message for what it does not. */
import { describe, expect, it } from 'vitest';
import { parseActArgs } from '../../scripts/act.js';
import { parseDecideArgs } from '../../scripts/decide.js';

describe('parseDecideArgs', () => {
  it('reads the approval, the verdict, the person and the reason in any order of options', () => {
    expect(parseDecideArgs(['--reason', 'checked by phone', 'run-1.pay', 'reject', '--as', 'olga'])).toEqual({
      approvalId: 'run-1.pay',
      workflowId: 'run-1',
      approved: false,
      person: 'olga',
      reason: 'checked by phone',
    });
  });

  it.each<[string, string[], string]>([
    ['an option with no value', ['run-1.pay', 'approve', '--as'], '--as needs a value'],
    ['an unknown option', ['run-1.pay', 'approve', '--args', '{}'], 'unknown option --args'],
    ['a missing verdict', ['run-1.pay', '--as', 'olga'], 'expected an approval id and approve or reject'],
    [
      'a verdict that is neither',
      ['run-1.pay', 'maybe', '--as', 'olga'],
      'verdict must be approve or reject, not "maybe"',
    ],
    [
      'no person',
      ['run-1.pay', 'approve'],
      "--as <person> is required: the decision is recorded in that person's name",
    ],
    [
      'a reason over 1000 characters',
      ['run-1.pay', 'approve', '--as', 'olga', '--reason', 'x'.repeat(1001)],
      '--reason: at most 1000 characters',
    ],
  ])('refuses %s', (_name, argv, message) => {
    expect(parseDecideArgs(argv)).toBe(message);
  });
});

describe('parseActArgs', () => {
  it('reads a retry with edits and its arguments', () => {
    expect(
      parseActArgs(['run-1', 'pay', 'retry_with_edits', '--as', 'olga', '--args', '{"amount_cents":100}']),
    ).toEqual({
      workflowId: 'run-1',
      stepId: 'pay',
      action: 'retry_with_edits',
      person: 'olga',
      args: { amount_cents: 100 },
    });
  });

  it.each<[string, string[], string]>([
    [
      'a step id that is not snake_case',
      ['run-1', 'Pay', 'skip', '--as', 'olga'],
      '"Pay" is not a step id (lowercase snake_case)',
    ],
    [
      'an unknown action',
      ['run-1', 'pay', 'undo', '--as', 'olga'],
      'action must be one of retry, retry_with_edits, skip, fail, not "undo"',
    ],
    ['no person', ['run-1', 'pay', 'skip'], "--as <person> is required: the action is recorded in that person's name"],
    [
      'arguments that are not JSON',
      ['run-1', 'pay', 'retry_with_edits', '--as', 'olga', '--args', '{'],
      '--args: not JSON (',
    ],
    [
      'arguments that are not an object',
      ['run-1', 'pay', 'retry_with_edits', '--as', 'olga', '--args', '[1]'],
      '--args: expected a JSON object',
    ],
    [
      'arguments with an action that takes none',
      ['run-1', 'pay', 'skip', '--as', 'olga', '--args', '{}'],
      '--args is required with retry_with_edits and allowed with no other action',
    ],
  ])('refuses %s', (_name, argv, message) => {
    const parsed = parseActArgs(argv);
    expect(typeof parsed === 'string' && parsed.startsWith(message)).toBe(true);
  });
});
