/**
 * Connection options for the client and the worker, from config: TEMPORAL_ADDRESS, and TLS or an
 * API key under the SDK's own variable names, so the same code runs against a self-hosted cluster
 * or Temporal Cloud.
 */
import { readFileSync } from 'node:fs';
import type { Config } from './config.js';

export interface TemporalConnectionSettings {
  address: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer } | boolean;
  apiKey?: string;
}

type TlsKey =
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_API_KEY'
  | 'TEMPORAL_TLS_CLIENT_CERT_PATH'
  | 'TEMPORAL_TLS_CLIENT_KEY_PATH'
  | 'TEMPORAL_TLS_SERVER_CA_CERT_PATH';
/** The settings a connection needs; tests pass only the address (plain, no TLS). */
export type TemporalConnectionConfig = Pick<Config, 'TEMPORAL_ADDRESS'> & Partial<Pick<Config, TlsKey>>;

export function temporalConnectionSettings(config: TemporalConnectionConfig): TemporalConnectionSettings {
  const address = config.TEMPORAL_ADDRESS;
  const apiKey = config.TEMPORAL_API_KEY;
  const certPath = config.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const keyPath = config.TEMPORAL_TLS_CLIENT_KEY_PATH;
  const caPath = config.TEMPORAL_TLS_SERVER_CA_CERT_PATH;
  const tlsWanted = config.TEMPORAL_TLS === true || Boolean(apiKey || certPath || caPath);
  if (!tlsWanted) return { address };
  const tls = {
    ...(certPath && keyPath && { clientCertPair: { crt: readFileSync(certPath), key: readFileSync(keyPath) } }),
    ...(caPath && { serverRootCACertificate: readFileSync(caPath) }),
  };
  return { address, tls, ...(apiKey && { apiKey }) };
}
