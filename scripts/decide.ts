/**
 * The operators' break-glass decision: `./temporal-dev.sh decide <approval_id> approve|reject --as
 * <person> [--reason …]`. Shows the action waiting and its hash, signs the decision for that run and
 * that action with the operator key (OPERATOR_SIGNING_KEY_FILE, made with mode 600 when missing),
 * sends the approvalDecision signal, and reports what the run did with it. The run
 * records the decision `via: operator` and still applies its own rules (four eyes, already decided).
 */
import { signWith } from '../src/runtime/decision-keys.js';
import { runBindingOf } from '../src/shared/approval/binding.js';
import { canonicalJson } from '../src/shared/canonical-json.js';
import { approvalDecisionSignal, parseApprovalId, runQuery } from '../src/shared/messages.js';
import type { ApprovalRecord, TimelineEvent } from '../src/shared/contracts.js';
import { actorOf, splitCommandLine } from './operator-args.js';
import {
  awaitOutcome,
  reportOutcome,
  runOperatorCommand,
  timelineLength,
  type OperatorSession,
} from './operator-session.js';

const USAGE = 'usage: ./temporal-dev.sh decide <approval_id> approve|reject --as <person> [--reason <text>]';
const OUTCOMES = new Set<TimelineEvent['event']>(['approval_approved', 'approval_rejected', 'approval_ignored']);

export interface DecideArgs {
  approvalId: string;
  workflowId: string;
  approved: boolean;
  person: string;
  reason?: string;
}

/** The command line, or a message saying what is wrong with it. */
export function parseDecideArgs(argv: readonly string[]): DecideArgs | string {
  const line = splitCommandLine(argv, ['--as', '--reason']);
  if (typeof line === 'string') return line;
  const [approvalId, verdict, ...rest] = line.positional;
  if (approvalId === undefined || verdict === undefined || rest.length > 0)
    return 'expected an approval id and approve or reject';
  const parsedId = parseApprovalId(approvalId);
  if (!parsedId) return `approval id "${approvalId}" does not name a run and step (<workflow_id>.<step_id>)`;
  if (verdict !== 'approve' && verdict !== 'reject') return `verdict must be approve or reject, not "${verdict}"`;
  const actor = actorOf(line.options, 'the decision');
  if (typeof actor === 'string') return actor;
  return { approvalId, workflowId: parsedId.workflowId, approved: verdict === 'approve', ...actor };
}

/** What the operator is about to decide, in words, with the hash the signature binds. */
export function describeApproval(approval: ApprovalRecord): string {
  const lines = [
    `${approval.approval_id}: ${approval.step_name} (${approval.status}, requested by ${approval.requested_by})`,
    `  tool ${approval.tool} with ${canonicalJson(approval.args ?? {})}`,
    `  action_hash ${approval.action_hash ?? '(none)'}`,
    `  run ${approval.run_id ?? '(unknown)'} of ${approval.workflow_id}`,
  ];
  if (approval.edited_by !== undefined) lines.push(`  edited by ${approval.edited_by}`);
  return lines.join('\n');
}

/** Shows the action and its hash, then signs the decision for that run and that action, and sends it. */
async function sendDecision(args: DecideArgs, { client, signer }: OperatorSession): Promise<number> {
  const handle = client.workflow.getHandle(args.workflowId);
  const view = await handle.query(runQuery);
  const approval = view.approvals.find((a) => a.approval_id === args.approvalId);
  if (!approval) {
    console.error(`decide: run ${args.workflowId} has no approval ${args.approvalId}`);
    return 1;
  }
  console.log(`Deciding (${args.approved ? 'approve' : 'reject'} as ${args.person}):\n${describeApproval(approval)}`);
  const seenBefore = await timelineLength(handle);
  const decision = signWith(signer, {
    ...runBindingOf(approval),
    approval_id: args.approvalId,
    approved: args.approved,
    approver_id: args.person,
    ...(approval.action_hash !== undefined && { action_hash: approval.action_hash }),
    ...(args.reason !== undefined && { reason: args.reason }),
  });
  await handle.signal(approvalDecisionSignal, decision);
  const outcome =
    seenBefore === undefined
      ? undefined
      : await awaitOutcome(handle, seenBefore, (e) => OUTCOMES.has(e.event) && e.approval_id === args.approvalId);
  return reportOutcome('decide', signer, outcome, 'approval_ignored');
}

runOperatorCommand({
  name: 'decide',
  usage: USAGE,
  moduleUrl: import.meta.url,
  parse: parseDecideArgs,
  send: sendDecision,
});
