/**
 * The `notify` activity: delivers one notification event to the webhook subscriber, signed as the
 * Standard Webhooks specification says. A non-2xx answer or no answer fails the attempt, which the
 * workflow's retry policy (WEBHOOK_RETRY) retries with backoff; each attempt is recorded in the
 * delivery log. With no subscriber configured it does nothing.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import type { NotificationEvent } from '../src/shared/notifications.js';
import { WEBHOOK_RETRY } from '../src/shared/webhook-retry.js';
import { DeliveryStatus, type DeliveryLog } from '../src/webhooks/delivery-log.js';

export const WEBHOOK_DELIVERY_FAILED = 'WebhookDeliveryFailed';

export interface WebhookSubscriber {
  url: string;
  /** `whsec_…` (WEBHOOK_SECRET). */
  secret: string;
  log: DeliveryLog;
  /** Adds what only the worker may compute (signed one-click links) to an event before it is sent. */
  enrich?: (event: NotificationEvent) => NotificationEvent;
  /** Timeout of one HTTP call; 10 s unless given. */
  requestTimeoutMs?: number;
}

export function createNotifyActivities(subscriber: WebhookSubscriber | undefined) {
  const signer = subscriber && new Webhook(subscriber.secret);
  return {
    async notify(event: NotificationEvent): Promise<void> {
      if (!subscriber || !signer) return;
      const attempt = Context.current().info.attempt;
      const body = JSON.stringify(subscriber.enrich ? subscriber.enrich(event) : event);
      const sentAt = new Date();
      const record = (outcome: { delivered: boolean; response_status?: number; error?: string }) =>
        subscriber.log.record({
          event_id: event.event_id,
          type: event.type,
          workflow_id: event.workflow_id,
          url: subscriber.url,
          attempt,
          status: outcome.delivered
            ? DeliveryStatus.Delivered
            : attempt >= WEBHOOK_RETRY.maximumAttempts
              ? DeliveryStatus.Failed
              : DeliveryStatus.Retrying,
          ...(outcome.response_status !== undefined && { response_status: outcome.response_status }),
          ...(outcome.error !== undefined && { error: outcome.error }),
          at: sentAt.toISOString(),
        });
      let response: Response;
      try {
        response = await fetch(subscriber.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': event.event_id,
            'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
            'webhook-signature': signer.sign(event.event_id, sentAt, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([
            AbortSignal.timeout(subscriber.requestTimeoutMs ?? 10_000),
            Context.current().cancellationSignal,
          ]),
        });
        await response.body?.cancel();
      } catch (err) {
        const error = `no answer from the subscriber: ${err instanceof Error ? err.message : String(err)}`;
        record({ delivered: false, error });
        throw ApplicationFailure.retryable(error, WEBHOOK_DELIVERY_FAILED);
      }
      if (response.status >= 200 && response.status < 300) {
        record({ delivered: true, response_status: response.status });
        return;
      }
      const error = `the subscriber answered ${response.status}`;
      record({ delivered: false, response_status: response.status, error });
      throw ApplicationFailure.retryable(error, WEBHOOK_DELIVERY_FAILED);
    },
  };
}
