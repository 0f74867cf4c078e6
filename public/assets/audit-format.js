// @ts-check
/**
 * Pure wording for the audit and simulation views: what a policy did to a step, the totals of a
 * simulation in one sentence, and the time fields' local values as the API's ISO times. The shapes
 * mirror src/audit/audit-record.ts and src/audit/policy-simulation.ts.
 */

/**
 * @typedef {object} AuditRecord
 * @property {number} seq
 * @property {string} key
 * @property {string} workflow_id
 * @property {string} kind
 * @property {string} at
 * @property {string} recorded_at
 * @property {string} [person]
 * @property {string} [tool]
 * @property {string} [step_id]
 * @property {string} [approval_id]
 * @property {string} [outcome]
 * @property {string} summary
 * @property {{ kind: string, key_id?: string, message: Record<string, unknown> }} [signed]
 * @property {Record<string, unknown>} data
 * @property {string} prev_hash
 * @property {string} hash
 *
 * @typedef {object} AuditVerdict
 * @property {boolean} ok
 * @property {number} records
 * @property {number} signed
 * @property {{ seq: number, hash: string }} [head]
 * @property {{ line: number, seq?: number, key?: string, problem: string }} [failure]
 *
 * @typedef {object} StepOutcome
 * @property {'allow'|'refuse'|'approve'|'not_judged'} kind
 * @property {string} [rule]
 * @property {{ group: string, count: number }[]} [stages]
 *
 * @typedef {object} SimulatedStep
 * @property {string} step_id
 * @property {string} tool
 * @property {number} [amount_cents]
 * @property {StepOutcome} actual
 * @property {StepOutcome} candidate
 * @property {boolean} changed
 *
 * @typedef {{ actual: number, candidate: number }} Pair
 *
 * @typedef {object} SimulationReport
 * @property {{ id: string }} policy
 * @property {string} from
 * @property {string} [to]
 * @property {{ workflow_id: string, requested_by: string, at: string, steps: SimulatedStep[] }[]} requests
 * @property {{ requests: number, steps: number, changed_steps: number,
 *   approvals: Pair & { difference: number }, refusals: Pair & { difference: number },
 *   by_rule: Record<string, Pair>, by_group: Record<string, Pair> }} totals
 */

/** The kinds of audit record, for the kind filter (src/audit/audit-record.ts AUDIT_KINDS). */
export const AUDIT_KINDS = [
  'request_started',
  'plan_adopted',
  'approval_requested',
  'approval_progress',
  'approval_decided',
  'approval_edited',
  'approval_delegated',
  'approval_expired',
  'approval_reminder',
  'approval_escalated',
  'message_ignored',
  'operator_action',
  'step_event',
  'step_executed',
  'step_failed',
  'signed_message',
  'run_finished',
];

/**
 * "Approval (small-transfer): 1 from approvers, then 2 from managers", "Runs without approval (petty)".
 * @param {StepOutcome} outcome
 */
export function outcomeText(outcome) {
  const rule = outcome.rule ? ` (${outcome.rule})` : '';
  switch (outcome.kind) {
    case 'allow':
      return `Runs without approval${rule}`;
    case 'refuse':
      return `Refused${rule}`;
    case 'not_judged':
      return 'Not reached';
    case 'approve': {
      const stages = (outcome.stages ?? []).map((s) => `${s.count} from ${groupName(s.group)}`).join(', then ');
      return `Approval${rule}${stages ? `: ${stages}` : ''}`;
    }
    default:
      return String(outcome.kind);
  }
}

/** A stage's group in words: `*` is anyone who may approve. @param {string} group */
export function groupName(group) {
  return group === '*' ? 'any approver' : group;
}

/** "+1", "-2", "±0". @param {number} n */
export function signed(n) {
  return n > 0 ? `+${n}` : n < 0 ? `${n}` : '±0';
}

/**
 * The simulation's totals in two sentences.
 * @param {SimulationReport} report
 */
export function simulationSummary(report) {
  const t = report.totals;
  return (
    `${report.policy.id}: ${t.requests} request(s), ${t.steps} step(s), ${t.changed_steps} would change. ` +
    `Approvals ${t.approvals.actual} → ${t.approvals.candidate} (${signed(t.approvals.difference)}), ` +
    `refusals ${t.refusals.actual} → ${t.refusals.candidate} (${signed(t.refusals.difference)}).`
  );
}

/**
 * A `datetime-local` field's value (the browser's local time, no zone) as an ISO time; '' stays ''.
 * @param {string} value
 */
export function isoFromLocal(value) {
  if (value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/**
 * The verification's verdict in one sentence.
 * @param {AuditVerdict} verdict
 */
export function verdictText(verdict) {
  if (verdict.failure) {
    const f = verdict.failure;
    const where = [`record ${f.line}`, ...(f.seq !== undefined ? [`seq ${f.seq}`] : [])].join(', ');
    return `Verification FAILED at ${where}: ${f.problem}. The ${verdict.records} record(s) before it verified.`;
  }
  if (!verdict.head) return 'The trail is empty: nothing to verify yet.';
  return (
    `Chain intact: ${verdict.records} record(s), ${verdict.signed} signed message(s) verified. ` +
    `Head: seq ${verdict.head.seq}, hash ${verdict.head.hash}.`
  );
}
