/**
 * The names engineers and scripts rely on: signals, queries, updates and search attributes,
 * each defined once with its types and imported by the workflow and the client side alike.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type {
  ApprovalDecision,
  ApprovalDelegation,
  ApprovalRecord,
  RunView,
  StepAction,
  StepView,
  TimelineEvent,
} from './contracts.js';
import type { ApprovalEdit, ApprovalRevoke, SignedSessionRun } from './workflow-contracts.js';
import type { ReviewDecision, ReviewDecisionOutcome } from './review-decision.js';

export const REQUEST_WORKFLOW_TYPE = 'requestWorkflow';
export const SESSION_WORKFLOW_TYPE = 'sessionWorkflow';

/**
 * A person's decision on a pending approval; applied only when signed by the gateway or an
 * operator (see decision-signature.ts).
 */
export const approvalDecisionSignal = defineSignal<[ApprovalDecision]>('approvalDecision');

/** The whole run view, the same shape as `GET /api/workflows/{id}`. */
export const runQuery = defineQuery<RunView>('run');

/** Timeline events with `seq` greater than the argument (0 or nothing for all of them). */
export const timelineQuery = defineQuery<TimelineEvent[], [number?]>('timeline');

/** Resolves when the run has settled: finished, or waiting for a person. Used by `POST /chat`. */
export const waitSettledUpdate = defineUpdate<RunView>('waitSettled');

/**
 * Resolves once the run has planned (or failed to plan), so its intent is known. Used by
 * `POST /api/workflows/submit`.
 */
export const waitPlannedUpdate = defineUpdate<RunView>('waitPlanned');

export interface DecisionOutcome {
  approval: ApprovalRecord;
  /** The gated step once the run has acted on the decision (ran it, or rejected it). */
  step: StepView;
}

/**
 * Applies a decision like the signal does, then resolves once the run has acted on it.
 * A decision the run ignores fails with an ApplicationFailure whose type is a DecisionErrorType.
 */
export const approvalDecisionUpdate = defineUpdate<DecisionOutcome, [ApprovalDecision]>('approvalDecision');

/**
 * One signed decision on several steps of the run, bound to the hash of the review the decider saw
 * (review-decision.ts); applied at once, each step judged under its own policy, and answered per
 * step. A review that no longer matches the run fails with type `ReviewStale`.
 */
export const reviewDecisionUpdate = defineUpdate<ReviewDecisionOutcome, [ReviewDecision]>('reviewDecision');

/**
 * Hands a pending approval to a person or group; resolves with the approval as it now is. A
 * delegation the run refuses fails with an ApplicationFailure whose type is a DecisionErrorType.
 */
export const approvalDelegationUpdate = defineUpdate<ApprovalRecord, [ApprovalDelegation]>('approvalDelegation');

/**
 * Amends a pending approval's arguments (signed, see approval-edit.ts); resolves once the run
 * re-judged the edited step: it waits again (new action_hash), runs, or was refused. A refused
 * edit fails with an ApplicationFailure whose type is a DecisionErrorType.
 */
export const approvalEditUpdate = defineUpdate<DecisionOutcome, [ApprovalEdit]>('approvalEdit');

/**
 * The same signed edit as a signal, for when no worker runs: the gateway falls back to it so the
 * edit is kept in history, and the run judges it when it next runs (a refusal is recorded as
 * `approval_ignored`). An edit delivered both ways (an update given up on, then this) applies once.
 */
export const approvalEditSignal = defineSignal<[ApprovalEdit]>('approvalEdit');

/**
 * What a revoke did, as the run decided it: `revoked` (the step never runs) or `too_late` (the
 * window had ended and the step started at `started_at`; its money moves once).
 */
export type RevokeOutcome =
  | { outcome: 'revoked'; approval: ApprovalRecord; step: StepView }
  | { outcome: 'too_late'; started_at: string; approval: ApprovalRecord; step: StepView };

/**
 * Takes back an approved step in its cooling-off window (signed, see approval/revoke.ts). A revoke
 * racing the end of the window gets the run's answer; one the run refuses fails with an
 * ApplicationFailure whose type is a DecisionErrorType.
 */
export const approvalRevokeUpdate = defineUpdate<RevokeOutcome, [ApprovalRevoke]>('approvalRevoke');

export const DecisionErrorType = {
  UnknownApproval: 'UnknownApproval',
  AlreadyDecided: 'ApprovalAlreadyDecided',
  Forbidden: 'ApprovalForbidden',
  /** The decision came at or after the approval's `expires_at`; the approval expired instead. */
  Expired: 'ApprovalExpired',
  /** Not signed, or not signed by a key the run trusts. */
  Unauthenticated: 'ApprovalUnauthenticated',
  /** The decision names an `action_hash` other than the approval's: the action changed since the decider saw it. */
  Stale: 'ApprovalStale',
  /** An edit's arguments do not fit the tool's schema (see approval-edit.ts). */
  InvalidArgs: 'ApprovalEditInvalidArgs',
  /** Signed for another run (an earlier run under the same workflow id) or another approval. */
  WrongRun: 'ApprovalWrongRun',
  /** A person's id outside the safe alphabet (identity.ts): a look-alike is never taken for someone. */
  InvalidIdentity: 'ApprovalInvalidIdentity',
  /** A review decision whose review hash no longer matches the run: a plan or an action changed since the review. */
  ReviewStale: 'ReviewStale',
  /** A revoke of an approval not waiting out a cooling-off window (pending, rejected, or approved without one). */
  NotHolding: 'ApprovalNotHolding',
} as const;
export type DecisionErrorType = (typeof DecisionErrorType)[keyof typeof DecisionErrorType];

