/**
 * A webhook subscriber for stack tests: a real local listener, a signing secret of the test's own,
 * and a deliveries database in a temp directory. `env` is what the gateway and worker need to
 * deliver to it; `close` stops the listener and deletes the directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebhookListener, type WebhookListener } from './webhook-listener.js';

export interface WebhookSubscriber {
  listener: WebhookListener;
  /** The Standard Webhooks secret deliveries are signed with, to verify them. */
  secret: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startWebhookSubscriber(): Promise<WebhookSubscriber> {
  const listener = await startWebhookListener();
  const dataDir = mkdtempSync(join(tmpdir(), 'webhook-subscriber-'));
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  return {
    listener,
    secret,
    env: { WEBHOOK_URL: listener.url, WEBHOOK_SECRET: secret, WEBHOOK_DELIVERIES_DB: join(dataDir, 'deliveries.db') },
    async close() {
      await listener.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
