/** The one mapping from what a run published, and how its execution ended, to a run status. */
import { describe, expect, it } from 'vitest';
import { runStatusOf } from '../../gateway/run-description.js';

describe('runStatusOf', () => {
  const cases: [published: string | undefined, execution: string, expected: string][] = [
    ['EXECUTING', 'RUNNING', 'EXECUTING'],
    [undefined, 'RUNNING', 'QUEUED'],
    ['NOT_A_STATUS', 'RUNNING', 'QUEUED'],
    ['COMPLETED', 'COMPLETED', 'COMPLETED'],
    ['REJECTED', 'COMPLETED', 'REJECTED'],
    [undefined, 'COMPLETED', 'FAILED'],
    ['WAITING_APPROVAL', 'CANCELLED', 'CANCELLED'],
    ['WAITING_APPROVAL', 'TERMINATED', 'FAILED'],
    ['EXECUTING', 'TIMED_OUT', 'FAILED'],
    ['EXECUTING', 'FAILED', 'FAILED'],
  ];
  it.each(cases)('%s while the execution is %s is %s', (published, execution, expected) => {
    expect(runStatusOf(published, execution)).toBe(expected);
  });
});
