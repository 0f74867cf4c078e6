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
  /** Sync mode of the SQLite file (normal by default; full waits for the disk on every commit). */
  dbSync?: 'normal' | 'full';
}

/**
 * One task-queue partition: on a single dev server with a handful of pollers, the default four
 * partitions make tasks wait for forwarding between partitions. Eager activity execution lets a
 * worker start the activities its own workflow task scheduled without a round trip.
 *
 * The history queues' readers: each is limited to 20 reads a second (burst 20) per shard, and a dev
 * server has one shard, so once a burst of tasks is spent every workflow task, timer and visibility
 * update waits ~35-50 ms for the next token. The frontend allows 10 visibility calls a second per
 * namespace (burst 10), which a busy inbox and the session listings exceed. A cluster sizes these per
 * shard and per host; one process serving one user should not throttle itself.
 */
const QUEUE_READER_RPS = 10_000;
const DYNAMIC_CONFIG = [
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
  'system.enableActivityEagerExecution=true',
  `history.transferProcessorMaxPollRPS=${QUEUE_READER_RPS}`,
  `history.timerProcessorMaxPollRPS=${QUEUE_READER_RPS}`,
  `history.visibilityProcessorMaxPollRPS=${QUEUE_READER_RPS}`,
  `history.outboundProcessorMaxPollRPS=${QUEUE_READER_RPS}`,
  'frontend.namespaceRPS.visibility=1000',
];

/**
 * The SQLite file in write-ahead-log mode with normal sync: a commit no longer waits for an fsync
 * of the file and its journal. It survives a crash of the server process; a power loss can drop the
 * last commits. `TEMPORAL_DB_SYNC=full` chooses full sync instead.
 */
function sqlitePragmas(sync: 'normal' | 'full'): string[] {
  return ['journal_mode=wal', `synchronous=${sync}`].flatMap((pragma) => ['--sqlite-pragma', pragma]);
}

export function devServerArgs(settings: DevServerSettings): string[] {
  return [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(settings.port),
    '--ui-port', String(settings.uiPort),
    '--namespace', 'default',
    '--log-level', settings.logLevel ?? 'error',
    ...(settings.headless ? ['--headless'] : []),
    ...(settings.dbFile ? ['--db-filename', settings.dbFile, ...sqlitePragmas(settings.dbSync ?? 'normal')] : []),
    ...SEARCH_ATTRIBUTE_FLAGS.flatMap((flag) => ['--search-attribute', flag]),
    ...DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
  ];
}
