/** Where the gateway may listen: with auth off, only on loopback, so body-supplied ids stay local. */
import type { Config } from '../src/runtime/config.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.trim().toLowerCase()) || /^127(?:\.\d{1,3}){3}$/.test(host.trim());
}

/** Why the gateway must not start with this configuration, or undefined when it may. */
export function listenRefusal(
  config: Pick<Config, 'GATEWAY_AUTH' | 'GATEWAY_HOST' | 'GATEWAY_TOKENS_FILE'>,
): string | undefined {
  if (config.GATEWAY_AUTH === 'off' && !isLoopbackHost(config.GATEWAY_HOST)) {
    return (
      `refusing to listen on ${config.GATEWAY_HOST} with GATEWAY_AUTH=off: ` +
      'without auth anyone could act as any user. ' +
      'Listen on 127.0.0.1 (GATEWAY_HOST=127.0.0.1) ' +
      'or turn auth on (GATEWAY_AUTH=token with GATEWAY_TOKENS_FILE).'
    );
  }
  if (config.GATEWAY_AUTH === 'token' && !config.GATEWAY_TOKENS_FILE) {
    return (
      'GATEWAY_AUTH=token needs GATEWAY_TOKENS_FILE ' +
      '(JSON: { "<token>": { "user_id": "...", "role": "requester" | "approver" | "admin" } }).'
    );
  }
  return undefined;
}
