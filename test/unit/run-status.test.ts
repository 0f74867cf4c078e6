import { describe, expect, it } from 'vitest';
import type { StepState } from '../../src/shared/contracts.js';
import { finalRunStatus, liveRunStatus } from '../../src/shared/run-status.js';

const step = (id: string, state: StepState, depends_on: string[] = []) => ({ id, state, depends_on });

describe('liveRunStatus', () => {
  it.each([
    ['a blocked step and nothing else to do', [step('t', 'BLOCKED'), step('a', 'SUCCEEDED')], 'WAITING_APPROVAL'],
    ['a blocked step while another runs', [step('t', 'BLOCKED'), step('a', 'RUNNING')], 'EXECUTING'],
    ['a blocked step while another is ready', [step('t', 'BLOCKED'), step('a', 'READY')], 'EXECUTING'],
    [
      'a blocked step while a dependent of a finished step is about to start',
      [step('t', 'BLOCKED'), step('a', 'SUCCEEDED'), step('b', 'PENDING', ['a'])],
      'EXECUTING',
    ],
    [
      'a blocked step and a step that waits on it',
      [step('t', 'BLOCKED'), step('b', 'PENDING', ['t'])],
      'WAITING_APPROVAL',
    ],
    ['nothing blocked', [step('a', 'RUNNING')], 'EXECUTING'],
  ] as const)('%s → %s', (_what, steps, expected) => {
    expect(liveRunStatus(steps)).toBe(expected);
  });
});

describe('finalRunStatus', () => {
  it.each([
    [['SUCCEEDED', 'SUCCEEDED'], 'COMPLETED'],
    [['SUCCEEDED', 'REJECTED', 'SKIPPED'], 'REJECTED'],
    [['FAILED', 'REJECTED'], 'FAILED'],
    [[], 'COMPLETED'],
  ] as const)('%j → %s', (states, expected) => {
    expect(finalRunStatus(states)).toBe(expected);
  });
});
