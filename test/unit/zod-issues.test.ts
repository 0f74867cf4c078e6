/** One way to turn zod issues into `field: why`, used by the gateway, the sandbox, config, the planner and the workflow. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodError } from '../../gateway/errors.js';
import { describeIssues } from '../../sandbox/http.js';
import { ToolArgsSchemas } from '../../src/shared/workflow-contracts.js';
import { firstIssueOfEachField, issueLines, type IssueLike } from '../../src/shared/zod-issues.js';
import { judgeStepAction } from '../../workflows/run-attention.js';
import { transferPlan } from './run-fixtures.js';

const issue = (path: PropertyKey[], message: string): IssueLike => ({ path, message });

describe('issueLines', () => {
  it.each<[string, IssueLike[], Parameters<typeof issueLines>[1], Parameters<typeof issueLines>[2], string[]]>([
    ['a path as dotted names', [issue(['steps', 0, 'args'], 'bad')], undefined, undefined, ['steps.0.args: bad']],
    ['the value itself when there is no path', [issue([], 'bad')], undefined, undefined, ['value: bad']],
    ['a given name for the value itself', [issue([], 'bad')], '(root)', undefined, ['(root): bad']],
    [
      'the prefix before every path',
      [issue(['a', 'b'], 'x'), issue(['c'], 'y')],
      '(root)',
      'body',
      ['body.a.b: x', 'body.c: y'],
    ],
    [
      'the prefix alone for the value itself',
      [issue([], 'Unrecognized key: "extra"')],
      '(root)',
      'body.args',
      ['body.args: Unrecognized key: "extra"'],
    ],
  ])('names %s', (_, issues, whole, prefix, expected) => {
    expect(issueLines(issues, whole, prefix)).toEqual(expected);
  });

  it('keeps the first issue of each field, in order', () => {
    expect(
      firstIssueOfEachField([issue(['a'], '1'), issue(['b'], '2'), issue(['a'], '3'), issue([], '4')]).map(
        (i) => i.message,
      ),
    ).toEqual(['1', '2', '4']);
  });
});

describe('the formatters built on it say what they said before', () => {
  const error = z.object({ a: z.object({ b: z.string() }), c: z.number() }).safeParse({ a: { b: 1 }, c: 'x' }).error!;

  it('gateway: every issue, under where it was found', () => {
    expect(describeZodError(error, 'body')).toMatch(/^body\.a\.b: .*; body\.c: /);
    expect(describeZodError(z.string().safeParse(1).error!)).toMatch(/^\(root\): /);
  });

  it('sandbox: the first problem of each field, at most three, the value itself called body', () => {
    const many = [issue(['a'], '1'), issue(['a'], '2'), issue(['b'], '3'), issue([], '4'), issue(['c'], '5')];
    expect(describeIssues(many as z.core.$ZodIssue[])).toBe('a: 1; b: 3; body: 4');
  });
});

describe('an operator edit with a field the tool does not take', () => {
  it('names the args themselves, not "args.(root)"', () => {
    const step = {
      ...transferPlan.steps[0]!,
      state: 'NEEDS_ATTENTION' as const,
      attempts: 1,
      attention: {
        since: '2026-01-01T00:00:00.000Z',
        deadline: '2026-01-02T00:00:00.000Z',
        last_error: 'down',
        attempts: 1,
      },
    };
    const args = { ...step.args, memo: 'extra' };
    expect(ToolArgsSchemas.bank_transfer.safeParse(args).success).toBe(false);
    const verdict = judgeStepAction(
      step,
      { step_id: step.id, action: 'retry_with_edits', decided_by: 'ops', args },
      '2026-01-01T01:00:00.000Z',
    );
    expect(verdict).toMatchObject({
      allowed: false,
      message: expect.stringMatching(/^Invalid args for bank_transfer: args: Unrecognized key/),
    });
  });
});
