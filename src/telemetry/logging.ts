/**
 * Structured logs (LOG_FORMAT=json): one JSON line per HTTP request from the gateway and the
 * sandbox, with a request id (the caller's X-Request-Id when it sends a sane one, else a new one,
 * echoed in the answer), the workflow id where the request names one and the trace id when
 * tracing is on; the worker's SDK log entries (which carry workflowId, activityId and the like)
 * as JSON lines too.
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { Hono, type Context, type Env, type MiddlewareHandler, type Schema } from 'hono';
import { routePath } from 'hono/route';
import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** Sent by the activities' sandbox client, so the sandbox's log names the run that called it. */
export const WORKFLOW_ID_HEADER = 'x-workflow-id';

export function jsonLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

/** The workflow id a request is about: a path parameter, the caller's header, or the JSON answer's `workflow_id`. */
async function workflowIdOf(c: Context): Promise<string | undefined> {
  const fromPath =
    c.req.param('workflow_id') ?? (routePath(c, -1).startsWith('/api/workflows/:id') ? c.req.param('id') : undefined);
  if (fromPath) return fromPath;
  const fromHeader = c.req.header(WORKFLOW_ID_HEADER);
  if (fromHeader && REQUEST_ID.test(fromHeader)) return fromHeader;
  if (!c.res.headers.get('content-type')?.startsWith('application/json')) return undefined;
  const body: unknown = await c.res
    .clone()
    .json()
    .catch(() => undefined);
  return typeof body === 'object' && body !== null && 'workflow_id' in body && typeof body.workflow_id === 'string'
    ? body.workflow_id
    : undefined;
}

/** The trace this request belongs to; none unless tracing is on (the API alone records nothing). */
function activeTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

export function requestLog(logger: Logger): MiddlewareHandler {
  return async function logRequest(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    const line = {
      request_id: requestId,
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      workflow_id: await workflowIdOf(c),
      trace_id: activeTraceId(),
    };
    if (c.res.status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  };
}

/**
 * The app behind the request log (and, when tracing is on, the HTTP server span around it, so the
 * log line carries the trace id); routes keep their own types and tests use the bare app.
 */
export function withRequestLog<E extends Env, S extends Schema>(
  app: Hono<E, S>,
  logger: Logger | undefined,
  tracing?: MiddlewareHandler,
): Pick<Hono<E>, 'fetch'> {
  if (!logger && !tracing) return app;
  const outer = new Hono<E>();
  if (tracing) outer.use(tracing);
  if (logger) outer.use(requestLog(logger));
  outer.route('/', app);
  return outer;
}

const SDK_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The worker SDK's logger, writing JSON lines through pino. */
export function sdkJsonLogger(logger: Logger): DefaultLogger {
  return new DefaultLogger('INFO', (entry: LogEntry) => {
    logger[SDK_LEVEL[entry.level]]({ ...entry.meta }, entry.message);
  });
}