export interface StepActionOutcome {
  /** The step once the run has acted: final, blocked for approval, or held again; RUNNING if still retrying. */
  step: StepView;
}

/**
 * An operator's action on a step held in NEEDS_ATTENTION. An action the run cannot take is refused
 * by the validator (nothing enters history) with an ApplicationFailure whose type is a StepActionErrorType.
 */
export const stepActionUpdate = defineUpdate<StepActionOutcome, [StepAction]>('stepAction');

export const StepActionErrorType = {
  UnknownStep: 'UnknownStep',
  NotHeld: 'StepNotHeld',
  InvalidArgs: 'InvalidStepArgs',
  /** Signed for another run under the same workflow id (or naming none): recorded as `step_action_ignored`. */
  WrongRun: 'StepActionWrongRun',
  /** Not signed, or not signed by a key the run trusts (recorded as `step_action_ignored`). */
  Unauthenticated: 'StepActionUnauthenticated',
} as const;

/**
 * The same action as a signal, for when no worker runs: the gateway falls back to it so the action
 * is kept in history, and the run judges it when it next runs (an action it cannot take is
 * recorded as `step_action_ignored`).
 */
export const stepActionSignal = defineSignal<[StepAction]>('stepAction');
export type StepActionErrorType = (typeof StepActionErrorType)[keyof typeof StepActionErrorType];

export interface SessionRun {
  workflow_id: string;
  message: string;
  started_at: string;
}
export interface SessionView {
  session_id: string;
  user_id: string;
  created_at: string;
  updated_at: string;
  runs: SessionRun[];
}
/** The session workflow's input, from the gateway's signal-with-start. */
export interface SessionWorkflowInput {
  session_id: string;
  user_id: string;
  /**
   * The session closes after this long without a new run, so open sessions are the ones in use.
   * Its next chat opens it again under the same id (signal-with-start).
   */
  idle_close_ms?: number;
  /**
   * When a session that closed idle opens again: the runs it closed with, signed again by the
   * gateway for this session and its owner, and checked like every run signalled to it.
   */
  reopened_runs?: SignedSessionRun[];
  /** Carried over by continue-as-new only. */
  previous?: SessionView;
}
/** Records a run in its session; sent with signal-with-start by the gateway, signed for that session. */
export const sessionRunStartedSignal = defineSignal<[SignedSessionRun]>('sessionRunStarted');
export const sessionQuery = defineQuery<SessionView>('session');

export const SearchAttributes = {
  UserId: defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD),
  SessionId: defineSearchAttributeKey('SessionId', SearchAttributeType.KEYWORD),
  Intent: defineSearchAttributeKey('Intent', SearchAttributeType.KEYWORD),
  RunStatus: defineSearchAttributeKey('RunStatus', SearchAttributeType.KEYWORD),
  PendingApprovalIds: defineSearchAttributeKey('PendingApprovalIds', SearchAttributeType.KEYWORD_LIST),
  /** Ids of the run's steps held in NEEDS_ATTENTION; set only on runs that ever held one. */
  AttentionStepIds: defineSearchAttributeKey('AttentionStepIds', SearchAttributeType.KEYWORD_LIST),
  /** Groups that may decide the run's pending approvals now (`*`: anyone); set only on runs with policy stages. */
  AwaitingGroups: defineSearchAttributeKey('AwaitingGroups', SearchAttributeType.KEYWORD_LIST),
} as const;

/** Memo key holding the run's pending approval records (ApprovalRecord[]), read by the inbox. */
export const PENDING_APPROVALS_MEMO = 'pendingApprovals';

/** `name=Type` pairs for `temporal server start-dev --search-attribute`. */
export const SEARCH_ATTRIBUTE_FLAGS = [
  'UserId=Keyword',
  'SessionId=Keyword',
  'Intent=Keyword',
  'RunStatus=Keyword',
  'PendingApprovalIds=KeywordList',
  'AttentionStepIds=KeywordList',
  'AwaitingGroups=KeywordList',
];

/** Memo key holding the run's held steps (AttentionRecord[]), read by `GET /api/attention`. */
export const ATTENTION_MEMO = 'attentionSteps';

export function requestWorkflowIdFor(key: string): string {
  return `req-${key}`;
}
/** A run an operator starts by hand (`./temporal-dev.sh request`): its id says so, for the audit trail's source. */
export function operatorRequestWorkflowIdFor(key: string): string {
  return `op-req-${key}`;
}
export function sessionWorkflowIdFor(sessionId: string): string {
  return `session-${sessionId}`;
}

/** An approval id names its run and step, so an approval id alone finds its workflow. */
export function approvalIdFor(workflowId: string, stepId: string): string {
  return `${workflowId}.${stepId}`;
}
export function parseApprovalId(approvalId: string): { workflowId: string; stepId: string } | undefined {
  const dot = approvalId.lastIndexOf('.');
  if (dot <= 0 || dot === approvalId.length - 1) return undefined;
  const stepId = approvalId.slice(dot + 1);
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(stepId)) return undefined;
  return { workflowId: approvalId.slice(0, dot), stepId };
}
