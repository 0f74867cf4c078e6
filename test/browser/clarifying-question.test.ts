/**
 * The assistant's clarifying question: when the planner is unsure what a message means, the page
 * shows the likeliest readings as buttons, and one click sends the chosen reading as a message.
 */
import { describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, useBrowser } from './browser.js';
import { useStack } from '../support/fixtures.js';

describe.skipIf(!HAS_CHROMIUM)(
  `web page: clarifying question${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const stack = useStack();
    const browser = useBrowser();

    it('offers the two likeliest readings as buttons and sends the one clicked', { timeout: 120_000 }, async () => {
      const { page, errors } = await openPage(browser, stack.baseUrl);
      await expect.poll(() => page.getByLabel('User id').inputValue()).toBe('default_user');
      await page.getByLabel('Message').fill('my account');
      await page.getByRole('button', { name: 'Send' }).click();

      const question = page.locator('#conversation article[data-status="not_understood"]');
      await question.waitFor();
      expect(await question.innerText()).toContain('Did you mean');
      const choices = question.getByRole('group', { name: 'Did you mean' }).getByRole('button');
      expect(await choices.allInnerTexts()).toEqual(['what is my balance', 'show my transfers']);

      await choices.filter({ hasText: 'what is my balance' }).click();
      const answer = page.locator('#conversation article[data-status="success"]');
      await answer.waitFor();
      expect(await answer.innerText()).toContain('Your balance is $50,000.00.');
      const sent = page.locator('#conversation article.msg-user');
      expect(await sent.allInnerTexts()).toEqual([
        expect.stringContaining('my account'),
        expect.stringContaining('what is my balance'),
      ]);
      await screenshot(page, 'clarifying-question');
      expect(errors).toEqual([]);
    });
  },
);
