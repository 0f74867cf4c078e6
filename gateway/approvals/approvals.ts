/**
 * Approvals as the gateway sees them: finding one (by id, in a session, in a run, in the inbox),
 * checking a decision (rules.ts, from the run's memo when no worker answers), delivering it durably
 * (durable-delivery.ts) and saying truly what happened.
 * Routes parse, call one method here and reply.
 */
import type { ApprovalDecision, ApprovalRecord, RunView, StepView } from '../../src/shared/contracts.js';
import { WorkflowNotFoundError } from '@temporalio/common';
import { FINAL_RUN_STATUSES } from '../../src/shared/contracts.js';
import { approvalDecisionSignal, approvalDecisionUpdate, parseApprovalId } from '../../src/shared/messages.js';
import { sameIdentity } from '../../src/shared/identity.js';
import { assertCanRead, canSeeAllUsers, groupsOf, type Identity } from '../auth.js';
import { deliverDurably } from '../durable-delivery.js';
import { ApiError, classifyError, ErrorCode } from '../errors.js';
import type { Runs } from '../runs.js';
import type { InboxListing } from './inbox-listing.js';
import { decisionRefusal, onlyPendingApproval } from './rules.js';
import { signWith } from '../../src/runtime/decision-keys.js';
import { runBindingOf } from '../../src/shared/approval/binding.js';
import type { DecisionSigner } from '../../src/shared/decision-signature.js';
import { sessionPendingFromMemos } from './run-memo.js';
import { runSummaryOf, type FoundApproval, type RunSummary } from '../run-description.js';
import { sendEdit, type EditInput, type EditResult } from './edits.js';
import { sendRevoke, type RevokeInput } from './revoke.js';
import type { RevokeOutcome } from '../../src/shared/messages.js';

function isUnresponsive(err: unknown): boolean {
  return err instanceof ApiError && err.code === ErrorCode.RunUnresponsive;
}

export interface DecisionInput {
  approved: boolean;
  deciderId: string;
  reason: string | undefined;
  /** The approval's action hash as the decider saw it; sent on to the run, which checks it again. */
  actionHash?: string | undefined;
}

/** What a decision did: the approval after it, and the gated step once the run acted on it. */
export interface DecisionResult {
  /** The run as it was found before deciding. */
  view: RunSummary;
  approval: ApprovalRecord;
  approved: boolean;
  deciderId: string;
  /** Undefined when the wait budget ran out before the run finished acting on the decision. */
  step: StepView | undefined;
  /**
   * False when no worker took the decision in time: it is kept in the run's history (a signal)
   * and applied when a worker returns; `approval` is then the record as it was found.
   */
  applied: boolean;
}

/** How many of a session's most recent runs are searched for its pending approval. */
const SESSION_SCAN_LIMIT = 50;

export class Approvals {
  constructor(
    private readonly runs: Runs,
    /** The inbox's shared listing; told of every change made here so whoever made it sees it at once. */
    private readonly inbox: InboxListing,
    private readonly budgetMs: number,
    /** Signs each decision: the workflow applies only decisions signed by a key it trusts. */
    private readonly signer: DecisionSigner,
    private readonly taskQueue: string,
    /** How long a decision waits for a worker to accept it before it is kept as a signal instead. */
    private readonly acceptMs?: number,
  ) {}

  /** The inbox: pending approvals across runs (a requester's own only), and when they were listed. */
  pending(identity: Identity): Promise<{ records: ApprovalRecord[]; listedAt: number }> {
    return this.inbox.records(canSeeAllUsers(identity) || identity.kind !== 'token' ? undefined : identity.user_id);
  }

  /** A run changed here (a cancel): its approvals no longer pending leave the inbox at once. */
  noteRunChanged(view: Pick<RunView, 'approvals'>): void {
    for (const approval of view.approvals) if (approval.status !== 'pending') this.inbox.noteChange(approval);
  }

  /** An approval handed over here: the inbox shows the hand-over at once. */
  noteHandedOver(approval: ApprovalRecord): void {
    this.inbox.noteChange(approval);
  }

  async ofRun(workflowId: string, identity: Identity): Promise<ApprovalRecord[]> {
    const view = await this.runs.getRun(workflowId);
    assertCanRead(identity, view.user_id, `No workflow ${workflowId}`);
    return view.approvals;
  }

