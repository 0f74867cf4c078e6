import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, requireSetting } from '../../src/runtime/config.js';

describe('parseConfig', () => {
  it('has defaults for everything', () => {
    expect(parseConfig({})).toMatchObject({
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TASK_QUEUE: 'requests',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: 8000,
      GATEWAY_AUTH: 'off',
      SANDBOX_URL: 'http://127.0.0.1:8081',
      SANDBOX_PORT: 8081,
      HIL_THRESHOLD: 500_000,
      APPROVAL_TIMEOUT: 86_400_000,
      APPROVE_L2: false,
    });
  });

  it('treats an empty variable as unset rather than as 0', () => {
    const config = parseConfig({ GATEWAY_PORT: '', CHAT_WAIT_MS: '  ', METRICS_PORT: '' });
    expect(config).toMatchObject({ GATEWAY_PORT: 8000, CHAT_WAIT_MS: 5000 });
    expect(config.METRICS_PORT).toBeUndefined();
  });

  it('ignores variables it does not know', () => {
    expect(parseConfig({ PATH: '/usr/bin', HOME: '/root' }).GATEWAY_PORT).toBe(8000);
  });

  it.each<[Record<string, string>, Record<string, unknown>]>([
    [{ HIL_THRESHOLD: '5000' }, { HIL_THRESHOLD: 500_000 }],
    [{ HIL_THRESHOLD: '$1,250.50' }, { HIL_THRESHOLD: 125_050 }],
    [{ GATEWAY_PORT: '9000' }, { GATEWAY_PORT: 9000 }],
    [{ APPROVAL_TIMEOUT: '30s' }, { APPROVAL_TIMEOUT: 30_000 }],
    [{ APPROVAL_TIMEOUT: '2d' }, { APPROVAL_TIMEOUT: 172_800_000 }],
    [{ APPROVE_L2: 'true' }, { APPROVE_L2: true }],
    [{ APPROVE_L2: 'yes' }, { APPROVE_L2: true }],
    [{ APPROVE_L2: '0' }, { APPROVE_L2: false }],
    [
      { TASK_QUEUE: 'other', TEMPORAL_ADDRESS: 'cloud.example:7233' },
      { TASK_QUEUE: 'other', TEMPORAL_ADDRESS: 'cloud.example:7233' },
    ],
    [{ SANDBOX_TOKEN: 'a'.repeat(32) }, { SANDBOX_TOKEN: 'a'.repeat(32) }],
    [
      { SANDBOX_ALLOWED_HOSTS: 'sandbox.internal:8081, bank.local:8081 ,' },
      { SANDBOX_ALLOWED_HOSTS: ['sandbox.internal:8081', 'bank.local:8081'] },
    ],
    [{ DECISION_PUBLIC_KEY_FILES: 'a.pub.pem,b.pub.pem' }, { DECISION_PUBLIC_KEY_FILES: ['a.pub.pem', 'b.pub.pem'] }],
    [
      {},
      {
        DECISION_PUBLIC_KEY_FILES: [],
        OPERATOR_PUBLIC_KEY_FILES: [],
        OPERATOR_SIGNING_KEY_FILE: '.temporal/operator-key.pem',
      },
    ],
    [{}, { TEMPORAL_TLS: false, SANDBOX_LATENCY_MS: 0 }],
    [
      { TEMPORAL_TLS: 'true', TEMPORAL_API_KEY: 'key-1' },
      { TEMPORAL_TLS: true, TEMPORAL_API_KEY: 'key-1' },
    ],
    [
      { TEMPORAL_TLS_CLIENT_CERT_PATH: 'c.pem', TEMPORAL_TLS_CLIENT_KEY_PATH: 'k.pem' },
      { TEMPORAL_TLS_CLIENT_CERT_PATH: 'c.pem', TEMPORAL_TLS_CLIENT_KEY_PATH: 'k.pem' },
    ],
    [{ SANDBOX_LATENCY_MS: '1500' }, { SANDBOX_LATENCY_MS: 1500 }],
    [{}, { INBOX_CACHE_MS: 1000, INBOX_MAX_AGE_MS: 10_000 }],
    [
      { INBOX_CACHE_MS: '0', INBOX_MAX_AGE_MS: '1' },
      { INBOX_CACHE_MS: 0, INBOX_MAX_AGE_MS: 1 },
    ],
    [
      { INBOX_CACHE_MS: '5000', INBOX_MAX_AGE_MS: '5001' },
      { INBOX_CACHE_MS: 5000, INBOX_MAX_AGE_MS: 5001 },
    ],
  ])('reads %j', (env, expected) => {
    expect(parseConfig(env)).toMatchObject(expected);
  });

  it.each<[string, string]>([
    ['GATEWAY_PORT', 'abc'],
    ['GATEWAY_PORT', '70000'],
    ['GATEWAY_PORT', '-1'],
    ['GATEWAY_PORT', '80.5'],
    ['APPROVAL_TIMEOUT', 'soon'],
    ['APPROVAL_TIMEOUT', '0'],
    ['APPROVAL_TIMEOUT', '1.5h'],
    ['APPROVE_L2', 'maybe'],
    ['HIL_THRESHOLD', 'abc'],
    ['HIL_THRESHOLD', '0'],
    ['HIL_THRESHOLD', '1.234'],
    ['GATEWAY_AUTH', 'basic'],
    ['SANDBOX_URL', 'not a url'],
    ['SANDBOX_TOKEN', 'short'],
    ['SANDBOX_TOKEN', `${'a'.repeat(40)} with spaces`],
    ['TEMPORAL_TLS', 'on'],
    ['SANDBOX_LATENCY_MS', 'slow'],
    ['SANDBOX_LATENCY_MS', '60001'],
    ['INBOX_MAX_AGE_MS', '0'],
    ['INBOX_MAX_AGE_MS', '1000'],
  ])('rejects %s=%j with a ConfigError naming it', (name, value) => {
    const parse = () => parseConfig({ [name]: value });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(new RegExp(`\\b${name}: `));
  });

  it('says what SANDBOX_LATENCY_MS must be, as the sandbox did when it read the variable itself', () => {
    for (const value of ['slow', '-1', '2.5', '60001']) {
      expect(() => parseConfig({ SANDBOX_LATENCY_MS: value })).toThrow(
        'SANDBOX_LATENCY_MS: must be an integer number of milliseconds between 0 and 60000',
      );
    }
  });

  it('names every bad variable at once', () => {
    try {
      parseConfig({ GATEWAY_PORT: 'x', APPROVE_L2: 'perhaps' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/GATEWAY_PORT/);
      expect((err as Error).message).toMatch(/APPROVE_L2/);
    }
  });

  it('requireSetting names a missing setting and why the process needs it', () => {
    const config = parseConfig({});
    expect(() => requireSetting(config, 'SANDBOX_TOKEN', 'the sandbox credential')).toThrow(
      /SANDBOX_TOKEN: required \(the sandbox credential\)/,
    );
    expect(() => requireSetting(config, 'DECISION_PUBLIC_KEY_FILES', 'trusted keys')).toThrow(ConfigError);
    expect(requireSetting(parseConfig({ SANDBOX_TOKEN: 'b'.repeat(40) }), 'SANDBOX_TOKEN', '')).toBe('b'.repeat(40));
  });
});
