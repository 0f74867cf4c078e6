/**
 * The inbox decides several approvals at once in a real browser: tick two cards, "Approve
 * selected", and both transfers run, each once; the page sends the action_hash each card shows.
 */
import { describe, expect, it } from 'vitest';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { call } from '../support/http.js';
import { HAS_CHROMIUM, openPage, SKIP_REASON, useBrowser } from './browser.js';
import { useStack } from '../support/fixtures.js';

describe.skipIf(!HAS_CHROMIUM)(
  `web page: bulk approval from the inbox${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const stack = useStack();
    const browser = useBrowser();

    it('selects two approvals and approves them at once', { timeout: 120_000 }, async () => {
      const before = await getBalanceCents(stack.sandbox.url, 'kiran');
      const ids: string[] = [];
      for (const message of ['Transfer 5600 to kiran', 'Transfer 5700 to kiran']) {
        const chat = await call(stack.baseUrl, 'POST', '/chat', { message, user_id: 'default_user' });
        expect(chat.body.status).toBe('PENDING_APPROVAL');
        ids.push(chat.body.reply.approval_id);
      }
      const { page, errors } = await openPage(browser, stack.baseUrl);
      const sent: unknown[] = [];
      page.on('request', (req) => {
        if (req.url().endsWith('/api/approvals/decisions')) sent.push(req.postDataJSON());
      });
      await expect.poll(() => page.getByLabel('Approver id').inputValue()).toBe('manager@bank.com');
      for (const id of ids) {
        const card = page.locator(`#approvals > li[data-approval-id="${id}"]`);
        await card.waitFor({ timeout: 30_000 });
        await card.getByRole('checkbox').check();
      }
      await expect.poll(() => page.locator('#bulk-count').innerText()).toBe('2 selected');
      await page.getByRole('button', { name: 'Approve selected' }).click();
      await page.locator('#inbox-status').filter({ hasText: '2 of 2 approved' }).waitFor({ timeout: 30_000 });
      await page.locator('#inbox-empty').waitFor({ state: 'visible', timeout: 30_000 });
      expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 560_000 + 570_000);
      const decisions = (sent[0] as { decisions: { approval_id: string; action_hash?: string }[] }).decisions;
      expect(decisions.map((d) => d.approval_id).sort()).toEqual([...ids].sort());
      for (const d of decisions) expect(d.action_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(errors).toEqual([]);
    });
  },
);
