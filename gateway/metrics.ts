/**
 * The gateway's Prometheus metrics, served at `/metrics` when GATEWAY_METRICS is on: request
 * durations by route pattern and status, decisions taken, SSE clients, and calls that Temporal (or
 * a run) did not answer. The worker's metrics come from the SDK (METRICS_PORT).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ApiError, ErrorCode } from './errors.js';
import type { TimelineHub } from './timeline-hub.js';

/** Routes whose success means a decision reached a run. */
const DECISION_ROUTES = new Set(['/workflow/:session_id/approve', '/api/approvals/:id/decision']);
const TEMPORAL_ERRORS = new Set<string>([ErrorCode.TemporalUnavailable, ErrorCode.RunUnresponsive]);

export interface GatewayMetrics {
  registry: Registry;
  middleware: MiddlewareHandler;
}

export function createGatewayMetrics(timelines: TimelineHub): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });
  const duration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'gateway_decisions_total',
    help: 'Approval decisions answered, by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const temporalErrors = new Counter({
    name: 'gateway_temporal_errors_total',
    help: 'Requests answered 503 because Temporal or the run did not answer in time, by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  new Gauge({
    name: 'gateway_sse_clients',
    help: 'Clients following a timeline over SSE',
    registers: [registry],
    collect() {
      this.set(timelines.subscriberCount());
    },
  });

  const middleware: MiddlewareHandler = async function gatewayMetrics(c, next) {
    const started = performance.now();
    await next();
    // The matched pattern, not the path, so ids do not explode the label set; unmatched paths share one label.
    const route = c.res.status === 404 && routePath(c, -1) === '*' ? 'unmatched' : routePath(c, -1);
    const status = String(c.res.status);
    duration.observe({ method: c.req.method, route, status }, (performance.now() - started) / 1000);
    if (DECISION_ROUTES.has(route) && c.req.method === 'POST') decisions.inc({ route, status });
    if (c.error instanceof ApiError && TEMPORAL_ERRORS.has(c.error.code)) temporalErrors.inc({ code: c.error.code });
  };
  return { registry, middleware };
}

/** `GET /metrics` when metrics are on; nothing (404) when they are off. */
export function metricsRoutes(metrics: GatewayMetrics | undefined): Hono {
  const app = new Hono();
  if (!metrics) return app;
  return app.get('/metrics', async (c) =>
    c.text(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }),
  );
}

/** The middleware to install: the metrics' when on, a pass-through when off. */
export function metricsMiddleware(metrics: GatewayMetrics | undefined): MiddlewareHandler {
  return (
    metrics?.middleware ??
    async function noMetrics(_c, next) {
      await next();
    }
  );
}
