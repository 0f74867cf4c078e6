/**
 * Which timeline events a webhook subscriber hears of, and the outbox that hands them to the
 * `notify` activity without holding up the run. Pure: the sender is handed in, so unit tests
 * drive it without a Temporal server.
 */
import type { ApprovalRecord, TimelineEvent, TimelineEventName } from '../src/shared/contracts.js';
import { NotificationEventType, type NotificationEvent } from '../src/shared/notifications.js';
import type { RunState } from './run-state.js';

const EVENT_TYPE_OF: Partial<Record<TimelineEventName, NotificationEventType>> = {
  approval_required: NotificationEventType.ApprovalRequested,
  approval_approved: NotificationEventType.ApprovalDecided,
  approval_rejected: NotificationEventType.ApprovalDecided,
  approval_expired: NotificationEventType.ApprovalExpired,
  approval_holding: NotificationEventType.ApprovalHolding,
  approval_revoked: NotificationEventType.ApprovalRevoked,
  workflow_complete: NotificationEventType.RunCompleted,
  workflow_failed: NotificationEventType.RunFailed,
};

type RunSnapshot = Pick<RunState, 'workflowId' | 'approval' | 'view'>;

/**
 * The notifications for `events`, as the run now is. `event_id` is the run's id and the timeline
 * seq, so a replay or a retry of the same emission carries the same id.
 */
export function notificationsOf(run: RunSnapshot, events: readonly TimelineEvent[]): NotificationEvent[] {
  const notifications: NotificationEvent[] = [];
  for (const event of events) {
    const type = EVENT_TYPE_OF[event.event];
    if (type === undefined) continue;
    const data =
      type === NotificationEventType.RunCompleted || type === NotificationEventType.RunFailed
        ? runData(run)
        : approvalData(run, event);
    if (data === undefined) continue;
    notifications.push({
      event_id: `${run.workflowId}:${event.seq}`,
      type,
      workflow_id: run.workflowId,
      occurred_at: event.timestamp,
      data,
    });
  }
  return notifications;
}

function approvalData(run: RunSnapshot, event: TimelineEvent): Record<string, unknown> | undefined {
  const approval: Readonly<ApprovalRecord> | undefined =
    event.approval_id === undefined ? undefined : run.approval(event.approval_id);
  return approval && { approval: { ...approval } };
}

function runData(run: RunSnapshot): Record<string, unknown> {
  const view = run.view();
  return {
    session_id: view.session_id,
    user_id: view.user_id,
    intent: view.intent,
    status: view.status,
    ...(view.error !== undefined && { error: view.error }),
    ...(view.failure_kind !== undefined && { failure_kind: view.failure_kind }),
    steps: view.steps.map(({ id, name, tool, state }) => ({ id, name, tool, state })),
  };
}

/**
 * Watches a run's timeline (call `observe` from the publish hook) and starts one delivery per
 * notification once `enable`d. Deliveries run beside the run; the workflow waits for `idle`
 * before it returns, so the outcome is delivered while the run still exists.
 */
export class NotificationOutbox {
  #seenSeq = 0;
  #send: ((event: NotificationEvent) => Promise<void>) | undefined;
  #inFlight = 0;

  enable(send: (event: NotificationEvent) => Promise<void>): void {
    this.#send = send;
  }

  get idle(): boolean {
    return this.#inFlight === 0;
  }

  observe(run: RunSnapshot & Pick<RunState, 'timelineAfter'>): void {
    const events = run.timelineAfter(this.#seenSeq);
    const last = events.at(-1);
    if (last === undefined) return;
    this.#seenSeq = last.seq;
    const send = this.#send;
    if (!send) return;
    for (const notification of notificationsOf(run, events)) {
      this.#inFlight += 1;
      // A delivery that gave up is in the delivery log; it never fails the run.
      void send(notification)
        .catch(() => undefined)
        .finally(() => {
          this.#inFlight -= 1;
        });
    }
  }
}
