/**
 * A stack whose webhooks go to a real local listener and whose approval.requested events carry
 * signed one-click links (public URL on its own port), for the tests of link pages.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../dev/ports.js';
import { useResource, useStack } from './fixtures.js';
import { startWebhookListener } from './webhook-listener.js';

export function useLinkStack(linkSecret: string, deciders: string) {
  const listener = useResource('the webhook listener', startWebhookListener, (l) => l.close());
  const dataDir = useResource(
    'a data directory',
    async () => ({ path: mkdtempSync(join(tmpdir(), 'links-')) }),
    async (d) => rmSync(d.path, { recursive: true, force: true }),
  );
  const port = useResource(
    'a port',
    async () => ({ value: await freePort() }),
    async () => {},
  );
  const stack = useStack(() => ({
    env: {
      WEBHOOK_URL: listener.url,
      WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
      WEBHOOK_DELIVERIES_DB: join(dataDir.path, 'deliveries.db'),
      APPROVAL_LINK_SECRET: linkSecret,
      APPROVAL_LINK_DECIDERS: deciders,
      GATEWAY_PORT: String(port.value),
      GATEWAY_PUBLIC_URL: `http://127.0.0.1:${port.value}`,
    },
  }));
  return { listener, stack };
}
