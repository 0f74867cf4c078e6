/**
 * The operators' break-glass decision: `./temporal-dev.sh decide <approval_id> approve|reject --as
 * <person> [--reason …]`. Signs with the operator key (OPERATOR_SIGNING_KEY_FILE, made with mode 600
 * when missing), sends the approvalDecision signal, and reports what the run did with it. The run
 * records the decision `via: operator` and still applies its own rules (four eyes, already decided).
 */
import { signWith } from '../src/decision-keys.js';
import { approvalDecisionSignal, parseApprovalId } from '../src/shared/messages.js';
import type { TimelineEvent } from '../src/shared/contracts.js';
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

/** Signs and sends the decision. */
async function sendDecision(args: DecideArgs, { client, signer }: OperatorSession): Promise<number> {
  const handle = client.workflow.getHandle(args.workflowId);
  const seenBefore = await timelineLength(handle);
  const decision = signWith(signer, {
    approval_id: args.approvalId,
    approved: args.approved,
    approver_id: args.person,
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
