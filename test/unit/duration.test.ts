import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/shared/duration.js';

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['500ms', 500],
    ['30s', 30_000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['2d', 172_800_000],
    ['1000', 1_000],
    ['0', 0],
    [' 5s ', 5_000],
  ])('%j -> %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '   ', 'abc', '1.5h', '-5s', '5 s', '5x', 'h', '24hours', '1h30m'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
