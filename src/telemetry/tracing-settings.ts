/**
 * Whether a process exports traces, from the standard OTEL_* settings. Off by default: unlike the
 * OpenTelemetry spec's default exporter (otlp), nothing is loaded or sent unless asked for, so the
 * default path carries no interceptors and no SDK.
 */
import type { Config } from '../runtime/config.js';
import type { Tracing, TracesExporter } from './tracing.js';

type TracingSettings = Pick<
  Config,
  | 'OTEL_TRACES_EXPORTER'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
  | 'OTEL_SDK_DISABLED'
  | 'OTEL_SERVICE_NAME'
>;

/** The exporter to use, or undefined when tracing is off. */
export function tracesExporterOf(settings: TracingSettings): TracesExporter | undefined {
  if (settings.OTEL_SDK_DISABLED || settings.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (settings.OTEL_TRACES_EXPORTER) return settings.OTEL_TRACES_EXPORTER;
  return settings.OTEL_EXPORTER_OTLP_ENDPOINT || settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : undefined;
}

/** Tracing when the settings ask for it; the SDK is loaded only then. */
export async function tracingFor(service: string, settings: TracingSettings): Promise<Tracing | undefined> {
  const exporter = tracesExporterOf(settings);
  if (!exporter) return undefined;
  return (await import('./tracing.js')).startTracing(settings.OTEL_SERVICE_NAME ?? service, exporter);
}
