/**
 * The gateway's Hono app: one sub-app per resource, mounted with `.route()`, behind a body limit
 * and the identity middleware, with one error shape for everything.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { requireSetting, type Config } from '../src/runtime/config.js';
import { loadDecisionSigner } from '../src/runtime/decision-keys.js';
import type { DecisionSigner } from '../src/shared/decision-signature.js';
import { Approvals } from './approvals/approvals.js';
import { Attention } from './attention.js';
import { authMiddleware, TokenTable } from './auth.js';
import { createJwtVerifier } from './jwt-auth.js';
import type { RouteDeps } from './context.js';
import { errorBody, ErrorCode, notFoundHandler, onError } from './errors.js';
import { apiRouter, openApiDocumentOf } from './openapi.js';
import { approvalRoutes } from './routes/approvals.js';
import { Delegations } from './approvals/delegations.js';
import { InboxListing } from './approvals/inbox-listing.js';
import { PendingApprovalsReader } from './approvals/inbox-read.js';
import { primeInboxPage } from './approvals/inbox.js';
import { attentionRoutes } from './routes/attention.js';
import { chatRoutes } from './routes/chat.js';
import { docsRoutes } from './routes/docs.js';
import { createGatewayMetrics, metricsMiddleware, metricsRoutes } from './metrics.js';
import { healthRoutes } from './routes/health.js';
import { webRoutes } from './routes/web.js';
import { webhookRoutes } from './routes/webhooks.js';
import { auditRoutes, verifyingKeysOf } from './routes/audit.js';
import { policyRoutes } from './routes/policies.js';
import { auditorScope } from './auditor-scope.js';
import { lazyAuditStore } from '../src/audit/open-audit-store.js';
import { approvalLinkRoutes } from './routes/approval-links.js';
import { workflowRoutes } from './routes/workflows.js';
import { requestRoutes } from './routes/requests.js';
import { Reviews } from './approvals/review.js';
import { originGuard } from './origin-guard.js';
import { DEFAULT_QUERY_TIMEOUT_MS } from './query-deadline.js';
import { Runs } from './runs.js';
import { RunStarter } from './start-run.js';
import { StreamTickets } from './stream-tickets.js';
import { TimelineHub } from './timeline-hub.js';
import { Listings } from './visibility.js';

export const BODY_LIMIT_BYTES = 64 * 1024;
const DEFAULT_PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public');

export interface GatewayDeps {
  client: Client;
  config: Config;
  /** Bearer tokens; read from GATEWAY_TOKENS_FILE when auth is on and none are given. */
  tokens?: TokenTable;
  /** Shared SSE pollers; pass one to close its streams on shutdown. */
  timelines?: TimelineHub;
  /** Where index.html and assets/ are (default: the repository's public/). */
  publicDir?: string;
  /** SSE: time between timeline polls (250 ms) and between heartbeats (15 s). */
  pollMs?: number;
  heartbeatMs?: number;
  /**
   * How long submit waits for the run to plan (default CHAT_WAIT_MS); planning takes milliseconds
   * unless the worker is behind or down.
   */
  submitWaitMs?: number;
  /** How long a query may take before the run is reported unresponsive (503); default 5 s. */
  queryTimeoutMs?: number;
  /** Signs decisions and operator actions; read from DECISION_SIGNING_KEY_FILE when not given. */
  decisionSigner?: DecisionSigner;
  /** How long a decision waits for a worker to accept it before it is kept as a signal (default 2 s). */
  decisionAcceptMs?: number;
  /**
   * The inbox's listing; pass one kept warm (`start()`) so no page waits for visibility. Read on
   * demand when not given.
   */
  inbox?: InboxListing;
}

/** The inbox's shared listing, as INBOX_CACHE_MS and INBOX_MAX_AGE_MS say; `start()` keeps it warm. */
export function createInboxListing(client: Client, config: Config, onReadError?: (err: unknown) => void): InboxListing {
  const reader = new PendingApprovalsReader(client, config.TASK_QUEUE);
  const maxAgeMs = config.INBOX_CACHE_MS === 0 ? 0 : config.INBOX_MAX_AGE_MS;
  return new InboxListing(() => reader.read(), {
    refreshMs: config.INBOX_CACHE_MS,
    maxAgeMs,
    onFirstListing: primeInboxPage,
    ...(onReadError && { onReadError }),
  });
}

export function createTimelineHub(
  client: Client,
  pollMs = 250,
  queryTimeoutMs = DEFAULT_QUERY_TIMEOUT_MS,
): TimelineHub {
  const runs = new Runs(client, queryTimeoutMs);
  return new TimelineHub((id, after) => runs.getTimeline(id, after), {
    pollMs,
    onPollError: (id, err) =>
      console.warn(`gateway: timeline poll of ${id} failed: ${err instanceof Error ? err.message : String(err)}`),
  });
}

