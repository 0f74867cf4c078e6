/**
 * Arguments for `temporal server start-dev`, shared by temporal-dev.sh, the test harness and the
 * benchmark, so all three run the same server configuration.
 */
import { SEARCH_ATTRIBUTE_FLAGS } from '../src/shared/messages.js';

const QUEUE_READER_RPS = 10_000;

/**
 * The dev server's defaults that throttle one user, by what they change; `bench/server-floor.ts`
 * measures each. A cluster sizes these per shard and per host; one process serving one user should
 * not throttle itself.
 */
export const SERVER_TUNING = {
  /**
   * One task-queue partition: with a handful of pollers, the default four make tasks wait for
   * forwarding between partitions. Eager activity execution lets a worker start the activities its
   * own workflow task scheduled without a round trip.
   */
  matching: [
    'matching.numTaskqueueReadPartitions=1',
    'matching.numTaskqueueWritePartitions=1',
    'system.enableActivityEagerExecution=true',
  ],
  /**
   * The history queues' readers are limited to 20 reads a second (burst 20) per shard, and a dev
   * server has one shard: once a burst is spent, every workflow task, timer and visibility update
   * waits ~35-50 ms for the next token.
   */
  queueReaders: [
    `history.transferProcessorMaxPollRPS=${QUEUE_READER_RPS}`,
    `history.timerProcessorMaxPollRPS=${QUEUE_READER_RPS}`,
    `history.visibilityProcessorMaxPollRPS=${QUEUE_READER_RPS}`,
    `history.outboundProcessorMaxPollRPS=${QUEUE_READER_RPS}`,
  ],
  /** 10 visibility calls a second per namespace (burst 10), which a busy inbox and the session listings exceed. */
  visibilityApi: ['frontend.namespaceRPS.visibility=1000'],
  /**
   * A new timer fires no sooner than 1 s after it was created (the timer queue's time shift), so a
   * 100 ms retry backoff or a short expiry waits a whole second. The queue's tracking of in-flight
   * tasks, not the shift, keeps a timer from being missed.
   */
  timers: ['history.timerProcessorMaxTimeShift="10ms"'],
  /**
   * The dev server reloads the search-attribute registry from the database on every read, so that
   * attributes added while it runs show at once; ours are registered by its flags before it serves.
   */
  searchAttributeCache: ['system.forceSearchAttributesCacheRefreshOnRead=false'],
} as const;
export type ServerTuning = keyof typeof SERVER_TUNING;

/**
 * The one Host header the frontend's HTTP API answers. The dev server always serves that API (with
 * no origin check: a page on any site could POST `text/plain` to it and start runs), and 1.5.1 has
 * no flag to turn it off; a `.invalid` name never resolves, so no browser can send it and every
 * request a page makes is refused with 403. Workers, the gateway and the CLI use gRPC.
 */
export const HTTP_API_ALLOWED_HOST = 'temporal-http-api.invalid';
export const HTTP_API_LOCKDOWN = [`frontend.httpAllowedHosts=["${HTTP_API_ALLOWED_HOST}"]`];

/**
 * How the SQLite file commits. `wal-normal` (the default): write-ahead log, no fsync per commit; it
 * survives a crash of the server process, and a power loss can drop the last commits. `wal-full`
 * (`TEMPORAL_DB_SYNC=full`) waits for the disk on every commit; `rollback` is SQLite's own default.
 */
export type SqliteMode = 'wal-normal' | 'wal-full' | 'rollback';
const SQLITE_PRAGMAS: Record<SqliteMode, string[]> = {
  'wal-normal': ['journal_mode=wal', 'synchronous=normal'],
  'wal-full': ['journal_mode=wal', 'synchronous=full'],
  rollback: [],
};

export interface DevServerSettings {
  port: number;
  uiPort: number;
  /** The HTTP API's port (locked down by HTTP_API_LOCKDOWN); a random free one when absent. */
  httpPort?: number;
  /** SQLite file; in memory when absent. */
  dbFile?: string;
  headless?: boolean;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  sqlite?: SqliteMode;
  /** Which groups of SERVER_TUNING to apply; all unless given (the floor probe measures fewer). */
  tuning?: readonly ServerTuning[];
}

export function devServerArgs(settings: DevServerSettings): string[] {
  const tuning = settings.tuning ?? (Object.keys(SERVER_TUNING) as ServerTuning[]);
  const pragmas = settings.dbFile ? SQLITE_PRAGMAS[settings.sqlite ?? 'wal-normal'] : [];
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(settings.port),
    '--ui-port',
    String(settings.uiPort),
    ...(settings.httpPort !== undefined ? ['--http-port', String(settings.httpPort)] : []),
    '--namespace',
    'default',
    '--log-level',
    settings.logLevel ?? 'error',
    ...(settings.headless ? ['--headless'] : []),
    ...(settings.dbFile ? ['--db-filename', settings.dbFile] : []),
    ...pragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
    ...SEARCH_ATTRIBUTE_FLAGS.flatMap((flag) => ['--search-attribute', flag]),
    ...[...tuning.flatMap((group) => SERVER_TUNING[group]), ...HTTP_API_LOCKDOWN].flatMap((value) => [
      '--dynamic-config-value',
      value,
    ]),
  ];
}
