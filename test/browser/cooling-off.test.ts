/**
 * A cooling-off window in a real browser at 1280 px and at a phone's 390 px: a transfer approved from the inbox holds; its
 * inbox card and its step in the run view show a countdown that moves and a Revoke button; a revoke
 * from either stops it for good and the money never moves.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { useStack } from '../support/fixtures.js';
import { HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, useBrowser } from './browser.js';

/** With auth off nobody has groups, so the stage is anyone's; the window is long enough to watch it count. */
const POLICY = {
  id: 'cooling-off-browser',
  rules: [
    {
      name: 'held-transfer',
      match: { tools: ['bank_transfer'], amount_at_least_cents: 100_000 },
      outcome: { stages: [{ group: '*', count: 1 }], cooling_off: '2m' },
    },
    { name: 'everything-else', match: { risk_levels: ['L0', 'L1', 'L2', 'L3'] }, outcome: { allow: true } },
  ],
};

function policyFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cooling-off-browser-')), 'policy.json');
  writeFileSync(file, JSON.stringify(POLICY));
  return file;
}

describe.skipIf(!HAS_CHROMIUM)(
  `web page: a holding approval revoked${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const stack = useStack(() => ({ env: { POLICY_FILE: policyFile() } }));
    const browser = useBrowser();

    it.each([
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ])(
      'shows the countdown on the inbox card and in the run view, and revokes from either, at $width px',
      { timeout: 120_000 },
      async (viewport) => {
        const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
        const { page, errors } = await openPage(browser, stack.baseUrl, viewport);

        /** Chats a transfer, approves it from its inbox card and waits for its step to hold. */
        const approveAndHold = async () => {
          const replies = page.locator('#conversation article[data-status="pending"]');
          const before = await replies.count();
          await page.getByLabel('Message').fill('Transfer 1000 to Kiran');
          await page.getByRole('button', { name: 'Send' }).click();
          await expect.poll(() => replies.count()).toBe(before + 1);
          const reply = replies.last();
          const approvalId = await reply.locator('code').innerText();
          const card = page.locator(`#approvals > li[data-approval-id="${approvalId}"]`);
          await card.getByRole('button', { name: /^Approve/ }).click();
          await card.waitFor({ state: 'detached' });
          const step = page.locator('#steps li[data-step-id="transfer"][data-state="APPROVED_HOLDING"]');
          await step.waitFor();
          return { approvalId, step };
        };

        const first = await approveAndHold();
        expect(await first.step.innerText()).toContain('Approved: cooling off');
        const countdown = first.step.locator('time.hold-countdown');
        const shown = await countdown.innerText();
        expect(shown).toMatch(/^runs in [12]:\d\d$/);
        await expect.poll(() => countdown.innerText(), { timeout: 5_000 }).not.toBe(shown);
        const held = page.locator(`#holding-approvals > li[data-approval-id="${first.approvalId}"]`);
        expect(await held.innerText()).toContain('$1,000.00 → kiran');
        await expect.poll(() => held.locator('time.hold-countdown').innerText()).toMatch(/^runs in [12]:\d\d$/);
        await screenshot(page, `cooling-off-01-holding-${viewport.width}`);
        const sideways = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(sideways, 'no horizontal scrolling').toBeLessThanOrEqual(0);

        // From the inbox card: the run answers, and the run view shows the step rejected.
        await held.getByRole('button', { name: 'Revoke' }).click();
        await page.locator('#holding-status').filter({ hasText: 'Revoked: Transfer' }).waitFor();
        await held.waitFor({ state: 'detached' });
        const rejected = page.locator('#steps li[data-step-id="transfer"][data-state="REJECTED"]');
        await rejected.waitFor();
        expect(await rejected.innerText()).toContain('Approval revoked by manager@bank.com');

        // From the run view.
        const second = await approveAndHold();
        await second.step.getByRole('button', { name: 'Revoke' }).click();
        await page.locator('#revoke-status').filter({ hasText: 'Revoked: Transfer' }).waitFor();
        await page.locator(`#holding-approvals > li[data-approval-id="${second.approvalId}"]`).waitFor({
          state: 'detached',
        });
        await rejected.waitFor();
        await screenshot(page, `cooling-off-02-revoked-${viewport.width}`);

        expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore);
        expect(errors).toEqual([]);
      },
    );
  },
);