function tokensFor(deps: GatewayDeps): TokenTable | undefined {
  if (deps.config.GATEWAY_AUTH !== 'token') return undefined;
  if (deps.tokens) return deps.tokens;
  if (!deps.config.GATEWAY_TOKENS_FILE) throw new Error('GATEWAY_AUTH=token needs GATEWAY_TOKENS_FILE');
  return TokenTable.fromFile(deps.config.GATEWAY_TOKENS_FILE);
}

/**
 * On every answer (page, docs, API): scripts only from files this gateway serves (no inline
 * script, no eval), no framing, no MIME sniffing, and the Referer kept to this origin.
 * Swagger UI sets inline styles, hence style-src 'unsafe-inline' (styles cannot run code).
 */
function pageSecurityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: true,
    referrerPolicy: 'same-origin',
    // A route's own stricter choice stands: link pages send `Referrer-Policy: no-referrer`.
    overwrite: false,
  });
}

function decisionSignerFor(deps: GatewayDeps): DecisionSigner {
  return (
    deps.decisionSigner ??
    loadDecisionSigner(
      requireSetting(deps.config, 'DECISION_SIGNING_KEY_FILE', 'the key that signs decisions for the worker'),
    )
  );
}

export function createGatewayApp(deps: GatewayDeps) {
  const { client, config } = deps;
  const runs = new Runs(client, deps.queryTimeoutMs);
  const listings = new Listings(client, config.TASK_QUEUE);
  const inboxListing = deps.inbox ?? createInboxListing(client, config);
  const tickets = new StreamTickets();
  const tokens = tokensFor(deps);
  const signer = decisionSignerFor(deps);
  const auditStore = lazyAuditStore(config);
  const routeDeps: RouteDeps = {
    config,
    runs,
    approvals: new Approvals(runs, inboxListing, config.CHAT_WAIT_MS, signer, config.TASK_QUEUE, deps.decisionAcceptMs),
    attention: new Attention(client, runs, config.TASK_QUEUE, signer),
    delegations: new Delegations(
      runs,
      signer,
      config.CHAT_WAIT_MS,
      config.POLICY.document.out_of_office ?? [],
      tokens,
      config.POLICY.id,
    ),
    tickets,
    starter: new RunStarter(runs, config, signer),
    listings,
    timelines: deps.timelines ?? createTimelineHub(client, deps.pollMs, deps.queryTimeoutMs),
    heartbeatMs: deps.heartbeatMs ?? 15_000,
    submitWaitMs: deps.submitWaitMs ?? config.CHAT_WAIT_MS,
  };

  const metrics = config.GATEWAY_METRICS ? createGatewayMetrics(routeDeps.timelines) : undefined;
  const app = apiRouter();
  app
    .use(metricsMiddleware(metrics))
    .route('/', metricsRoutes(metrics))
    .use(pageSecurityHeaders())
    .use(
      bodyLimit({
        maxSize: BODY_LIMIT_BYTES,
        // The rest of the body is never read: close the connection, or a client reusing it gets no answer.
        onError: (c) => {
          c.header('Connection', 'close');
          return c.json(
            errorBody(ErrorCode.PayloadTooLarge, `Request body is larger than ${BODY_LIMIT_BYTES} bytes`),
            413,
          );
        },
      }),
    )
    .use(originGuard({ allowedOrigins: config.GATEWAY_ALLOWED_ORIGINS, checkHost: config.GATEWAY_AUTH === 'off' }))
    .use(
      authMiddleware({ tokens, jwt: config.GATEWAY_AUTH === 'jwt' ? createJwtVerifier(config) : undefined, tickets }),
    )
    // An auditor reads the evidence and nothing else, whatever route comes after.
    .use(auditorScope());
  // OpenAPIHono's route() (not the chained Hono's) carries each part's documented routes into the document.
  app.route('/', healthRoutes(client, deps.inbox));
  app.route(
    '/',
    docsRoutes(() => openApiDocumentOf(app)),
  );
  app.route('/', webRoutes(deps.publicDir ?? DEFAULT_PUBLIC_DIR, deps.config));
  app.route('/', chatRoutes(routeDeps));
  app.route('/api/workflows', workflowRoutes(routeDeps));
  app.route('/api/approvals', approvalRoutes(routeDeps));
  app.route('/api/requests', requestRoutes(new Reviews(routeDeps, signer)));
  app.route('/api/attention', attentionRoutes(routeDeps));
  app.route('/api/webhooks', webhookRoutes(routeDeps));
  app.route(
    '/api/audit',
    auditRoutes(auditStore, () => verifyingKeysOf(config)),
  );
  app.route('/api/policies', policyRoutes(auditStore));
  app.route('/approval-links', approvalLinkRoutes(routeDeps));
  app.onError(onError);
  app.notFound(notFoundHandler);
  return app;
}

export type GatewayApp = ReturnType<typeof createGatewayApp>;