  /** By id; 404 when the id, its run or the record is unknown, or the caller may not see it. */
  async find(approvalId: string, identity: Identity): Promise<FoundApproval> {
    const missing = `No approval ${approvalId}`;
    const ids = parseApprovalId(approvalId);
    if (!ids) throw ApiError.notFound(missing);
    let view: RunView;
    try {
      view = await this.runs.getRun(ids.workflowId);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw ApiError.notFound(missing);
      throw err;
    }
    assertCanRead(identity, view.user_id, missing);
    const approval = view.approvals.find((a) => a.approval_id === approvalId);
    if (!approval) throw ApiError.notFound(missing);
    return { view, approval };
  }

  /**
   * For a decision: the record from the run's memo when it is pending there (read with describe,
   * so no worker is needed to check and accept a decision), else as find() reads it, which says
   * whether it was decided, expired or never existed.
   */
  async findForDecision(approvalId: string, identity: Identity): Promise<FoundApproval> {
    const missing = `No approval ${approvalId}`;
    const ids = parseApprovalId(approvalId);
    if (!ids) throw ApiError.notFound(missing);
    const description = await this.runs.describe(ids.workflowId);
    if (!description?.isRequest) throw ApiError.notFound(missing);
    const run = runSummaryOf(description);
    assertCanRead(identity, run.user_id, missing);
    const pending = description.pendingApprovals.find((a) => a.approval_id === approvalId);
    if (pending) return { view: run, approval: pending };
    try {
      return await this.find(approvalId, identity);
    } catch (err) {
      // The memo lists every approval the run waits for; with no worker to say more, this one waits for nothing.
      if (isUnresponsive(err)) {
        throw ApiError.conflict(
          `Approval ${approvalId} is not waiting for a decision (its run lists it as neither pending nor open)`,
        );
      }
      throw err;
    }
  }

