/**
 * Vitest runs only the slice folders (vitest.config.ts), so a test file anywhere else would never run.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TEST_ROOT = path.resolve(import.meta.dirname, '..');
const SLICES = ['unit', 'e2e', 'browser'];

describe('test slices', () => {
  it('every test file is in a slice folder: unit, e2e or browser', () => {
    const outside = readdirSync(TEST_ROOT, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts'))
      .filter((file) => !SLICES.includes(file.split(path.sep)[0]!));
    expect(outside).toEqual([]);
  });
});
