/**
 * The events a run announces to outside subscribers (webhooks), shared by the workflow that emits
 * them and the activity that delivers them. The names are the public contract of the webhook feed.
 */
export const NotificationEventType = {
  ApprovalRequested: 'approval.requested',
  ApprovalReminder: 'approval.reminder',
  ApprovalEscalated: 'approval.escalated',
  ApprovalDecided: 'approval.decided',
  ApprovalExpired: 'approval.expired',
  ApprovalHolding: 'approval.holding',
  ApprovalRevoked: 'approval.revoked',
  RunCompleted: 'run.completed',
  RunFailed: 'run.failed',
} as const;
export type NotificationEventType = (typeof NotificationEventType)[keyof typeof NotificationEventType];

export const NOTIFICATION_EVENT_TYPES = Object.values(NotificationEventType);

/**
 * One event as the workflow hands it to the `notify` activity. `event_id` is derived from the run
 * and what happened (never random), so a replayed or retried emission delivers the same id and a
 * subscriber can drop duplicates.
 */
export interface NotificationEvent {
  event_id: string;
  type: NotificationEventType;
  workflow_id: string;
  /** Workflow time of the event, ISO 8601. */
  occurred_at: string;
  data: Record<string, unknown>;
}
