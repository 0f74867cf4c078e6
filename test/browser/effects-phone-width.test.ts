/**
 * The approver sees what each step will do in plain words, on the inbox card and in the run view
 * (a Life-OS submit and a first payment, at 1280 px), and the inbox, the run view and a decision
 * work at a phone's width (390 px) without scrolling sideways.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, useBrowser } from './browser.js';
import { useBankPolicyStack } from '../support/fixtures.js';

const REQUESTER_TOKEN = 'effects-requester-token-0123456789';
const ALICE_TOKEN = 'effects-alice-token-0123456789';

const LIFE_OS = 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries';
const TRANSFER_EFFECT = 'Send $6,000.00 from account 123 to kiran (first payment to kiran)';
const SUBMIT_EFFECT = /^Submit 2 applications: .+ at .+ \(CV tailored \d\d:\d\d UTC\), .+ at .+ \(CV tailored/;

/** How far the page scrolls sideways: 0 when everything fits the window's width. */
function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Elements wider than the window, for a failure message that says what to fix. */
function tooWide(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`)
      .slice(0, 10),
  );
}

const TITLE = "web page: effects in plain words, and the page at a phone's width";

describe.skipIf(!HAS_CHROMIUM)(`${TITLE}${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const stack = useBankPolicyStack({
    [REQUESTER_TOKEN]: { user_id: 'default_user', role: 'requester', groups: ['staff'] },
    [ALICE_TOKEN]: { user_id: 'alice', role: 'approver', groups: ['approvers'] },
  });
  const browser = useBrowser();

  it(
    'cards and steps say what will happen; at 390 px nothing scrolls sideways and a decision is made',
    { timeout: 150_000 },
    async () => {
      const { page, errors } = await openPage(browser, stack.baseUrl);
      const tokenField = page.getByLabel('Bearer token');
      const signInAs = async (token: string) => {
        await tokenField.fill(token);
        await tokenField.press('Tab');
      };
      await signInAs(REQUESTER_TOKEN);
      for (const message of [LIFE_OS, 'Transfer 6000 to Kiran']) {
        await page.getByLabel('Message').fill(message);
        await page.getByRole('button', { name: 'Send' }).click();
      }

      // 1280 px: the transfer's card names the first payment the ledger knows of.
      const transferCard = page.locator('#approvals > li').filter({ hasText: '$6,000.00 → kiran' });
      await transferCard.waitFor();
      expect(await transferCard.locator('.effect').innerText()).toBe(TRANSFER_EFFECT);
      await transferCard.getByRole('button', { name: /^View run/ }).click();
      const transferStep = page.locator('#steps li[data-step-id="transfer"]');
      await expect.poll(() => transferStep.locator('.effect').innerText()).toBe(TRANSFER_EFFECT);

      // The Life-OS submit's card names the jobs and when their CVs were tailored.
      const submitCard = page.locator('#approvals > li[data-approval-id$=".submit_application"]');
      await submitCard.waitFor();
      expect(await submitCard.locator('.effect').innerText()).toMatch(SUBMIT_EFFECT);
      await submitCard.getByRole('button', { name: /^View run/ }).click();
      const submitStep = page.locator('#steps li[data-step-id="submit_application"]');
      await expect.poll(() => submitStep.locator('.effect').innerText()).toMatch(SUBMIT_EFFECT);
      expect(await page.locator('#steps li[data-step-id="schedule_gym"] .effect').innerText()).toMatch(
        /^Create 3 Gym sessions: (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d, /,
      );
      await screenshot(page, '40-effects-1280');

      // 390 px: the inbox with both cards and the selected run fit the width.
      await page.setViewportSize({ width: 390, height: 844 });
      // The held-steps list failed to load before sign-in; once signed in, that error is gone.
      await expect.poll(() => page.locator('#attention-mount .error').innerText()).toBe('');
      await transferCard.getByRole('button', { name: /^View run/ }).click();
      await expect.poll(() => transferStep.locator('.effect').innerText()).toBe(TRANSFER_EFFECT);
      expect(await sidewaysOverflow(page), (await tooWide(page)).join(', ')).toBeLessThanOrEqual(0);
      await screenshot(page, '41-phone-inbox-run');
      // The Life-OS run: five steps, their lanes and graph.
      await submitCard.getByRole('button', { name: /^View run/ }).click();
      await expect.poll(() => submitStep.locator('.effect').innerText()).toMatch(SUBMIT_EFFECT);
      expect(await sidewaysOverflow(page), (await tooWide(page)).join(', ')).toBeLessThanOrEqual(0);
      await screenshot(page, '41-phone-life-os-run');

      // An approver decides at 390 px: the button is on screen, the transfer runs.
      await signInAs(ALICE_TOKEN);
      await expect.poll(() => transferCard.innerText(), { timeout: 20_000 }).toMatch(/You may decide\s+yes/);
      const approve = transferCard.getByRole('button', { name: /^Approve/ });
      await approve.scrollIntoViewIfNeeded();
      const box = await approve.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
      await approve.click();
      await transferCard.waitFor({ state: 'detached' });
      await page.locator('#steps li[data-step-id="transfer"][data-state="SUCCEEDED"]').waitFor();
      expect(await sidewaysOverflow(page), (await tooWide(page)).join(', ')).toBeLessThanOrEqual(0);

      // The rejection form opens and fits too.
      await submitCard.getByRole('button', { name: /^Reject/ }).click();
      await submitCard.getByLabel('Reason for rejecting').waitFor();
      expect(await sidewaysOverflow(page), (await tooWide(page)).join(', ')).toBeLessThanOrEqual(0);
      await screenshot(page, '42-phone-decided');
      expect(errors).toEqual([]);
    },
  );
});
