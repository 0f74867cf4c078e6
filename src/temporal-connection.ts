/**
 * Connection options for the client and the worker. TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE come
 * from config; TLS and API keys use the SDK's own variables, so the same code runs against a
 * self-hosted cluster or Temporal Cloud.
 */
import { readFileSync } from 'node:fs';

export interface TemporalConnectionSettings {
  address: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer } | boolean;
  apiKey?: string;
}

export function temporalConnectionSettings(address: string, env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  const apiKey = env.TEMPORAL_API_KEY;
  const certPath = env.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const keyPath = env.TEMPORAL_TLS_CLIENT_KEY_PATH;
  const caPath = env.TEMPORAL_TLS_SERVER_CA_CERT_PATH;
  const tlsWanted = env.TEMPORAL_TLS === 'true' || Boolean(apiKey || certPath || caPath);
  if (!tlsWanted) return { address };
  const tls = {
    ...(certPath && keyPath && { clientCertPair: { crt: readFileSync(certPath), key: readFileSync(keyPath) } }),
    ...(caPath && { serverRootCACertificate: readFileSync(caPath) }),
  };
  return { address, tls, ...(apiKey && { apiKey }) };
}
