/**
 * The inbox's listing kept warm, over real HTTP on the real stack: a new approval reaches the
 * listing by the gateway's own background read, so the page that shows it waits for no read; and
 * a gateway still reading its first listing does not say it is ready.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { createGatewayApp } from '../../gateway/app.js';
import { InboxListing } from '../../gateway/approvals/inbox-listing.js';
import { useStack } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { chatAs } from '../support/chat.js';

const stack = useStack({ env: { INBOX_CACHE_MS: '200', INBOX_MAX_AGE_MS: '30000' } });

describe('the inbox kept warm', () => {
  it('lists a new approval by a background read: the page showing it was read before it was asked for', async () => {
    const empty = await call(stack.baseUrl, 'GET', '/api/approvals');
    expect(empty.body.total).toBe(0);

    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user');
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const workflowId: string = chat.body.workflow_id;
    // No page is asked for while waiting: only the gateway's own reads can bring the approval in.
    await waitFor(() => stack.inbox.current?.records.some((r) => r.workflow_id === workflowId) === true, {
      timeoutMs: 20_000,
      intervalMs: 50,
      what: 'the background read to list the new approval',
    });

    const askedAt = Date.now();
    const page = await call(stack.baseUrl, 'GET', '/api/approvals');
    expect(page.body).toMatchObject({ total: 1, approvals: [{ workflow_id: workflowId }] });
    expect(Date.parse(page.body.listed_at)).toBeLessThanOrEqual(askedAt);
  });

  it('does not say it is ready while its first listing is still being read', async () => {
    let answerRead: (() => void) | undefined;
    const inbox = new InboxListing(() => new Promise((resolve) => (answerRead = () => resolve([]))), {
      refreshMs: 60_000,
      maxAgeMs: 120_000,
    });
    const started = inbox.start();
    const app = createGatewayApp({ client: stack.client, config: stack.config, inbox });
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const starting = await call(base, 'GET', '/readyz');
      expect(starting.status).toBe(503);
      expect(starting.body.error.code).toBe('starting');
      answerRead!();
      await started;
      expect((await call(base, 'GET', '/readyz')).status).toBe(200);
    } finally {
      inbox.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
