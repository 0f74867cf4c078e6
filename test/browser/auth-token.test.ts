/**
 * With sign-in on (GATEWAY_AUTH=token) the page finds out from the API's 401, shows a token field
 * instead of the id fields, and acts as whoever the token names: the requester's token chats, the
 * approver's token decides, and the SSE stream follows the run with a single-use ticket: the token
 * is in no URL and not in localStorage.
 */
import { describe, expect, it } from 'vitest';
import { TokenTable } from '../../gateway/auth.js';
import { approveTransferCard, HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, useBrowser } from './browser.js';
import { useStack } from '../support/fixtures.js';

const REQUESTER_TOKEN = 'requester-token-0123456789';
const APPROVER_TOKEN = 'approver-token-0123456789';

describe.skipIf(!HAS_CHROMIUM)(
  `web page: sign-in with a bearer token${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const stack = useStack({
      env: { GATEWAY_AUTH: 'token' },
      gateway: {
        tokens: new TokenTable({
          [REQUESTER_TOKEN]: { user_id: 'default_user', role: 'requester' },
          [APPROVER_TOKEN]: { user_id: 'manager@bank.com', role: 'approver' },
        }),
      },
    });
    const browser = useBrowser();

    it(
      'detects sign-in from a 401, chats with the requester token and approves with the approver token',
      { timeout: 120_000 },
      async () => {
        const { page, errors } = await openPage(browser, stack.baseUrl);
        const requested: string[] = [];
        page.on('request', (request) => requested.push(request.url()));
        const tokenField = page.getByLabel('Bearer token');
        await tokenField.waitFor();
        await page.getByLabel('User id').waitFor({ state: 'hidden' });
        await page.locator('#identity-note').filter({ hasText: 'Sign-in is required' }).waitFor();
        await page.locator('#inbox-error').filter({ hasText: 'Missing bearer token' }).waitFor();
        await screenshot(page, '09-token-required');

        await tokenField.fill(REQUESTER_TOKEN);
        await tokenField.press('Tab');
        await page.locator('#inbox-empty').waitFor({ state: 'visible' });
        await expect.poll(() => page.locator('#inbox-error').innerText()).toBe('');

        await page.getByLabel('Message').fill('Transfer 6000 to Kiran');
        await page.getByRole('button', { name: 'Send' }).click();
        await page.locator('#conversation article[data-status="pending"]').waitFor();
        await page.locator('#timeline li[data-event="approval_required"]').waitFor();
        const card = page.locator('#approvals > li').filter({ hasText: '$6,000.00 → kiran' });
        await card.waitFor();

        // The requester's token may not approve a transfer: the refusal is shown in words.
        await card.getByRole('button', { name: /^Approve/ }).click();
        await page
          .locator('#inbox-error')
          .filter({ hasText: 'Money transfers must be approved by an approver' })
          .waitFor();

        await tokenField.fill(APPROVER_TOKEN);
        await tokenField.press('Tab');
        await page.locator('#conversation .divider').filter({ hasText: 'Now chatting with another token' }).waitFor();
        await approveTransferCard(page, card);
        await page.locator('#timeline li[data-event="workflow_complete"]').waitFor();
        expect(await page.locator('#steps li[data-step-id="transfer"]').innerText()).toContain(
          'Approved by manager@bank.com',
        );
        await screenshot(page, '10-token-approved');
        expect(requested.some((url) => url.includes('/stream?ticket='))).toBe(true);
        expect(requested.filter((url) => url.includes(REQUESTER_TOKEN) || url.includes(APPROVER_TOKEN))).toEqual([]);
        const stored = await page.evaluate(() => ({
          local: JSON.stringify({ ...localStorage }),
          session: sessionStorage.getItem('awe.token'),
        }));
        expect(stored.local).not.toContain('token-0123456789');
        expect(stored.session).toBe(APPROVER_TOKEN);
        expect(errors).toEqual([]);
      },
    );
  },
);
