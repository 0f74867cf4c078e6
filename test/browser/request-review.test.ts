/**
 * The review of a whole request on the page at 1280 px: opened from the inbox card of a request with
 * two steps waiting, it shows the steps, what each depends on and the totals; choosing to skip one
 * shows its dependent as not running before confirming; one confirm decides both steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import type { Loose } from '../support/http.js';
import { call } from '../support/http.js';
import { ALLOW_THE_REST, as, type PolicyStack, startPolicyStack } from '../support/policy-stack.js';
import { HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, UI_DEADLINE_MS, useBrowser } from './browser.js';

const APPROVERS = { stages: [{ group: 'approvers', count: 1 }] };
const POLICY = {
  id: 'review-page-test',
  rules: [
    { name: 'gym-by-approvers', match: { tools: ['calendar_create'] }, outcome: APPROVERS },
    { name: 'cv-by-approvers', match: { tools: ['cv_tailor'] }, outcome: APPROVERS },
    ...ALLOW_THE_REST,
  ],
};

describe.skipIf(!HAS_CHROMIUM)(
  `web page: a request reviewed as a whole${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let policy: PolicyStack;
    beforeAll(async () => {
      policy = await startPolicyStack(POLICY);
    });
    afterAll(async () => {
      await policy?.stop();
    });
    const browser = useBrowser();

    /** A Life-OS request whose CV and gym sessions both wait for a decision. */
    async function lifeOsWaitingOnTwoSteps(): Promise<string> {
      const { workflowId } = await policy.chat(
        'owner',
        'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries',
      );
      await waitFor(
        async () => {
          const review = await call(
            policy.stack.baseUrl,
            'GET',
            `/api/requests/${workflowId}/review`,
            undefined,
            as('alice'),
          );
          return review.body.steps?.filter((s: Loose) => s.needs_decision).length === 2;
        },
        { timeoutMs: 20_000, what: 'the CV and the gym sessions waiting' },
      );
      return workflowId;
    }

    it(
      'shows steps, dependencies and totals, previews a skip, and decides two steps at once',
      { timeout: 120_000 },
      async () => {
        const workflowId = await lifeOsWaitingOnTwoSteps();
        const { page, errors } = await openPage(browser, policy.stack.baseUrl);
        const tokenField = page.getByLabel('Bearer token');
        await tokenField.waitFor();
        await tokenField.fill(as('alice').authorization.slice('Bearer '.length));
        await tokenField.press('Tab');
        const card = page.locator(`#approvals > li[data-workflow-id="${workflowId}"]`).first();
        await card.getByRole('button', { name: /^View run/ }).click();
        await page.locator('#run-summary').getByRole('button', { name: 'Review request' }).waitFor();
        await card.getByRole('button', { name: 'Review all' }).click();

        const dialog = page.locator('dialog#review');
        await dialog.waitFor();
        const totals = dialog.locator('[data-role="totals"]');
        await expect.poll(() => totals.innerText(), { timeout: UI_DEADLINE_MS }).toContain('2 application(s) sent');
        expect(await totals.innerText()).toContain('3 calendar event(s) created');
        const step = (id: string) => dialog.locator(`li.review-step[data-step-id="${id}"]`);
        expect(await step('submit_application').innerText()).toContain('after tailor_cv');

        await step('tailor_cv')
          .getByLabel(/Decision for/)
          .selectOption('skip');
        await expect
          .poll(() => step('submit_application').getAttribute('data-preview'), { timeout: UI_DEADLINE_MS })
          .toBe('skipped');
        expect(await step('submit_application').innerText()).toContain('will not run (because of tailor_cv)');
        await step('schedule_gym')
          .getByLabel(/Decision for/)
          .selectOption('approve');
        await expect
          .poll(() => step('schedule_gym').getAttribute('data-preview'), { timeout: UI_DEADLINE_MS })
          .toBe('approve');
        await screenshot(page, 'request-review-choices');

        await dialog.locator('[data-role="confirm"]').click();
        const results = dialog.locator('.review-results');
        await expect.poll(() => results.innerText(), { timeout: UI_DEADLINE_MS }).toContain('tailor_cv: skipped');
        expect(await results.innerText()).toContain('schedule_gym: approved');
        expect(await dialog.locator('[data-role="answer"]').innerText()).toBe('2 step(s) decided by alice');
        // Read again once decided: the decided steps and the skipped one are no longer to come.
        await expect.poll(() => dialog.locator('li.review-step').count(), { timeout: UI_DEADLINE_MS }).toBe(0);
        await screenshot(page, 'request-review-decided');
        await waitFor(
          async () => {
            const run = await policy.runView(workflowId);
            const state = (id: string) => run.steps.find((s: Loose) => s.id === id)?.state;
            return state('submit_application') === 'SKIPPED' && state('schedule_gym') === 'SUCCEEDED';
          },
          { timeoutMs: 20_000, what: 'the applications skipped and the gym sessions created' },
        );
        expect(errors).toEqual([]);
      },
    );

    it(
      'fits a phone (390 px): the review and its decision work without scrolling sideways',
      { timeout: 120_000 },
      async () => {
        const workflowId = await lifeOsWaitingOnTwoSteps();
        const { page, errors } = await openPage(browser, policy.stack.baseUrl, { width: 390, height: 844 });
        const tokenField = page.getByLabel('Bearer token');
        await tokenField.fill(as('alice').authorization.slice('Bearer '.length));
        await tokenField.press('Tab');
        const card = page.locator(`#approvals > li[data-workflow-id="${workflowId}"]`).first();
        await card.getByRole('button', { name: 'Review all' }).click();
        const dialog = page.locator('dialog#review');
        const step = (id: string) => dialog.locator(`li.review-step[data-step-id="${id}"]`);
        await step('tailor_cv')
          .getByLabel(/Decision for/)
          .selectOption('approve');
        await step('schedule_gym')
          .getByLabel(/Decision for/)
          .selectOption('reject');
        await expect
          .poll(() => step('schedule_gym').getAttribute('data-preview'), { timeout: UI_DEADLINE_MS })
          .toBe('reject');
        const sideways = await dialog.evaluate((d) => d.scrollWidth - d.clientWidth);
        expect(sideways).toBeLessThanOrEqual(0);
        expect((await dialog.boundingBox())!.width).toBeLessThanOrEqual(390);
        await screenshot(page, 'request-review-phone');
        await dialog.locator('[data-role="confirm"]').click();
        const results = dialog.locator('.review-results');
        await expect.poll(() => results.innerText(), { timeout: UI_DEADLINE_MS }).toContain('schedule_gym: rejected');
        expect(await results.innerText()).toContain('tailor_cv: approved');
        expect(errors).toEqual([]);
      },
    );
  },
);
