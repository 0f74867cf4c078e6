/**
 * The Life-OS flow in a real browser: one sentence becomes five steps that the page watches turn green live
 * (SSE timeline, run view refreshed on each event, no reloads); the L3 submit waits BLOCKED until
 * it is approved from the inbox, then all five are SUCCEEDED. Also checks the narrow layout and
 * the keyboard focus ring.
 */
import { describe, expect, it } from 'vitest';
import {
  HAS_CHROMIUM,
  openPage,
  pageId,
  recordStepStates,
  screenshot,
  SKIP_REASON,
  stepStates,
  UI_DEADLINE_MS,
  useBrowser,
} from './browser.js';
import { useSandbox, useStack } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import { chatAs } from '../support/chat.js';

const SENTENCE = 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries';
const STEP_IDS = ['search_jobs', 'tailor_cv', 'submit_application', 'schedule_gym', 'plan_groceries'];

/** The sandbox answers each call after this delay, so every step is visibly RUNNING for a while. */
const SANDBOX_LATENCY_MS = 1000;

describe.skipIf(!HAS_CHROMIUM)(
  `web page: a Life-OS run watched live${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const sandbox = useSandbox({ latencyMs: SANDBOX_LATENCY_MS });
    // A short chat budget: the chat answers RUNNING at once and the page follows the run itself.
    const stack = useStack({ sandbox, env: { CHAT_WAIT_MS: '250' } });
    const browser = useBrowser();

    it(
      'steps turn green while the page watches; the L3 submit is approved from the inbox',
      { timeout: 120_000 },
      async () => {
        // The planner looks the requester's account up at the bank once per worker: done here, so
        // that the bank can hold the run's tool calls below without holding up its planning.
        const warmUp = await chatAs(stack.baseUrl, 'what is my balance?', 'default_user');
        await waitFor(
          async () =>
            (await call(stack.baseUrl, 'GET', `/api/workflows/${warmUp.body.workflow_id}`)).body.status ===
              'COMPLETED' || undefined,
          {
            what: 'the balance run to complete',
          },
        );

        const { page, errors } = await openPage(browser, stack.baseUrl);
        await recordStepStates(page);
        const id = await pageId(page);
        const step = (stepId: string, state?: string) =>
          page.locator(`#steps li[data-step-id="${stepId}"]${state ? `[data-state="${state}"]` : ''}`);

        // The bank holds its answers until the page has shown every step and one running, however
        // slow the machine: the page must see each step before it turns green.
        sandbox.pause();
        try {
          await page.getByLabel('Message').fill(SENTENCE);
          await page.getByRole('button', { name: 'Send' }).click();
          await page.locator('#conversation article.msg-bot[data-workflow-id]').waitFor();
          for (const stepId of STEP_IDS) await step(stepId).waitFor();
          await page.locator('#steps li[data-state="RUNNING"]').first().waitFor();
          await screenshot(page, '05-life-os-running');
        } finally {
          sandbox.resume();
        }

        // Everything that needs no approval finishes; the L3 submit waits, amber, with its label.
        for (const stepId of ['search_jobs', 'tailor_cv', 'schedule_gym', 'plan_groceries'])
          await step(stepId, 'SUCCEEDED').waitFor();
        await step('submit_application', 'BLOCKED').waitFor();
        expect(await step('submit_application').locator('.badge').innerText()).toBe('Blocked: needs approval');
        await page.locator('#run-body[data-status="WAITING_APPROVAL"]').waitFor();
        await page.locator('#timeline li[data-event="approval_required"]').waitFor();

        const card = page.locator('#approvals > li[data-approval-id$=".submit_application"]');
        await card.waitFor();
        const facts = await card.innerText();
        for (const text of ['Submit job application', 'Requested by', 'default_user', 'L3'])
          expect(facts).toContain(text);
        await screenshot(page, '06-life-os-blocked');

        // Clicking the card selects its run (already selected here), then approve it as the manager.
        // Held by the bank again until the page has shown the approved submit running.
        sandbox.pause();
        try {
          await card.getByRole('button', { name: /^Approve/ }).click();
          await card.waitFor({ state: 'detached' });
          await step('submit_application', 'RUNNING').waitFor();
        } finally {
          sandbox.resume();
        }
        for (const stepId of STEP_IDS) await step(stepId, 'SUCCEEDED').waitFor({ timeout: UI_DEADLINE_MS });
        await page.locator('#run-body[data-status="COMPLETED"]').waitFor();
        await page.locator('#timeline li[data-event="workflow_complete"]').waitFor();
        await page.locator('#inbox-empty').waitFor({ state: 'visible' });
        await page
          .locator('#conversation article[data-status="success"]')
          .filter({ hasText: 'All 5 steps succeeded' })
          .waitFor();
        expect(await page.locator('#stream-state').innerText()).toBe('(finished)');

        // The same page (never reloaded) saw each step before it was green, and saw it turn green.
        expect(await pageId(page)).toBe(id);
        const seen = await stepStates(page);
        for (const stepId of STEP_IDS) {
          const states = seen[stepId] ?? [];
          expect(states.at(-1), `${stepId}: ${states.join(' → ')}`).toBe('SUCCEEDED');
          expect(states.length, `${stepId} was first seen already SUCCEEDED: ${states.join(' → ')}`).toBeGreaterThan(1);
        }
        const submit = seen.submit_application ?? [];
        expect(submit.indexOf('BLOCKED')).toBeGreaterThanOrEqual(0);
        expect(submit.indexOf('RUNNING')).toBeGreaterThan(submit.indexOf('BLOCKED'));
        await screenshot(page, '07-life-os-done');

        // Narrow window: one column, in reading order chat, inbox, run.
        await page.setViewportSize({ width: 390, height: 844 });
        const boxes = await Promise.all(
          ['#chat', '#inbox', '#run'].map(async (sel) => (await page.locator(sel).boundingBox())!),
        );
        const [chat, inbox, run] = boxes as [
          NonNullable<(typeof boxes)[number]>,
          NonNullable<(typeof boxes)[number]>,
          NonNullable<(typeof boxes)[number]>,
        ];
        expect(inbox.x).toBeCloseTo(chat.x, 0);
        expect(inbox.y).toBeGreaterThanOrEqual(chat.y + chat.height);
        expect(run.y).toBeGreaterThanOrEqual(inbox.y + inbox.height);
        expect(chat.width).toBeLessThanOrEqual(390);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);

        // Keyboard focus is visible.
        await page.getByLabel('Message').focus();
        await page.keyboard.press('Tab');
        const outline = await page.evaluate(() => {
          const active = document.activeElement as HTMLElement;
          return {
            name: active.textContent,
            style: getComputedStyle(active).outlineStyle,
            width: getComputedStyle(active).outlineWidth,
          };
        });
        expect(outline).toEqual({ name: 'Send', style: 'solid', width: '3px' });
        await screenshot(page, '08-narrow-window');
        expect(errors).toEqual([]);
      },
    );
  },
);
