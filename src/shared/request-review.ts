/**
 * A request reviewed as a whole: every step that still needs a decision or will run, what each
 * depends on, the totals of what they would do, and a hash of exactly what was reviewed (each
 * step's tool, arguments, dependencies and action hash). A decision covering several steps is
 * bound to that hash: when the plan or an action changed since the review, the hash differs.
 * Pure and deterministic (@noble/hashes, canonical JSON), so the gateway and the run compute the
 * same review from the same run.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { asciiBytes, canonicalJson } from './canonical-json.js';
import { bytesToHex } from './signed-proof.js';
import type { RiskLevel, StepState, ToolName } from './workflow-contracts.js';

const REVIEW_HASH_VERSION = 'review-v1';

/** A step still to come: waiting for its dependencies, about to be judged, or waiting for a decision. */
const REVIEWED_STATES: readonly StepState[] = ['PENDING', 'READY', 'BLOCKED'];

/** The parts of a step and an approval record the review reads (a RunView's members fit). */
export interface ReviewableStep {
  id: string;
  name: string;
  tool: ToolName;
  args: Record<string, unknown>;
  risk_level: RiskLevel;
  depends_on: string[];
  state: StepState;
  /** What the step will do, in plain words (step-effects.ts), when the run says. */
  effect?: string | undefined;
}
export interface ReviewableApproval {
  approval_id: string;
  step_id: string;
  status: string;
  action_hash?: string | undefined;
  run_id?: string | undefined;
}
export interface ReviewableRun {
  workflow_id: string;
  steps: readonly ReviewableStep[];
  approvals: readonly ReviewableApproval[];
}

export interface ReviewedStep {
  step_id: string;
  name: string;
  tool: ToolName;
  risk_level: RiskLevel;
  state: StepState;
  args: Record<string, unknown>;
  depends_on: string[];
  effect?: string;
  /** True when the step waits for a decision now; the others will run (or ask for one) later. */
  needs_decision: boolean;
  approval_id?: string;
  action_hash?: string;
}

export interface ReviewTotals {
  /** Money every transfer in the review would move out, in cents. */
  money_out_cents: number;
  transfers: number;
  /** Accounts money would go to, each once, in plan order. */
  recipients: string[];
  applications_sent: number;
  events_created: number;
  /** Every write to a system outside the run (transfers, applications, calendar events). */
  external_effects: number;
}

export interface RequestReview {
  workflow_id: string;
  /** The run's first execution run id, which a signed review decision names. */
  run_id?: string;
  steps: ReviewedStep[];
  totals: ReviewTotals;
  review_hash: string;
}

function countArg(args: Record<string, unknown>): number {
  return typeof args.count === 'number' ? args.count : 1;
}

export function reviewTotalsOf(steps: readonly ReviewedStep[]): ReviewTotals {
  const totals: ReviewTotals = {
    money_out_cents: 0,
    transfers: 0,
    recipients: [],
    applications_sent: 0,
    events_created: 0,
    external_effects: 0,
  };
  for (const step of steps) {
    if (step.tool === 'bank_transfer') {
      const amount = step.args.amount_cents;
      const recipient = step.args.to_account;
      totals.money_out_cents += typeof amount === 'number' ? amount : 0;
      totals.transfers += 1;
      totals.external_effects += 1;
      if (typeof recipient === 'string' && !totals.recipients.includes(recipient)) totals.recipients.push(recipient);
    } else if (step.tool === 'job_submit') {
      totals.applications_sent += countArg(step.args);
      totals.external_effects += countArg(step.args);
    } else if (step.tool === 'calendar_create') {
      totals.events_created += countArg(step.args);
      totals.external_effects += countArg(step.args);
    }
  }
  return totals;
}

/** SHA-256 (hex) over the canonical form of what was reviewed: each step's tool, args, dependencies and action hash. */
export function reviewHashOf(workflowId: string, steps: readonly ReviewedStep[]): string {
  const reviewed = steps.map((s) => [s.step_id, s.tool, s.args, s.depends_on, s.action_hash ?? null]);
  return bytesToHex(sha256(asciiBytes(canonicalJson([REVIEW_HASH_VERSION, workflowId, reviewed]))));
}

/** The review of a run as it is now: its steps still to come, in plan order. */
export function reviewOf(run: ReviewableRun): RequestReview {
  const pending = new Map(run.approvals.filter((a) => a.status === 'pending').map((a) => [a.step_id, a]));
  const steps: ReviewedStep[] = run.steps
    .filter((s) => REVIEWED_STATES.includes(s.state))
    .map((s) => {
      const approval = pending.get(s.id);
      return {
        step_id: s.id,
        name: s.name,
        tool: s.tool,
        risk_level: s.risk_level,
        state: s.state,
        args: s.args,
        depends_on: s.depends_on,
        ...(s.effect !== undefined && { effect: s.effect }),
        needs_decision: approval !== undefined,
        ...(approval && { approval_id: approval.approval_id }),
        ...(approval?.action_hash !== undefined && { action_hash: approval.action_hash }),
      };
    });
  const runId = run.approvals.find((a) => a.run_id !== undefined)?.run_id;
  return {
    workflow_id: run.workflow_id,
    ...(runId !== undefined && { run_id: runId }),
    steps,
    totals: reviewTotalsOf(steps),
    review_hash: reviewHashOf(run.workflow_id, steps),
  };
}
