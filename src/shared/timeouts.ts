/**
 * The timeouts of our work, chosen for it (docs/decisions/timeouts.md has the measurements). A
 * timeout here is how long Temporal waits before it gives a task that a dead worker held to
 * another worker: the aim is a request picked up again within about 2-3 s of a crash. Pure
 * constants: the workflow bundle, the worker, the gateway and the tests read the same table.
 */
import type { ToolName } from './workflow-contracts.js';

/**
 * Workflow task timeout of request and session runs (the default of WORKFLOW_TASK_TIMEOUT, which
 * the gateway sets where it starts them). Our workflow tasks take a few milliseconds (a cold replay
 * of a request: tens); the server's default of 10 s was the longest wait of a request whose task
 * was on a killed worker. Local activities longer than 80 % of it extend the task by heartbeat, so
 * a long local call is not cut by it.
 */
export const WORKFLOW_TASK_TIMEOUT_MS = 2000;

/**
 * Each HTTP call to the sandbox: 5 s, where the slowest of thousands measured took under 100 ms
 * with 8 at once on a loaded machine (bench/tool-latency.ts). Longer means the sandbox is stuck,
 * and the step's retry (keyed, so money moves once) is the better bet.
 */
export const SANDBOX_CALL_TIMEOUT_MS = 5000;

/**
 * An activity in flight heartbeats this often while it waits for its call, so its heartbeat
 * timeout measures whether its worker lives, not how long the call takes. The SDK sends at most
 * one heartbeat per 80 % of the heartbeat timeout to the server; the rest stay local.
 */
export const HEARTBEAT_EVERY_MS = 500;

/** A dead worker's activity is retried this long after its last heartbeat reached the server. */
export const ACTIVITY_HEARTBEAT_TIMEOUT_MS = 2000;

export interface ActivityTimeouts {
  /** Bounds one attempt on a live worker (a hung call); above the call's own deadline. */
  startToCloseMs: number;
  /** Notices a dead worker (not set on local activities: the workflow task timeout covers them). */
  heartbeatMs: number;
}

/** A sandbox call: its 5 s deadline, then a second for the answer's checks and the reply. */
const SANDBOX_TOOL: ActivityTimeouts = {
  startToCloseMs: SANDBOX_CALL_TIMEOUT_MS + 1000,
  heartbeatMs: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
};

/** Reads of the user's own runs through Temporal: a query or a visibility listing, each with a 5 s deadline. */
const TEMPORAL_READ_TOOL: ActivityTimeouts = {
  startToCloseMs: 7000,
  heartbeatMs: ACTIVITY_HEARTBEAT_TIMEOUT_MS,
};

/** Per tool a plan step may name: the bank call, the job board, the calendar, the groceries, the assistant's reads. */
export const TOOL_TIMEOUTS: Readonly<Record<ToolName, ActivityTimeouts>> = {
  bank_transfer: SANDBOX_TOOL,
  job_search: SANDBOX_TOOL,
  cv_tailor: SANDBOX_TOOL,
  job_submit: SANDBOX_TOOL,
  calendar_create: SANDBOX_TOOL,
  grocery_plan: SANDBOX_TOOL,
  account_balance: SANDBOX_TOOL,
  transfer_history: SANDBOX_TOOL,
  request_status: TEMPORAL_READ_TOOL,
  pending_approvals: TEMPORAL_READ_TOOL,
  cancel_request: TEMPORAL_READ_TOOL,
};

/** The policy gate's ledger reads and window reservations: sandbox calls like a tool's (retried by Temporal). */
export const POLICY_LEDGER_TIMEOUTS: ActivityTimeouts = SANDBOX_TOOL;

/**
 * Planning, a local activity: the rule-based planner is pure and takes milliseconds. Its bound is
 * for a planner that calls out; a crash while it runs is noticed by the workflow task timeout.
 */
export const PLAN_START_TO_CLOSE_MS = 10_000;

/**
 * A worker told to stop (SIGTERM) stops polling and gives the calls it holds this long to finish
 * before it cancels them: above the longest start-to-close above, so a deploy cuts no call short.
 */
export const WORKER_SHUTDOWN_GRACE_MS = 10_000;
