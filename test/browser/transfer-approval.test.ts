/**
 * The banking assistant in a real browser: "Transfer 6000 to Kiran" pauses for approval, the approval shows up in
 * the inbox without a reload, the requester is refused by the four-eyes rule in words, a manager
 * approves, the page shows the transfer done, the inbox empties and the money moved exactly once.
 */
import { describe, expect, it } from 'vitest';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import {
  HAS_CHROMIUM,
  openPage,
  pageId,
  recordStepStates,
  screenshot,
  SKIP_REASON,
  stepStates,
  useBrowser,
} from './browser.js';
import { useStack } from '../support/fixtures.js';

describe.skipIf(!HAS_CHROMIUM)(
  `web page: a transfer approved from the inbox${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const stack = useStack();
    const browser = useBrowser();

    it(
      'chat, pending approval in the inbox, four-eyes refusal, manager approval, transfer done',
      { timeout: 120_000 },
      async () => {
        const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
        const ownBefore = await getBalanceCents(stack.sandbox.url, '123');
        const { page, errors } = await openPage(browser, stack.baseUrl);

        await expect.poll(() => page.getByLabel('User id').inputValue()).toBe('default_user');
        await expect.poll(() => page.getByLabel('Approver id').inputValue()).toBe('manager@bank.com');
        await page.locator('#inbox-empty').waitFor({ state: 'visible' });
        await screenshot(page, '01-empty-page');
        await recordStepStates(page);
        const id = await pageId(page);

        await page.getByLabel('Message').fill('Transfer 6000 to Kiran');
        await page.getByRole('button', { name: 'Send' }).click();

        // The chat answers PENDING_APPROVAL with the original banking reply's details.
        const reply = page.locator('#conversation article[data-status="pending"]');
        await reply.waitFor();
        await expect.poll(() => reply.innerText()).toMatch(/Amount\s+\$6,000\.00/);
        expect(await reply.innerText()).toMatch(/Recipient\s+kiran/);
        const approvalId = await reply.locator('code').innerText();
        expect(approvalId).toMatch(/\.transfer/);

        // The inbox shows the card, live, with every fact an approver needs.
        const card = page.locator(`#approvals > li[data-approval-id="${approvalId}"]`);
        await card.waitFor();
        const facts = await card.innerText();
        for (const text of ['$6,000.00 → kiran', 'From', '123', 'Requested by', 'default_user', 'Risk', 'Requested'])
          expect(facts).toContain(text);
        // The built-in policy's one stage: one approval from anyone but the requester.
        expect(facts).toMatch(/Approvals\s+0 of 1 from anyone/);
        expect(facts).toMatch(/just now|\d+ s ago|\d+ min ago/);
        await page.locator('#steps li[data-state="BLOCKED"]').waitFor();
        await screenshot(page, '02-pending-approval');

        // Acting as the requester: the four-eyes refusal is shown in words and nothing changes.
        await page.getByLabel('Approver id').fill('default_user');
        await page.getByLabel('Approver id').press('Tab');
        await card.getByRole('button', { name: /^Approve/ }).click();
        const refusal = page.locator('#inbox-error');
        await refusal.filter({ hasText: 'four-eyes' }).waitFor();
        expect(await refusal.innerText()).toContain('default_user requested this transfer and cannot approve it');
        expect(await refusal.getAttribute('role')).toBe('alert');
        await card.waitFor();
        await screenshot(page, '03-four-eyes-refused');

        // Switch to the manager and approve.
        await page.getByLabel('Approver id').fill('manager@bank.com');
        await page.getByLabel('Approver id').press('Tab');
        await card.getByRole('button', { name: /^Approve/ }).click();
        await card.waitFor({ state: 'detached' });
        await page.locator('#inbox-status').filter({ hasText: 'approved by manager@bank.com' }).waitFor();
        await page.locator('#inbox-empty').waitFor({ state: 'visible' });
        expect(await refusal.innerText()).toBe('');

        // The run view and the chat both say the transfer was done.
        const step = page.locator('#steps li[data-step-id="transfer"]');
        await step.and(page.locator('[data-state="SUCCEEDED"]')).waitFor();
        expect(await step.innerText()).toContain('Transferred 6000.00 from 123 to kiran');
        expect(await step.locator('.badge').innerText()).toBe('Succeeded');
        await page.locator('#timeline li[data-event="workflow_complete"]').waitFor();
        await page.locator('#run-body[data-status="COMPLETED"]').waitFor();
        const done = page
          .locator('#conversation article[data-status="success"]')
          .filter({ hasText: 'Transferred 6000.00 from 123 to kiran' });
        await done.waitFor();
        expect(await done.innerText()).toContain('Approved by manager@bank.com');
        expect(await page.locator('#conversation article.msg-bot').count()).toBe(2);
        // The same page watched the step go from BLOCKED to SUCCEEDED: no reload in between.
        const seen = (await stepStates(page)).transfer ?? [];
        expect(seen.indexOf('BLOCKED')).toBeGreaterThanOrEqual(0);
        expect(seen.at(-1)).toBe('SUCCEEDED');
        expect(await pageId(page)).toBe(id);

        const link = page.getByRole('link', { name: 'Open in Temporal Web UI' });
        const runId = await page.locator('#run-body').getAttribute('data-workflow-id');
        expect(await link.getAttribute('href')).toBe(`http://localhost:8233/namespaces/default/workflows/${runId}`);
        await screenshot(page, '04-approved-and-done');

        // Exactly one transfer of 6000.00.
        expect((await getBalanceCents(stack.sandbox.url, 'kiran')) - kiranBefore).toBe(600_000);
        expect((await getBalanceCents(stack.sandbox.url, '123')) - ownBefore).toBe(-600_000);
        expect(errors).toEqual([]);
      },
    );

    it('rejects with a reason typed inline; the chat says so and no money moves', { timeout: 120_000 }, async () => {
      const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
      const { page, errors } = await openPage(browser, stack.baseUrl);
      await page.getByLabel('Message').fill('send $7,500 to kiran');
      await page.getByRole('button', { name: 'Send' }).click();
      const card = page.locator('#approvals > li').filter({ hasText: '$7,500.00 → kiran' });
      await card.waitFor();

      await card.getByRole('button', { name: /^Reject/ }).click();
      const reason = card.getByLabel('Reason for rejecting');
      await reason.waitFor();
      const isFocused = () => reason.evaluate((node) => node === document.activeElement);
      expect(await isFocused()).toBe(true);
      await reason.pressSequentially('Not in this');
      // The inbox refreshes every 2 s while the approver types: two listings later (so the first
      // one has been rendered) the field still has the focus and the half-typed reason.
      for (let i = 0; i < 2; i++) await page.waitForResponse((r) => r.url().includes('/api/approvals?status=pending'));
      expect(await isFocused()).toBe(true);
      await page.keyboard.type(' quarter budget');
      expect(await reason.inputValue()).toBe('Not in this quarter budget');
      await screenshot(page, '11-reject-reason');
      await card.getByRole('button', { name: 'Confirm reject' }).click();
      await card.waitFor({ state: 'detached' });

      await page.locator('#steps li[data-step-id="transfer"][data-state="REJECTED"]').waitFor();
      expect(await page.locator('#steps li[data-step-id="transfer"] .badge').innerText()).toBe('Rejected');
      await page.locator('#run-body[data-status="REJECTED"]').waitFor();
      const said = page.locator('#conversation article[data-status="rejected"]');
      await said.waitFor();
      expect(await said.innerText()).toContain('rejected by manager@bank.com: Not in this quarter budget');
      expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore);
      await screenshot(page, '12-rejected');
      expect(errors).toEqual([]);
    });
  },
);
