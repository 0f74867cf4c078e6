/** The webhook subscriber the worker's `notify` activity delivers to, built from the settings. */
import type { WebhookSubscriber } from '../activities/notify.js';
import type { Config } from '../src/runtime/config.js';
import { DeliveryLog } from '../src/webhooks/delivery-log.js';
import { linkEnricher } from './link-enricher.js';

/** Undefined when WEBHOOK_URL is unset: runs then schedule no deliveries, and `notify` does nothing. */
export function webhookSubscriberOf(config: Config): WebhookSubscriber | undefined {
  if (config.WEBHOOK_URL === undefined || config.WEBHOOK_SECRET === undefined) return undefined;
  const enrich = linkEnricher(config);
  return {
    url: config.WEBHOOK_URL,
    secret: config.WEBHOOK_SECRET,
    log: DeliveryLog.open(config.WEBHOOK_DELIVERIES_DB),
    ...(enrich && { enrich }),
  };
}