  /**
   * In a session: the named approval (which must belong to it), else the only approval pending
   * in any of its recent runs (409 ambiguous_approval when more are), else its latest run's
   * latest approval, which decide() then finds already decided.
   */
  async findInSession(sessionId: string, identity: Identity, approvalId: string | undefined): Promise<FoundApproval> {
    if (approvalId !== undefined) {
      const found = await this.findForDecision(approvalId, identity);
      if (found.view.session_id !== sessionId)
        throw ApiError.notFound(`Session ${sessionId} has no approval ${approvalId}`);
      return found;
    }
    let session;
    try {
      session = await this.runs.getSession(sessionId);
    } catch (err) {
      if (!isUnresponsive(err)) throw err;
      const listed = await sessionPendingFromMemos(this.runs.client, this.taskQueue, sessionId, SESSION_SCAN_LIMIT);
      return this.#onlyPendingOf(sessionId, identity, listed);
    }
    assertCanRead(identity, session.user_id, `No session ${sessionId}`);
    const recent = session.runs.slice(-SESSION_SCAN_LIMIT).map((r) => r.workflow_id);
    const published = (await Promise.all(recent.map((id) => this.runs.published(id)))).filter((d) => d !== undefined);
    const waiting = published.filter((d) => d.pendingApprovalIds.length > 0).map((d) => d.workflow_id);
    let views: RunView[];
    try {
      views = await Promise.all(waiting.map((id) => this.runs.getRun(id)));
    } catch (err) {
      if (!isUnresponsive(err)) throw err;
      return this.#onlyPendingOf(
        sessionId,
        identity,
        published.flatMap((d) => d.pendingApprovals),
      );
    }
    const pending = views.flatMap((v) => v.approvals.filter((a) => a.status === 'pending'));
    const only = onlyPendingApproval(sessionId, pending);
    const view = only ? views.find((v) => v.workflow_id === only.workflow_id) : undefined;
    if (only && view) return { view, approval: only };
    const latestId = session.runs.at(-1)?.workflow_id;
    const latest = latestId === undefined ? undefined : await this.runs.getRun(latestId);
    const decided = latest?.approvals.at(-1);
    if (!latest || !decided) throw ApiError.notFound(`Session ${sessionId} has no approval to decide`);
    return { view: latest, approval: decided };
  }

  /**
   * With no worker to answer: the session's only pending approval among those its runs' memos list
   * (read with describe when the session's runs are known, else as visibility lists them).
   */
  async #onlyPendingOf(sessionId: string, identity: Identity, pending: ApprovalRecord[]): Promise<FoundApproval> {
    const only = onlyPendingApproval(sessionId, pending);
    if (!only)
      throw ApiError.notFound(
        `Session ${sessionId} has no approval waiting for a decision (no worker answers for its runs, ` +
          'so only pending approvals can be found now)',
      );
    return this.findForDecision(only.approval_id, identity);
  }

  /**
   * Amends a pending approval's arguments (edits.ts), durably like a decision; the run judges the
   * edited step again. Only an edit the run applied changes this gateway's listing.
   */
  async edit(found: FoundApproval, identity: Identity, input: Omit<EditInput, 'groups'>): Promise<EditResult> {
    const delivery = {
      client: this.runs.client,
      signer: this.signer,
      budgetMs: this.budgetMs,
      acceptMs: this.acceptMs,
    };
    const edited = await sendEdit(delivery, identity, found, { ...input, groups: groupsOf(identity) });
    if (edited.applied) this.inbox.noteChange(edited.approval);
    return edited;
  }

  /** Takes back a holding approval (revoke.ts); the run answers revoked or too_late. */
  async revoke(found: FoundApproval, identity: Identity, input: RevokeInput): Promise<RevokeOutcome> {
    const readRun = () => this.runs.getRun(found.view.workflow_id).catch(() => undefined);
    const delivery = { client: this.runs.client, signer: this.signer, budgetMs: this.budgetMs, readRun };
    const outcome = await sendRevoke(delivery, identity, found, input);
    this.inbox.noteChange(outcome.approval);
    return outcome;
  }

  /**
   * Checks and sends a decision, then answers with what it did. When the run ended while the
   * decision was in flight (a cancel won the race, or lost it), the run is read again: a decision
   * that took effect is a success whichever request came first; one that did not is 409
   * already_finished.
   */
  async decide({ view, approval }: FoundApproval, identity: Identity, input: DecisionInput): Promise<DecisionResult> {
    // The run checks approval stages against the groups the gateway vouches for, sent with the decision.
    const groups = groupsOf(identity);
    const refusal = decisionRefusal(identity, approval, { ...input, groups });
    if (refusal) throw refusal;
    const decision: ApprovalDecision = {
      approval_id: approval.approval_id,
      approved: input.approved,
      approver_id: input.deciderId,
      ...(input.reason !== undefined && { reason: input.reason }),
      ...(groups && { groups }),
      // Signed for this run and the action judged (the one first requested when the caller named none).
      ...runBindingOf(approval),
      ...((input.actionHash ?? approval.action_hash) !== undefined && {
        action_hash: input.actionHash ?? approval.action_hash,
      }),
    };
    const base = { view, approved: input.approved, deciderId: input.deciderId };
    try {
      const delivery = await deliverDurably({
        client: this.runs.client,
        workflowId: view.workflow_id,
        update: approvalDecisionUpdate,
        signal: approvalDecisionSignal,
        args: [signWith(this.signer, decision)],
        budgetMs: this.budgetMs,
        ...(this.acceptMs !== undefined && { acceptMs: this.acceptMs }),
      });
      if (!delivery.applied) return { ...base, approval, step: undefined, applied: false };
      const decided = delivery.result?.approval ?? approval;
      this.inbox.noteChange(decided);
      return { ...base, approval: decided, step: delivery.result?.step, applied: true };
    } catch (err) {
      // A refusal by the workflow, or Temporal being away, is an answer of its own. A run that closed
      // after the memo was read (the decision it was waiting for came by another path) is read again.
      if (classifyError(err) && !(err instanceof WorkflowNotFoundError)) throw err;
      const after = await this.runs.getRun(view.workflow_id).catch(() => undefined);
      const record = after?.approvals.find((a) => a.approval_id === approval.approval_id);
      if (after && record && tookEffect(record, decision)) {
        this.inbox.noteChange(record);
        return { ...base, approval: record, step: after.steps.find((s) => s.id === record.step_id), applied: true };
      }
      if (after && FINAL_RUN_STATUSES.includes(after.status)) {
        throw ApiError.alreadyFinished(
          `Run ${view.workflow_id} ended ${after.status} before the decision on ${approval.approval_id} took effect`,
        );
      }
      throw err;
    }
  }
}

function tookEffect(record: ApprovalRecord, decision: ApprovalDecision): boolean {
  const status = decision.approved ? 'approved' : 'rejected';
  return (
    record.status === status && record.decided_by !== undefined && sameIdentity(record.decided_by, decision.approver_id)
  );
}
