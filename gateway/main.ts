/**
 * The gateway process: validated config, a Temporal client, the Hono app on GATEWAY_HOST:GATEWAY_PORT.
 * Refuses to start without auth on a non-loopback address; SIGINT/SIGTERM refuse new connections,
 * end streams and let the requests already taken finish (drainDeadlineMs) before exiting.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit, type Config } from '../src/runtime/config.js';
import { createGatewayApp, createInboxListing, createTimelineHub } from './app.js';
import { gatewayConnectionOptions } from './gateway-connection.js';
import { listenRefusal } from './listen-policy.js';
import { jsonLogger, withRequestLog } from '../src/telemetry/logging.js';
import { tracingFor } from '../src/telemetry/tracing-settings.js';

/**
 * After SIGTERM, requests already taken get this long to finish before the process exits anyway:
 * the longest wait a route makes (CHAT_WAIT_MS) and the reads around it, each of which has its
 * own deadline under 5 s. New connections are refused from the signal on.
 */
function drainDeadlineMs(config: Pick<Config, 'CHAT_WAIT_MS'>): number {
  return config.CHAT_WAIT_MS + 5000;
}

/** Keep-alive connections that go idle while the gateway drains are closed this often. */
const IDLE_SWEEP_MS = 100;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const refusal = listenRefusal(config);
  if (refusal) {
    console.error(`gateway: ${refusal}`);
    process.exit(1);
  }
  // Lazy: the gateway starts even while Temporal is down, and /readyz says so.
  const tracing = await tracingFor('gateway', config);
  const connection = Connection.lazy(gatewayConnectionOptions(config));
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    interceptors: tracing?.clientInterceptors(),
  });
  const timelines = createTimelineHub(client);
  const logger = config.LOG_FORMAT === 'json' ? jsonLogger('gateway', config.LOG_LEVEL) : undefined;
  // Read before /readyz says ready and renewed in the background, so no inbox page waits for visibility.
  const inbox = createInboxListing(client, config, (err) =>
    console.error(`gateway: reading the approvals inbox failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  if (config.INBOX_CACHE_MS > 0) void inbox.start();
  const app = withRequestLog(createGatewayApp({ client, config, timelines, inbox }), logger, tracing?.httpMiddleware());

  const server = serve({ fetch: app.fetch, hostname: config.GATEWAY_HOST, port: config.GATEWAY_PORT }, (info) => {
    console.log(
      `gateway listening on http://${config.GATEWAY_HOST}:${info.port} (Temporal ${config.TEMPORAL_ADDRESS}, ` +
        `task queue "${config.TASK_QUEUE}", auth ${config.GATEWAY_AUTH})`,
    );
  });
  server.on('error', (err) => {
    console.error(`gateway: cannot listen on ${config.GATEWAY_HOST}:${config.GATEWAY_PORT}: ${err.message}`);
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`gateway: ${signal}, shutting down`);
    timelines.close();
    inbox.close();
    setTimeout(() => process.exit(0), drainDeadlineMs(config)).unref();
    server.close(() => {
      void connection
        .close()
        .then(() => tracing?.shutdown())
        .finally(() => process.exit(0));
    });
    // A keep-alive connection would keep the server open after its last answer: close each once idle.
    if ('closeIdleConnections' in server) {
      server.closeIdleConnections();
      setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
    }
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error('gateway failed:', err);
    process.exit(1);
  });
}
