/**
 * Needs attention in a real browser: the bank is down past the retry budget, the held transfer
 * shows up under the approvals with its last error, and Retry (once the bank is back) completes it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntriesFor, submitRequest, waitForStatus } from '../support/reliability.js';
import { startStack, type Stack } from '../support/stack.js';
import { HAS_CHROMIUM, launchBrowser, openPage, screenshot, SKIP_REASON, UI_DEADLINE_MS } from './browser.js';

describe.skipIf(!HAS_CHROMIUM)(
  `web page: a held step retried from the page${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let stack: Stack;
    let browser: Browser;

    beforeAll(async () => {
      [stack, browser] = await Promise.all([
        startStack({ env: { ATTENTION_ON_EXHAUSTED: 'true', STEP_RETRY_BUDGET: '1s', ATTENTION_DEADLINE: '10m' } }),
        launchBrowser(),
      ]);
    });
    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
    });

    const submit = (message: string) => submitRequest(stack.baseUrl, message);

    it('shows the held step with its error and retries it', { timeout: 120_000 }, async () => {
      // Planning looks the requester's account up once per worker: plan once while the bank is up.
      expect(
        await waitForStatus(stack.baseUrl, await submit('Transfer 1 to Kiran'), ['COMPLETED', 'FAILED'], 30_000),
      ).toBe('COMPLETED');
      const { page, errors } = await openPage(browser, stack.baseUrl);
      await page.locator('#attention-mount').getByText('No steps need attention.').waitFor();

      await stack.sandbox.stop();
      const workflowId = await submit('Transfer 120 to Kiran');
      const card = page.locator(`#attention-mount li[data-workflow-id="${workflowId}"]`);
      await card.waitFor({ timeout: UI_DEADLINE_MS });
      const facts = await card.innerText();
      for (const text of ['Last error', 'Attempts', 'Held', 'Fails at', 'default_user']) expect(facts).toContain(text);
      for (const name of ['Retry', 'Retry with edits', 'Skip', 'Fail'])
        expect(await card.getByRole('button', { name: new RegExp(`^${name}:`) }).count()).toBe(1);
      await screenshot(page, 'attention-01-held');

      await stack.sandbox.restart();
      await card.getByLabel('Reason').fill('bank is back');
      await card.getByRole('button', { name: /^Retry:/ }).click();
      await card.waitFor({ state: 'detached', timeout: UI_DEADLINE_MS });
      await page.locator('#steps li[data-state="SUCCEEDED"]').waitFor({ timeout: UI_DEADLINE_MS });
      expect(await waitForStatus(stack.baseUrl, workflowId, ['COMPLETED', 'FAILED'])).toBe('COMPLETED');
      expect(await ledgerEntriesFor(stack.sandbox.url, 'kiran', `${workflowId}:transfer`)).toHaveLength(1);
      await screenshot(page, 'attention-02-retried');
      expect(errors).toEqual([]);
    });
  },
);
