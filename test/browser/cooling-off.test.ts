/**
 * A cooling-off window in a real browser at 1280 px: a transfer approved from the inbox holds, its
 * step shows a countdown that moves and a Revoke button; a revoke stops it for good and the money
 * never moves.
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

    it('shows the countdown and revokes the holding transfer at 1280 px', { timeout: 120_000 }, async () => {
      const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
      const { page, errors } = await openPage(browser, stack.baseUrl, { width: 1280, height: 900 });
      await page.getByLabel('Message').fill('Transfer 1000 to Kiran');
      await page.getByRole('button', { name: 'Send' }).click();
      const reply = page.locator('#conversation article[data-status="pending"]');
      await reply.waitFor();
      const approvalId = await reply.locator('code').innerText();

      const card = page.locator(`#approvals > li[data-approval-id="${approvalId}"]`);
      await card.getByRole('button', { name: /^Approve/ }).click();
      await card.waitFor({ state: 'detached' });

      const step = page.locator('#steps li[data-step-id="transfer"][data-state="APPROVED_HOLDING"]');
      await step.waitFor();
      expect(await step.innerText()).toContain('Approved: cooling off');
      const countdown = step.locator('time.hold-countdown');
      const first = await countdown.innerText();
      expect(first).toMatch(/^runs in [12]:\d\d$/);
      await expect.poll(() => countdown.innerText(), { timeout: 5_000 }).not.toBe(first);
      const revoke = step.getByRole('button', { name: 'Revoke' });
      const box = await revoke.boundingBox();
      expect(box?.width).toBeGreaterThan(0);
      await screenshot(page, 'cooling-off-01-holding');

      await revoke.click();
      const rejected = page.locator('#steps li[data-step-id="transfer"][data-state="REJECTED"]');
      await rejected.waitFor();
      expect(await rejected.innerText()).toContain('Approval revoked by manager@bank.com');
      await page.locator('#revoke-status').filter({ hasText: 'Revoked: Transfer' }).waitFor();
      await screenshot(page, 'cooling-off-02-revoked');

      expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore);
      expect(errors).toEqual([]);
    });
  },
);
