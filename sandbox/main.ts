/**
 * Entry point of the sandbox backend: `tsx sandbox/main.ts`.
 * Uses SANDBOX_PORT, SANDBOX_DB, SANDBOX_TOKEN, SANDBOX_ALLOWED_HOSTS and SANDBOX_LATENCY_MS from config,
 * listens on 127.0.0.1, stops cleanly on SIGINT/SIGTERM.
 */
import { serve } from '@hono/node-server';
import { loadConfigOrExit, requireSetting } from '../src/runtime/config.js';
import { createSandboxApp } from './app.js';
import { openSandboxDb } from './db.js';
import { jsonLogger, withRequestLog } from '../src/telemetry/logging.js';
import { tracingFor } from '../src/telemetry/tracing-settings.js';

const config = loadConfigOrExit();
let token: string;
try {
  token = requireSetting(config, 'SANDBOX_TOKEN', 'the service credential every API call must carry');
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
const db = openSandboxDb(config.SANDBOX_DB);
const logger = config.LOG_FORMAT === 'json' ? jsonLogger('sandbox', config.LOG_LEVEL) : undefined;
const tracing = await tracingFor('sandbox', config);
const app = withRequestLog(
  createSandboxApp(db, {
    latencyMs: config.SANDBOX_LATENCY_MS,
    token,
    port: config.SANDBOX_PORT,
    allowedHosts: config.SANDBOX_ALLOWED_HOSTS,
  }),
  logger,
  tracing?.httpMiddleware(),
);
const host = '127.0.0.1';

const server = serve({ fetch: app.fetch, hostname: host, port: config.SANDBOX_PORT }, (info) => {
  console.log(`sandbox listening on http://${host}:${info.port} (db ${config.SANDBOX_DB})`);
});

server.on('error', (err) => {
  console.error(`sandbox: cannot listen on ${host}:${config.SANDBOX_PORT}: ${err.message}`);
  db.close();
  process.exit(1);
});

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`sandbox: ${signal} received, shutting down`);
  const force = setTimeout(() => {
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, 2000);
  force.unref();
  server.close(() => {
    db.close();
    void (tracing?.shutdown() ?? Promise.resolve()).finally(() => process.exit(0));
  });
  if ('closeIdleConnections' in server) server.closeIdleConnections();
}

process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
