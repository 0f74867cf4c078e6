/**
 * The notifier the workflow calls for approval.reminder and approval.escalated (and, from the
 * webhooks work, every event in src/shared/notifications.ts). A stand-in until webhook delivery
 * lands: with WEBHOOK_URL unset, which is the only case it handles, there is nowhere to deliver,
 * so it does nothing; the workflow's timeline holds the same events.
 */
import type { NotificationEvent } from '../src/shared/notifications.js';

export async function notify(event: NotificationEvent): Promise<void> {
  void event;
  return Promise.resolve();
}
