/** A bad POLICY_FILE stops the worker at start-up, naming the file and the field; a good one is read as given. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/runtime/config.js';

const dir = mkdtempSync(path.join(tmpdir(), 'policy-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writePolicy(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

const zeroApprovers = JSON.stringify({
  id: 'broken',
  rules: [{ name: 'r', match: {}, outcome: { stages: [{ group: 'approvers', count: 0 }] } }],
});

describe('POLICY_FILE', () => {
  it('stops the worker entry with exit code 1, the path and the field', () => {
    const file = writePolicy('zero.json', zeroApprovers);
    // Nothing listens on this address: the worker must fail on the policy before it connects.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      env: { ...process.env, POLICY_FILE: file, TEMPORAL_ADDRESS: '127.0.0.1:1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`POLICY_FILE ${file}: rules.0.outcome.stages.0.count:`);
  });

  it.each<[string, string, string]>([
    ['not JSON', '{ "id": ', 'Unexpected end of JSON input'],
    ['no rules', JSON.stringify({ id: 'empty', rules: [] }), 'rules:'],
    [
      'an unknown tool',
      JSON.stringify({ id: 'p', rules: [{ name: 'r', match: { tools: ['wire'] }, outcome: { allow: true } }] }),
      'rules.0.match.tools.0:',
    ],
    [
      'a rolling window too short to mean anything',
      JSON.stringify({
        id: 'p',
        rolling_window: { duration: '5s' },
        rules: [{ name: 'r', match: {}, outcome: { allow: true } }],
      }),
      'rolling_window.duration: must be a duration from 1m to 31d',
    ],
    [
      'a never-paid match that is not true or false',
      JSON.stringify({
        id: 'p',
        rules: [{ name: 'r', match: { recipient_never_paid: 'yes' }, outcome: { allow: true } }],
      }),
      'rules.0.match.recipient_never_paid:',
    ],
  ])('refuses a file with %s', (_name, content, field) => {
    const file = writePolicy(`${_name.replace(/\W+/g, '-')}.json`, content);
    expect(() => parseConfig({ POLICY_FILE: file })).toThrow(ConfigError);
    expect(() => parseConfig({ POLICY_FILE: file })).toThrow(`POLICY_FILE ${file}: ${field}`);
  });

  it('refuses a file that does not exist', () => {
    const missing = path.join(dir, 'missing.json');
    expect(() => parseConfig({ POLICY_FILE: missing })).toThrow(`POLICY_FILE ${missing}: ENOENT`);
  });

  it('reads policies/daily-limit.json with its rolling window', () => {
    expect(parseConfig({ POLICY_FILE: 'policies/daily-limit.json' }).POLICY.document.rolling_window).toEqual({
      duration: '24h',
    });
  });

  it('reads policies/bank.json with its id and a hash that changes with the content', () => {
    const bank = parseConfig({ POLICY_FILE: 'policies/bank.json' }).POLICY;
    expect(bank.id).toBe('bank-2026-12');
    expect(bank.hash).toMatch(/^[0-9a-f]{64}$/);
    const defaults = parseConfig({}).POLICY;
    expect(defaults.id).toBe('builtin-default');
    expect(parseConfig({ HIL_THRESHOLD: '6000' }).POLICY.hash).not.toBe(defaults.hash);
  });
});
