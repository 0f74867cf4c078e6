import { describe, expect, it } from 'vitest';
import { clientResumption, lostTaskWaits, percentile, type KillEvent } from '../../scripts/kill-report.js';

const kill: KillEvent = { label: 'SIGKILL worker-2', signal: 'SIGKILL', at: 10_000, until: 30_000 };

describe('lostTaskWaits', () => {
  it.each([
    ['a run that lost nothing is not listed', { timeouts: [], workflowTaskStarts: [9000, 11_000] }, []],
    [
      'a task timed out before the kill belongs to an earlier one',
      { timeouts: [9500], workflowTaskStarts: [9800] },
      [],
    ],
    [
      'a task timed out after the window belongs to the next kill',
      { timeouts: [30_500], workflowTaskStarts: [31_000] },
      [],
    ],
    [
      'from the kill to the next task started after the timeout',
      { timeouts: [12_000], workflowTaskStarts: [9000, 12_300] },
      [2300],
    ],
    ['the longest of a run’s lost tasks', { timeouts: [12_000, 14_000], workflowTaskStarts: [12_100, 15_000] }, [5000]],
    ['a run that never moved again is not counted as resumed', { timeouts: [12_000], workflowTaskStarts: [9000] }, []],
  ])('%s', (_name, times, expected) => {
    expect(lostTaskWaits(kill, [{ workflowId: 'r', ...times }])).toEqual(expected);
  });
});

describe('clientResumption', () => {
  it.each([
    ['every client moving again: the first and the last', [[9000, 10_200], [10_900]], [200, 900, 0]],
    ['a client still for the whole window stalls, so no all-client figure', [[10_200], [31_000]], [200, undefined, 1]],
    ['a client that had stopped before the kill is left out', [[9000], [10_500]], [500, 500, 0]],
    ['no client at all', [], [undefined, undefined, 0]],
  ] as const)('%s', (_name, progress, [first, every, stalled]) => {
    expect(clientResumption(kill, progress)).toEqual({
      firstClientMs: first,
      everyClientMs: every,
      stalledClients: stalled,
    });
  });
});

describe('percentile', () => {
  it.each([
    [[], 50, 0],
    [[5], 99, 5],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 100], 99, 100],
  ])('%j p%d is %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});
