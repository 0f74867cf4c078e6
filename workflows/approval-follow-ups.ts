/**
 * Durable timers for an approval nobody decides: the rule's reminder and escalation, each recorded
 * on the run and announced through the `notify` activity. Runs whose rule sets neither get no timer.
 */
import { condition, log } from '@temporalio/workflow';
import type { ApprovalRecord } from '../src/shared/contracts.js';
import { NotificationEventType, type NotificationEvent } from '../src/shared/notifications.js';
import type { FollowUp } from '../src/shared/policy/follow-ups.js';
import { notifyActivity } from './notify-activity.js';
import type { RunState } from './run-state.js';

const notify = notifyActivity('Notify subscribers');

/** Starts the follow-ups of a new approval; resolves once they are done or the approval is no longer pending. */
export function startFollowUps(run: RunState, approvalId: string, followUps: readonly FollowUp[]): Promise<void> {
  if (followUps.length === 0) return Promise.resolve();
  return runFollowUps(run, approvalId, followUps);
}

async function runFollowUps(run: RunState, approvalId: string, followUps: readonly FollowUp[]): Promise<void> {
  const decided = () => run.approval(approvalId)?.status !== 'pending';
  let waitedMs = 0;
  for (const followUp of followUps) {
    if (await condition(decided, followUp.after_ms - waitedMs)) return;
    waitedMs = followUp.after_ms;
    run.followUpApproval(approvalId, followUp);
    const approval = run.approval(approvalId);
    // Delivery is best effort and never holds the approval up: the timeline has the event either way.
    if (approval) void announce(run.workflowId, approval, followUp);
  }
}

async function announce(workflowId: string, approval: Readonly<ApprovalRecord>, followUp: FollowUp): Promise<void> {
  const type =
    followUp.kind === 'remind' ? NotificationEventType.ApprovalReminder : NotificationEventType.ApprovalEscalated;
  const event: NotificationEvent = {
    event_id: `${approval.approval_id}:${followUp.kind}`,
    type,
    workflow_id: workflowId,
    occurred_at: new Date().toISOString(),
    data: {
      approval_id: approval.approval_id,
      step_name: approval.step_name,
      ...(approval.effect !== undefined && { effect: approval.effect }),
      requested_by: approval.requested_by,
      ...(approval.amount !== undefined && { amount: approval.amount, recipient: approval.recipient }),
      progress: approval.progress,
      who_may_decide: approval.who_may_decide,
      ...(followUp.kind === 'escalate' && { escalated_to: followUp.group }),
      expires_at: approval.expires_at,
    },
  };
  try {
    await notify(event);
  } catch (err) {
    log.warn('notification not delivered', {
      event_id: event.event_id,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
