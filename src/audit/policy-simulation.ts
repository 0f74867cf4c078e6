/**
 * Policy simulation over the audit trail: for every request recorded in a time range, what the
 * policy in force did to each step (from the trail) and what a candidate policy would have done,
 * judged by the same evaluator the runs call (src/shared/policy/evaluate.ts), with totals per rule
 * and per group. Pure: the records come in, the report goes out.
 *
 * The evaluator's inputs are rebuilt from the trail: the plan's steps and transfer sum, the
 * requester's groups, whether the debited account paid the recipient in an earlier recorded
 * transfer, and what the requester's other runs moved without approval in the rolling window.
 */
import { evaluatePolicy, requestTransferSumCents, type PolicyVerdict } from '../shared/policy/evaluate.js';
import type { PolicyDocument, PolicyStage } from '../shared/policy/schema.js';
import { windowMsOf } from '../shared/policy/window.js';
import type { PlanStep } from '../shared/workflow-contracts.js';
import type { AuditRecord } from './audit-record.js';

/** What a policy did, or would do, to one step. */
export interface StepOutcome {
  kind: 'allow' | 'refuse' | 'approve' | 'not_judged';
  rule?: string;
  stages?: PolicyStage[];
}

export interface SimulatedStep {
  step_id: string;
  tool: string;
  amount_cents?: number;
  actual: StepOutcome;
  candidate: StepOutcome;
  changed: boolean;
}

export interface SimulatedRequest {
  workflow_id: string;
  requested_by: string;
  at: string;
  policy?: { id: string; hash: string };
  steps: SimulatedStep[];
}

export interface SimulationReport {
  requests: SimulatedRequest[];
  totals: {
    requests: number;
    steps: number;
    changed_steps: number;
    approvals: { actual: number; candidate: number; difference: number };
    refusals: { actual: number; candidate: number; difference: number };
    by_rule: Record<string, { actual: number; candidate: number }>;
    /** Approvals each group would have had to give (the sum of its stages' counts). */
    by_group: Record<string, { actual: number; candidate: number }>;
  };
}

interface RecordedRun {
  workflowId: string;
  requestedBy: string;
  groups: string[];
  at: string;
  policy?: { id: string; hash: string };
  steps: PlanStep[];
  records: AuditRecord[];
}

interface PaidTransfer {
  user: string;
  at: number;
  from: string;
  to: string;
  cents: number;
  approved: boolean;
}

