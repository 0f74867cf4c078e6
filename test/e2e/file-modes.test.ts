/**
 * What the stack writes to disk is its owner's alone: the sandbox's database (and SQLite's -wal and
 * -shm beside it) and the decision key pairs are created with mode 600, even under a umask of 022.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandboxProcess } from '../../dev/sandbox-process.js';
import { postJson } from '../support/http.js';

const dir = mkdtempSync(join(tmpdir(), 'file-modes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('files the stack creates', () => {
  it('the sandbox database, its -wal and -shm and their new folder are for the owner only', async () => {
    const dbPath = join(dir, 'state', 'sandbox.db');
    const sandbox = await startSandboxProcess({ dbPath });
    try {
      const moved = await postJson(
        sandbox.url,
        '/api/transfer',
        { fromAccount: '123', toAccount: 'kiran', amount: '1.00' },
        { key: 'file-modes-1' },
      );
      expect(moved.status).toBe(200);
      expect(modeOf(join(dir, 'state'))).toBe('700');
      for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`])
        expect([file, modeOf(file)]).toEqual([file, '600']);
    } finally {
      await sandbox.dispose();
    }
  });

  it('the key pairs ./temporal-dev.sh start makes are mode 600', async () => {
    const key = join(dir, 'keys', 'decision-signing-key.pem');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/ensure-key-pairs.ts', key]);
    expect(modeOf(key)).toBe('600');
    expect(modeOf(key.replace(/\.pem$/, '.pub.pem'))).toBe('600');
    expect(modeOf(join(dir, 'keys'))).toBe('700');
  });
});
