/** Plans, decisions and a blocked transfer shared by the RunState and publisher tables. */
import type { ApprovalDecision, Plan, PlanStep, RequestInput, TimelineEvent } from '../../src/shared/contracts.js';
import { RunState, type PublishHook } from '../../workflows/run-state.js';

export const START = Date.parse('2026-12-01T10:00:00.000Z');
export const TIMEOUT_MS = 60_000;
export const INPUT: RequestInput = { user_id: 'alice', session_id: 's-1', message: 'Transfer 6000 to Kiran' };
export const APPROVAL_ID = 'req-1.transfer';
/** The id and hash of the policy a run adopts with its plan. */
export const RUN_POLICY = { id: 'test-policy', hash: 'a'.repeat(64) };

const transferStep: PlanStep = {
  id: 'transfer',
  name: 'Transfer $6,000.00 to kiran',
  tool: 'bank_transfer',
  args: { from_account: '123', to_account: 'kiran', amount_cents: 600_000 },
  risk_level: 'L2',
  depends_on: [],
};
export const transferPlan: Plan = { intent: 'money_transfer', steps: [transferStep] };
export const chainPlan: Plan = {
  intent: 'life_os',
  steps: [
    {
      id: 'search',
      name: 'Search jobs',
      tool: 'job_search',
      args: { query: 'backend', count: 2 },
      risk_level: 'L0',
      depends_on: [],
    },
    {
      id: 'tailor',
      name: 'Tailor CV',
      tool: 'cv_tailor',
      args: { count: 2 },
      risk_level: 'L1',
      depends_on: ['search'],
    },
  ],
};

export function approve(approver_id: string, approved = true, approval_id = APPROVAL_ID): ApprovalDecision {
  return { approval_id, approved, approver_id };
}

/** A run of INPUT whose clock moves `stepMs` on at each reading, publishing to `publish` (nowhere by default). */
export function tickingRun(stepMs = 1000, publish: PublishHook = () => undefined, workflowId = 'req-1'): RunState {
  let now = START;
  return new RunState(INPUT, workflowId, () => new Date((now += stepMs)).toISOString(), publish);
}

/** A run of INPUT on a clock that moves only when `advance` says so. */
export function handClockRun(publish: PublishHook = () => undefined, workflowId = 'req-1') {
  let now = START;
  const run = new RunState(INPUT, workflowId, () => new Date(now).toISOString(), publish);
  return { run, advance: (ms: number) => (now += ms) };
}

/** A run whose transfer waits on an approval in policy stages; the requester may not approve. */
export function stagedTransferRun(
  reason: string,
  rule: string,
  stages: { group: string; count: number }[],
  policy = { id: 'bank-test', hash: 'a'.repeat(64) },
  run = tickingRun(),
): RunState {
  run.adoptPlan(transferPlan, policy);
  run.markReady('transfer');
  run.requestApproval('transfer', reason, TIMEOUT_MS, { rule, stages, requesterMayApprove: false });
  return run;
}

/** Brings a run to a transfer blocked behind a pending approval. */
export function blockTransfer(run: RunState): void {
  run.adoptPlan(transferPlan, RUN_POLICY);
  run.markReady('transfer');
  run.requestApproval('transfer', 'over threshold', TIMEOUT_MS);
}

/** A run on a hand-moved clock, counting publish calls and keeping what each one saw. */
export function newRun() {
  const seen: { status: string; events: number }[] = [];
  const { run, advance } = handClockRun((published) => {
    seen.push({ status: published.status, events: published.timelineAfter(0).length });
  });
  return { run, seen, advance };
}

export function names(timeline: TimelineEvent[]): string[] {
  return timeline.map((e) => (e.step_id ? `${e.event}:${e.step_id}` : e.event));
}
