/** Which connection settings the client and worker get from config: plain, TLS, mTLS or an API key. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/runtime/config.js';
import { temporalConnectionSettings } from '../../src/runtime/temporal-connection.js';

const dir = mkdtempSync(path.join(tmpdir(), 'temporal-connection-'));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};
const cert = file('client.pem', 'CERT');
const key = file('client.key', 'KEY');
const ca = file('ca.pem', 'CA');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('temporalConnectionSettings', () => {
  it.each<[string, Record<string, string>, unknown]>([
    ['plain without any TLS setting', {}, { address: 'localhost:7233' }],
    ['TLS when TEMPORAL_TLS is set', { TEMPORAL_TLS: 'true' }, { address: 'localhost:7233', tls: {} }],
    ['TLS and the key with an API key', { TEMPORAL_API_KEY: 'k' }, { address: 'localhost:7233', tls: {}, apiKey: 'k' }],
    [
      'the CA it names',
      { TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca },
      { address: 'localhost:7233', tls: { serverRootCACertificate: Buffer.from('CA') } },
    ],
    [
      'a client certificate with its key',
      { TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key },
      { address: 'localhost:7233', tls: { clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } } },
    ],
  ])('%s', (_, env, expected) => {
    expect(temporalConnectionSettings(parseConfig(env))).toEqual(expected);
  });

  it('reads the settings from config, not from the process environment', () => {
    process.env.TEMPORAL_API_KEY = 'from-the-environment';
    try {
      expect(temporalConnectionSettings(parseConfig({}))).toEqual({ address: 'localhost:7233' });
    } finally {
      delete process.env.TEMPORAL_API_KEY;
    }
  });
});
