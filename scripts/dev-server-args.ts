/**
 * Arguments for `temporal server start-dev`, shared by temporal-dev.sh, the test harness and the
 * benchmark, so all three run the same server configuration.
 */
import { SEARCH_ATTRIBUTE_FLAGS } from '../src/shared/definitions.js';

export interface DevServerSettings {
  port: number;
  uiPort: number;
  /** SQLite file; in memory when absent. */
  dbFile?: string;
  headless?: boolean;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/**
 * One task-queue partition: on a single dev server with a handful of pollers, the default four
 * partitions make tasks wait for forwarding between partitions. Eager activity execution lets a
 * worker start the activities its own workflow task scheduled without a round trip.
 */
const DYNAMIC_CONFIG = [
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
  'system.enableActivityEagerExecution=true',
];

export function devServerArgs(settings: DevServerSettings): string[] {
  return [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(settings.port),
    '--ui-port', String(settings.uiPort),
    '--namespace', 'default',
    '--log-level', settings.logLevel ?? 'error',
    ...(settings.headless ? ['--headless'] : []),
    ...(settings.dbFile ? ['--db-filename', settings.dbFile] : []),
    ...SEARCH_ATTRIBUTE_FLAGS.flatMap((flag) => ['--search-attribute', flag]),
    ...DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
  ];
}
