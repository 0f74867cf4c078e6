/** What every route module receives: the Temporal-facing services, settings and the typed env. */
import type { Config } from '../src/runtime/config.js';
import type { Approvals } from './approvals/approvals.js';
import type { Attention } from './attention.js';
import type { Delegations } from './approvals/delegations.js';
import type { GatewayVariables } from './auth.js';
import type { Runs } from './runs.js';
import type { RunStarter } from './start-run.js';
import type { StreamTickets } from './stream-tickets.js';
import type { TimelineHub } from './timeline-hub.js';
import type { Listings } from './visibility.js';

export interface GatewayEnv {
  Variables: GatewayVariables;
}

export interface RouteDeps {
  config: Config;
  runs: Runs;
  approvals: Approvals;
  attention: Attention;
  delegations: Delegations;
  tickets: StreamTickets;
  starter: RunStarter;
  listings: Listings;
  timelines: TimelineHub;
  /** Time between SSE heartbeat comments. */
  heartbeatMs: number;
  /** How long `submit` waits for planning before answering. */
  submitWaitMs: number;
}
