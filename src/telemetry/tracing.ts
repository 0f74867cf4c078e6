/**
 * OpenTelemetry traces for the gateway, the worker and the sandbox. Imported only when
 * tracesExporterOf says tracing is on (see tracing-settings.ts), so the default path loads none of it.
 *
 * One trace per HTTP request: the gateway's server span (Hono middleware), the Temporal client's
 * span around start/update/query, the workflow's spans (exported from the worker through a sink,
 * since workflow code cannot do I/O), each activity's span, and the sandbox's server span, reached
 * through the W3C `traceparent` header the sandbox client sends.
 */
import { httpInstrumentationMiddleware } from '@hono/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

/** Where spans go; tracing-settings.ts picks it from the OTEL_* settings. */
export type TracesExporter = 'otlp' | 'console';

export interface Tracing {
  /** The HTTP server span of every request; the route pattern names it. */
  httpMiddleware(): MiddlewareHandler;
  /** For a Temporal Client: a span around each call, its context sent in the call's headers. */
  clientInterceptors(): ClientInterceptors;
  /** For Worker.create: activity spans, and the sink that exports the workflows' spans. */
  workerOptions(): Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>>;
  /** Exports what is buffered; call before the process exits. */
  shutdown(): Promise<void>;
}

/**
 * Registers the tracer provider (with the AsyncLocalStorage context manager and the W3C
 * propagator). OTLP endpoints, headers and batching come from the exporter's and processor's own
 * OTEL_* settings.
 */
export function startTracing(service: string, exporter: TracesExporter): Tracing {
  const resource = Resource.default().merge(new Resource({ 'service.name': service }));
  const processor: SpanProcessor = new BatchSpanProcessor(
    exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter(),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  return {
    httpMiddleware: () =>
      httpInstrumentationMiddleware({
        serviceName: service,
        spanNameFactory: (c) => `${c.req.method} ${routePath(c, -1)}`,
      }),
    clientInterceptors: () => ({ workflow: [new OpenTelemetryWorkflowClientInterceptor()] }),
    workerOptions: () => ({
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
      },
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    }),
    shutdown: () => provider.shutdown(),
  };
}
