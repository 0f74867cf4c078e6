/**
 * The page's example prompts: a chip fills the chat box (nothing is sent until the user sends),
 * and the assistant's answers to a balance question and a cancel are shown in the conversation.
 */
import { describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, useBrowser } from './browser.js';
import { useStack } from '../support/fixtures.js';

describe.skipIf(!HAS_CHROMIUM)(`web page: example prompts${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const stack = useStack();
  const browser = useBrowser();

  it(
    "offers the assistant's questions as chips that fill the box, and shows their answers",
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openPage(browser, stack.baseUrl);
      await expect.poll(() => page.getByLabel('User id').inputValue()).toBe('default_user');
      const chips = page.getByRole('group', { name: 'Example requests' }).getByRole('button');
      expect(await chips.allInnerTexts()).toEqual(
        expect.arrayContaining([
          'What is my balance?',
          'Show my last 5 transfers',
          'What am I waiting for?',
          'Cancel my last request',
        ]),
      );

      await chips.filter({ hasText: 'What is my balance?' }).click();
      expect(await page.getByLabel('Message').inputValue()).toBe('What is my balance?');
      expect(await page.locator('#conversation article').count()).toBe(0);
      await page.getByRole('button', { name: 'Send' }).click();
      const balance = page.locator('#conversation article[data-status="success"]');
      await balance.waitFor();
      expect(await balance.innerText()).toContain('Your balance is $50,000.00.');

      await chips.filter({ hasText: 'Can you transfer 6k to Kiran?' }).click();
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('#conversation article[data-status="pending"]').waitFor();

      await chips.filter({ hasText: 'Cancel my last request' }).click();
      expect(await page.getByLabel('Message').inputValue()).toBe('Cancel my last request');
      await page.getByRole('button', { name: 'Send' }).click();
      const cancelled = page
        .locator('#conversation article[data-status="success"]')
        .filter({ hasText: 'Cancelling your request' });
      await cancelled.waitFor();
      expect(await cancelled.innerText()).toContain('"Can you transfer 6k to Kiran?"');
      await page.locator('#conversation article[data-status="cancelled"]').waitFor();
      await screenshot(page, 'example-prompts');
      expect(errors).toEqual([]);
    },
  );
});
