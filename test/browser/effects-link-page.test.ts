/**
 * The effect in plain words reaches the approver outside the page too: in the approval.requested
 * webhook (`data.approval.effect`), and on the one-click link page, which works at a phone's width
 * (390 px): it shows the effect, fits without scrolling sideways, and its form decides.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import type { NotificationEvent } from '../../src/shared/notifications.js';
import type { ApprovalLinks } from '../../src/webhooks/approval-links.js';
import { call } from '../support/http.js';
import { useLinkStack } from '../support/link-stack.js';
import { HAS_CHROMIUM, SKIP_REASON, screenshot, UI_DEADLINE_MS, useBrowser } from './browser.js';

const EFFECT = 'Send $6,000.00 from account 123 to kiran';

describe.skipIf(!HAS_CHROMIUM)(
  `effects in webhooks and on link pages${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const { listener, stack } = useLinkStack(randomBytes(32).toString('base64url'), 'manager@bank.com');
    const browser = useBrowser();

    it(
      'approval.requested carries the effect; the link page shows it and decides at 390 px',
      { timeout: 90_000 },
      async () => {
        const res = await call(stack.baseUrl, 'POST', '/chat', {
          message: 'Transfer 6000 to Kiran',
          user_id: 'default_user',
        });
        expect(res.body.status).toBe('PENDING_APPROVAL');
        const approvalId = res.body.reply.approval_id as string;
        const workflowId = res.body.workflow_id as string;
        const requested = await waitFor(
          () =>
            listener.received
              .map((w) => JSON.parse(w.body) as NotificationEvent)
              .find((e) => e.workflow_id === workflowId && e.type === 'approval.requested'),
          { what: 'approval.requested' },
        );
        const approval = requested.data['approval'] as Record<string, unknown>;
        expect(approval['effect']).toBe(EFFECT);
        // The fields subscribers already read are still there.
        expect(approval).toMatchObject({
          approval_id: approvalId,
          amount: 6000,
          recipient: 'kiran',
          status: 'pending',
        });
        expect((await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`)).body.effect).toBe(EFFECT);

        const [link] = requested.data['links'] as ApprovalLinks[];
        const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
        const page = await context.newPage();
        page.setDefaultTimeout(UI_DEADLINE_MS);
        await page.goto(link!.approve_url);
        expect(await page.locator('main').innerText()).toMatch(
          new RegExp(`What it does\\s+${EFFECT.replace(/[$.]/g, '\\$&')}`),
        );
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        await screenshot(page, '43-phone-link-page');
        await page.locator('#link-confirm').click();
        await page
          .locator('#link-title')
          .filter({ hasText: /approved/i })
          .waitFor();
        await waitFor(
          async () =>
            (await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`)).body.status === 'approved' || undefined,
          { what: 'the approval to be approved' },
        );
        await context.close();
      },
    );
  },
);