function runsOf(records: readonly AuditRecord[]): RecordedRun[] {
  const byRun = new Map<string, AuditRecord[]>();
  for (const record of records) byRun.set(record.workflow_id, [...(byRun.get(record.workflow_id) ?? []), record]);
  const runs: RecordedRun[] = [];
  for (const [workflowId, trail] of byRun) {
    const started = trail.find((r) => r.kind === 'request_started');
    const plan = trail.find((r) => r.kind === 'plan_adopted');
    if (!started || !plan || !Array.isArray(plan.data.steps)) continue;
    const groups = started.data.requester_groups;
    runs.push({
      workflowId,
      requestedBy: started.person ?? '',
      groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
      at: started.at,
      ...(plan.data.policy !== undefined && { policy: plan.data.policy as { id: string; hash: string } }),
      steps: plan.data.steps as PlanStep[],
      records: trail,
    });
  }
  return runs.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** What the policy in force did to the step, as the trail recorded it. */
export function actualOutcome(trail: readonly AuditRecord[], stepId: string): StepOutcome {
  const asked = trail.find((r) => r.kind === 'approval_requested' && r.step_id === stepId);
  if (asked) {
    const approval = asked.data.approval as { policy_rule?: string; stages?: PolicyStage[] } | undefined;
    return {
      kind: 'approve',
      ...(approval?.policy_rule !== undefined && { rule: approval.policy_rule }),
      stages: (approval?.stages ?? []).map(({ group, count }) => ({ group, count })),
    };
  }
  const refused = trail.find((r) => r.step_id === stepId && r.data.event === 'step_refused');
  if (refused) {
    const rule = (refused.data.metadata as { rule?: unknown } | undefined)?.rule;
    return { kind: 'refuse', ...(typeof rule === 'string' && { rule }) };
  }
  const ran = trail.some((r) => r.step_id === stepId && r.data.event === 'step_running');
  return { kind: ran ? 'allow' : 'not_judged' };
}

function outcomeOf(verdict: PolicyVerdict): StepOutcome {
  if (verdict.kind !== 'approve') return { kind: verdict.kind, rule: verdict.rule };
  return { kind: 'approve', rule: verdict.rule, stages: verdict.stages.map(({ group, count }) => ({ group, count })) };
}

function transferOf(step: PlanStep): { from: string; to: string; cents: number } | undefined {
  const { from_account: from, to_account: to, amount_cents: cents } = step.args;
  if (step.tool !== 'bank_transfer' || typeof from !== 'string' || typeof to !== 'string') return undefined;
  return typeof cents === 'number' ? { from, to, cents } : undefined;
}

function sameOutcome(a: StepOutcome, b: StepOutcome): boolean {
  return a.kind === b.kind && JSON.stringify(a.stages ?? []) === JSON.stringify(b.stages ?? []);
}

/** Simulates `candidate` over `records` (the trail of the chosen time range, in chain order). */
export function simulatePolicy(candidate: PolicyDocument, records: readonly AuditRecord[]): SimulationReport {
  const windowMs = candidate.rolling_window && windowMsOf(candidate.rolling_window.duration);
  const paid: PaidTransfer[] = [];
  const requests: SimulatedRequest[] = [];
  for (const run of runsOf(records)) {
    const sum = requestTransferSumCents(run.steps);
    const atMs = Date.parse(run.at);
    const steps: SimulatedStep[] = [];
    for (const step of run.steps) {
      const actual = actualOutcome(run.records, step.id);
      const transfer = transferOf(step);
      const moved =
        windowMs === undefined
          ? undefined
          : paid
              .filter((p) => p.user === run.requestedBy && !p.approved && p.at >= atMs - windowMs && p.at < atMs)
              .reduce((total, p) => total + p.cents, 0);
      const verdict = evaluatePolicy(candidate, step, {
        requestTransferSumCents: sum,
        requesterGroups: run.groups,
        ...(moved !== undefined && { movedInWindowCents: moved }),
        ...(transfer && { recipientNeverPaid: !paid.some((p) => p.from === transfer.from && p.to === transfer.to) }),
      });
      const simulated = actual.kind === 'not_judged' ? actual : outcomeOf(verdict);
      steps.push({
        step_id: step.id,
        tool: step.tool,
        ...(transfer && { amount_cents: transfer.cents }),
        actual,
        candidate: simulated,
        changed: !sameOutcome(actual, simulated),
      });
    }
    for (const step of run.steps) {
      const transfer = transferOf(step);
      const executed = run.records.find((r) => r.kind === 'step_executed' && r.step_id === step.id);
      if (!transfer || !executed) continue;
      const approved = run.records.some((r) => r.kind === 'approval_decided' && r.step_id === step.id);
      paid.push({ user: run.requestedBy, at: Date.parse(executed.at), ...transfer, approved });
    }
    requests.push({
      workflow_id: run.workflowId,
      requested_by: run.requestedBy,
      at: run.at,
      ...(run.policy && { policy: run.policy }),
      steps,
    });
  }
  return { requests, totals: totalsOf(requests) };
}

function totalsOf(requests: readonly SimulatedRequest[]): SimulationReport['totals'] {
  const steps = requests.flatMap((r) => r.steps);
  const count = (side: 'actual' | 'candidate', kind: StepOutcome['kind']) =>
    steps.filter((s) => s[side].kind === kind).length;
  const byRule: Record<string, { actual: number; candidate: number }> = {};
  const byGroup: Record<string, { actual: number; candidate: number }> = {};
  for (const step of steps) {
    for (const side of ['actual', 'candidate'] as const) {
      const outcome = step[side];
      if (outcome.kind !== 'approve') continue;
      const rule = outcome.rule ?? '(unnamed)';
      (byRule[rule] ??= { actual: 0, candidate: 0 })[side] += 1;
      for (const stage of outcome.stages ?? [])
        (byGroup[stage.group] ??= { actual: 0, candidate: 0 })[side] += stage.count;
    }
  }
  const pair = (kind: StepOutcome['kind']) => {
    const actual = count('actual', kind);
    const candidate = count('candidate', kind);
    return { actual, candidate, difference: candidate - actual };
  };
  return {
    requests: requests.length,
    steps: steps.length,
    changed_steps: steps.filter((s) => s.changed).length,
    approvals: pair('approve'),
    refusals: pair('refuse'),
    by_rule: byRule,
    by_group: byGroup,
  };
}
