/**
 * Entry point of the sandbox backend: `tsx src/sandbox/main.ts`.
 * Reads SANDBOX_PORT and SANDBOX_DB, listens on 127.0.0.1, stops cleanly on SIGINT/SIGTERM.
 */
import { serve } from '@hono/node-server';
import { loadConfigOrExit } from '../config.js';
import { createSandboxApp } from './app.js';
import { openSandboxDb } from './db.js';

const config = loadConfigOrExit();
const db = openSandboxDb(config.SANDBOX_DB);
const app = createSandboxApp(db);
const host = '127.0.0.1';

const server = serve({ fetch: app.fetch, hostname: host, port: config.SANDBOX_PORT }, (info) => {
  console.log(`sandbox listening on http://${host}:${info.port} (db ${config.SANDBOX_DB})`);
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
    process.exit(0);
  });
  if ('closeIdleConnections' in server) server.closeIdleConnections();
}

process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
