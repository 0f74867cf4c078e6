/** The page's inbox in a real browser: the total, sorting and filters over the paged inbox API. */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { useStack } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, useBrowser } from './browser.js';

describe.skipIf(!HAS_CHROMIUM)(`web page: inbox filters${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const stack = useStack();
  const browser = useBrowser();

  it('sorts and filters the inbox, and shows only what the approver may approve', { timeout: 120_000 }, async () => {
    const ids: Record<string, string> = {};
    for (const [user, message, amount] of [
      ['default_user', 'Transfer 6000 to Kiran', '6000'],
      ['default_user', 'Transfer 9000 to Kiran', '9000'],
      ['alice', 'Transfer 7000 to bob', '7000'],
    ] as const) {
      const res = await call(stack.baseUrl, 'POST', '/chat', { message, user_id: user });
      expect(res.body.status).toBe('PENDING_APPROVAL');
      ids[amount] = res.body.reply.approval_id;
    }
    await waitFor(async () => (await call(stack.baseUrl, 'GET', '/api/approvals')).body.total === 3, {
      what: 'three approvals listed',
    });
    const { page, errors } = await openPage(browser, stack.baseUrl);
    const cardIds = () =>
      page
        .locator('#approvals > li')
        .evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset['approvalId']));

    await expect.poll(cardIds).toEqual([ids['6000'], ids['9000'], ids['7000']]);
    expect(await page.locator('#inbox-count').innerText()).toBe('(3)');

    await page.locator('#inbox-filters select[name="sort"]').selectOption('amount');
    await expect.poll(cardIds).toEqual([ids['9000'], ids['7000'], ids['6000']]);

    await page.locator('#inbox-filters input[name="min_amount"]').fill('6500');
    await page.locator('#inbox-filters input[name="min_amount"]').dispatchEvent('change');
    await expect.poll(cardIds).toEqual([ids['9000'], ids['7000']]);
    await screenshot(page, 'inbox-filters');

    // As default_user, four eyes leaves only alice's transfer to approve.
    await page.getByLabel('Approver id').fill('default_user');
    await page.locator('#inbox-filters input[name="can_decide"]').check();
    await expect.poll(cardIds).toEqual([ids['7000']]);
    expect(errors).toEqual([]);
  });
});
