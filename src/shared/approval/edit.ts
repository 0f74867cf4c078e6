/**
 * The approval judge's answer for an edit before approval: whether it may amend the action waiting,
 * with what. The same order as a decision (known, pending, this run, the action the editor saw, in
 * time), then the arguments (they fit the tool, and change only what the tool lets an edit change:
 * a transfer's debit account is always the requester's own), then the editor: whoever shaped the
 * action (its requester, or the editor of its current version) only before anyone decided; anyone
 * else only if they could approve it now, after which they count as its shaper for four eyes. Pure.
 */
import { canonicalJson } from '../canonical-json.js';
import { DecisionErrorType } from '../messages.js';
import { EditableToolArgs, ToolArgsSchemas, type ToolName } from '../workflow-contracts.js';
import { issueLines } from '../zod-issues.js';
import {
  expiryRefusal,
  identityRefusal,
  judgeDecision,
  pendingRefusal,
  roleRefusal,
  runRefusal,
  type Decider,
  type JudgeContext,
  type JudgedApproval,
  type Refusal,
} from './judge.js';
import { shapedAction } from './people.js';

export interface ProposedEdit {
  /** The tool's complete new arguments. */
  args: Record<string, unknown>;
  editor: Decider;
  /** The action hash the editor saw; an edit of another action is stale. */
  actionHash?: string | undefined;
  workflowId?: string | undefined;
  runId?: string | undefined;
}

export type EditVerdict = { allowed: true; args: Record<string, unknown> } | ({ allowed: false } & Refusal);

/** `field: why` for each problem of `args` as arguments of `tool`; empty when they fit. */
export function toolArgsProblems(tool: ToolName, args: unknown): string[] {
  const parsed = ToolArgsSchemas[tool].safeParse(args);
  return parsed.success ? [] : issueLines(parsed.error.issues, 'args', 'args');
}

/** The arguments an edit changes that its tool does not let an edit change. */
export function lockedArgsChanged(
  tool: ToolName,
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): string[] {
  const editable: readonly string[] = EditableToolArgs[tool];
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  return [...names]
    .filter((name) => !editable.includes(name))
    .filter((name) => canonicalJson(before?.[name] ?? null) !== canonicalJson(after[name] ?? null))
    .sort();
}

function argsRefusal(approval: JudgedApproval, args: ProposedEdit['args']) {
  const problems = toolArgsProblems(approval.tool, args);
  if (problems.length > 0)
    return {
      type: DecisionErrorType.InvalidArgs,
      message: `Invalid args for ${approval.tool}: ${problems.join('; ')}`,
    };
  const locked = lockedArgsChanged(approval.tool, approval.args, args);
  if (locked.length === 0) return undefined;
  const editable = EditableToolArgs[approval.tool];
  return {
    type: DecisionErrorType.InvalidArgs,
    message:
      `args.${locked[0]}: an edit of ${approval.tool} may not change ${locked.join(', ')} ` +
      `(editable: ${editable.length > 0 ? editable.join(', ') : 'nothing'})`,
  };
}

/** Whoever shaped the action edits it only before anyone decided; anyone else only if they may approve it now. */
function editorRefusal(approval: JudgedApproval, edit: ProposedEdit, now: string): Refusal | undefined {
  const who = edit.editor.id;
  const decided = approval.decisions?.length ?? 0;
  if (shapedAction(approval, who)) {
    if (decided === 0) return undefined;
    return {
      type: DecisionErrorType.Forbidden,
      message: `${who} shaped this step and may edit it only before any decision (${decided} made)`,
    };
  }
  const asApproval = judgeDecision(
    approval,
    { approved: true, decider: edit.editor, actionHash: approval.action_hash },
    { now },
  );
  if (asApproval.kind !== 'refuse') return undefined;
  return { type: asApproval.type, message: `${who} may not edit: ${asApproval.message}` };
}

/** Whether `edit` may amend `approval` at `context.now`, and the arguments it sets. */
export function judgeEdit(
  approval: JudgedApproval | undefined,
  edit: ProposedEdit,
  context: Omit<JudgeContext, 'standInGroups'>,
): EditVerdict {
  if (!approval) return { allowed: false, type: DecisionErrorType.UnknownApproval, message: 'No such approval' };
  const stale =
    edit.actionHash !== undefined && edit.actionHash !== approval.action_hash
      ? {
          type: DecisionErrorType.Stale,
          message:
            `Approval ${approval.approval_id} changed since you saw it (action_hash differs): ` +
            'look at it again before editing',
        }
      : undefined;
  const pending = pendingRefusal(approval);
  const refusal =
    identityRefusal(edit.editor) ??
    (pending && { ...pending, message: `${pending.message}; it can no longer be edited` }) ??
    (context.checkRun === true ? runRefusal(approval, edit) : undefined) ??
    stale ??
    expiryRefusal(approval, context.now) ??
    argsRefusal(approval, edit.args) ??
    roleRefusal(approval, { approved: false, decider: edit.editor }) ??
    editorRefusal(approval, edit, context.now);
  return refusal
    ? { allowed: false, type: refusal.type, message: refusal.message }
    : { allowed: true, args: edit.args };
}
