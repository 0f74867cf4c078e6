/**
 * The plan graph and step lanes on real runs, watched live in a real Chromium: the Life-OS sentence
 * (five steps, two dependencies, an L3 submit approved from the inbox) and the banking transfer (one
 * step: a card, no graph). The graph must match the run view the API returns, node for node and
 * edge for edge, while it runs; keyboard users reach a step's details from its node. Screenshots
 * of the run panel at 1280 and 390 px go to SHOT_DIR.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import { startStack, type Stack } from '../support/stack.js';
import { HAS_CHROMIUM, launchBrowser, openPage, SHOT_DIR, SKIP_REASON, UI_DEADLINE_MS } from './browser.js';

const SENTENCE = 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries';
/** The sandbox answers each call after this delay, so the page sees every step before it is done. */
const SANDBOX_LATENCY_MS = 700;

type RunView = {
  workflow_id: string;
  status: string;
  steps: { id: string; name: string; tool: string; risk_level: string; state: string; depends_on: string[] }[];
};

/** What the graph shows: node ids, names, states and edges, read from the SVG. */
async function graphOf(page: Page) {
  return page.evaluate(() => ({
    nodes: [...document.querySelectorAll('#plan-graph .graph-node')].map((n) => ({
      id: n.getAttribute('data-step-id'),
      name: n.querySelector('title')?.textContent,
      state: n.getAttribute('data-state'),
      label: n.getAttribute('aria-label'),
    })),
    edges: [...document.querySelectorAll('#plan-graph .graph-edge')]
      .map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}`)
      .sort(),
  }));
}

/** Records every state each graph node shows while the test watches. */
async function recordNodeStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __nodeStates: Record<string, string[]> };
    w.__nodeStates = {};
    new MutationObserver((records) => {
      for (const r of records) {
        const node = r.target as Element;
        const id = node.getAttribute('data-step-id');
        const state = node.getAttribute('data-state');
        if (!id || !state || !node.classList.contains('graph-node')) continue;
        const seen = (w.__nodeStates[id] ??= []);
        if (seen.at(-1) !== state) seen.push(state);
      }
    }).observe(document.getElementById('run-pictures')!, {
      subtree: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

async function runPanelShot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOT_DIR, `${name}.png`);
  await page.locator('#run').screenshot({ path: file });
  return file;
}

describe.skipIf(!HAS_CHROMIUM)(`run pictures on live runs${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let sandbox: SandboxProcess;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    sandbox = await startSandboxProcess({ latencyMs: SANDBOX_LATENCY_MS });
    [stack, browser] = await Promise.all([startStack({ sandbox, env: { CHAT_WAIT_MS: '250' } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await sandbox?.dispose();
  });

  async function runView(workflowId: string): Promise<RunView> {
    const res = await fetch(`${stack.baseUrl}/api/workflows/${encodeURIComponent(workflowId)}`);
    return (await res.json()) as RunView;
  }

  it(
    'Life-OS: the graph matches the plan as it runs; Enter on a node shows its details',
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openPage(browser, stack.baseUrl);
      await page.getByLabel('Message').fill(SENTENCE);
      await page.getByRole('button', { name: 'Send' }).click();
      const nodes = page.locator('#plan-graph .graph-node');
      await nodes.nth(4).waitFor();
      expect(await nodes.count()).toBe(5);
      await recordNodeStates(page);
      const workflowId = (await page.locator('#run-body').getAttribute('data-workflow-id'))!;

      // Node for node and edge for edge, the graph is the plan the API returns.
      const plan = await runView(workflowId);
      const graph = await graphOf(page);
      expect(graph.nodes.map((n) => [n.id, n.name])).toEqual(plan.steps.map((s) => [s.id, s.name]));
      expect(graph.edges).toEqual(plan.steps.flatMap((s) => s.depends_on.map((d) => `${d}>${s.id}`)).sort());
      expect(graph.edges).toEqual(['search_jobs>tailor_cv', 'tailor_cv>submit_application']);
      for (const step of plan.steps)
        expect(graph.nodes.find((n) => n.id === step.id)?.label).toContain(
          `${step.name}, ${step.tool}, risk ${step.risk_level}: `,
        );

      // The L3 submit waits with its badge and its state in words; everything else is done.
      const submit = page.locator('.graph-node[data-step-id="submit_application"]');
      await page
        .locator('.graph-node[data-step-id="submit_application"][data-state="BLOCKED"].needs-approval')
        .waitFor();
      for (const id of ['search_jobs', 'tailor_cv', 'schedule_gym', 'plan_groceries'])
        await page.locator(`.graph-node[data-step-id="${id}"][data-state="SUCCEEDED"]`).waitFor();
      expect(await submit.getAttribute('aria-label')).toBe(
        'Submit job application, job_submit, risk L3: Blocked: needs approval, in the approvals inbox',
      );
      expect(await submit.locator('.node-badge').isVisible()).toBe(true);
      // The states the graph shows are the API's.
      const waiting = await runView(workflowId);
      expect((await graphOf(page)).nodes.map((n) => [n.id, n.state])).toEqual(
        waiting.steps.map((s) => [s.id, s.state]),
      );
      await page.locator('.lane[data-step-id="submit_application"] .seg-approval.open').waitFor();
      await page.locator('#timeline li[data-event="approval_required"][data-step-id="submit_application"]').waitFor();

      // Keyboard: one tab stop into the graph, arrows to the submit, Enter shows its card and events.
      await page.locator('.graph-node[tabindex="0"]').focus();
      const order = graph.nodes.map((n) => n.id);
      for (let i = 0; i < order.indexOf('submit_application'); i++) await page.keyboard.press('ArrowRight');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-step-id'))).toBe(
        'submit_application',
      );
      await page.keyboard.press('Enter');
      await page.locator('#steps li.is-focused[data-step-id="submit_application"]').waitFor();
      const submitEvents = await page.locator('#timeline li[data-step-id="submit_application"]').count();
      expect(submitEvents).toBeGreaterThanOrEqual(3);
      expect(await page.locator('#timeline li.is-focused').count()).toBe(submitEvents);
      expect(await page.locator('#plan-focus').textContent()).toBe(
        'Submit job application: its card and its timeline events are highlighted.',
      );
      await runPanelShot(page, '23-life-os-graph-blocked-1280');

      // Approved from the inbox: the submit runs and every node turns green on the same page. The
      // bank holds its answer until the page has shown the submit running, however slow the machine.
      sandbox.pause();
      try {
        await page
          .locator('#approvals > li[data-approval-id$=".submit_application"]')
          .getByRole('button', { name: /^Approve/ })
          .click();
        await page.locator('.graph-node[data-step-id="submit_application"][data-state="RUNNING"]').waitFor();
      } finally {
        sandbox.resume();
      }
      for (const id of order) await page.locator(`.graph-node[data-step-id="${id}"][data-state="SUCCEEDED"]`).waitFor();
      await page.locator('#run-body[data-status="COMPLETED"]').waitFor();
      const seen = await page.evaluate(
        () => (window as unknown as { __nodeStates: Record<string, string[]> }).__nodeStates,
      );
      const submitSeen = seen.submit_application ?? [];
      expect(submitSeen.indexOf('RUNNING'), submitSeen.join(' → ')).toBeGreaterThan(submitSeen.indexOf('BLOCKED'));
      expect(submitSeen.at(-1)).toBe('SUCCEEDED');
      // The highlight follows the card and events the run view re-rendered.
      expect(await page.locator('#timeline li.is-focused').count()).toBeGreaterThan(submitEvents);

      // Lanes: one per step; the approval wait is drawn as such; the job chain is the critical path.
      await expect
        .poll(async () => page.locator('#lanes-caption').textContent(), { timeout: UI_DEADLINE_MS })
        .toMatch(/^Wall time /);
      expect(await page.locator('#step-lanes .lane').count()).toBe(5);
      expect(await page.locator('.lane[data-step-id="submit_application"] .seg-approval').count()).toBe(1);
      expect(await page.locator('.lane[data-step-id="schedule_gym"] .seg-approval').count()).toBe(0);
      const critical = await page
        .locator('#step-lanes .lane.critical')
        .evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-step-id')));
      expect(critical).toEqual(['search_jobs', 'tailor_cv', 'submit_application']);
      await runPanelShot(page, '24-life-os-graph-done-1280');

      // At 390 px the graph scrolls inside its own box; the page does not get wider than the phone.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect
        .poll(
          async () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
          { timeout: UI_DEADLINE_MS },
        )
        .toBeLessThanOrEqual(0);
      const box = await page.locator('#plan-graph').evaluate((d) => ({ inner: d.scrollWidth, outer: d.clientWidth }));
      expect(box.inner).toBeGreaterThan(box.outer);
      await expect
        .poll(async () => page.locator('#step-lanes svg').evaluate((s) => s.getBoundingClientRect().width), {
          timeout: UI_DEADLINE_MS,
        })
        .toBeLessThanOrEqual(390);
      await runPanelShot(page, '25-life-os-graph-done-390');
      expect(errors).toEqual([]);
    },
  );

  it(
    'transfer: one step stays a card; its lane shows the wait for approval, then the transfer',
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openPage(browser, stack.baseUrl);
      await page.getByLabel('Message').fill('Transfer 6000 to Kiran');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('#steps li[data-step-id="transfer"][data-state="BLOCKED"]').waitFor();
      await page.locator('#run-pictures:not([hidden])').waitFor();
      // No graph for one step: its card in the steps list says it all.
      expect(await page.locator('#plan-graph').getAttribute('data-layout')).toBe('card');
      expect(await page.locator('#plan-graph .graph-node').count()).toBe(0);
      expect(await page.locator('#plan-graph-heading').isVisible()).toBe(false);
      const lane = page.locator('.lane[data-step-id="transfer"]');
      await lane.locator('.seg-approval.open').waitFor();
      expect(await lane.getAttribute('aria-label')).toMatch(
        /^Transfer \$6,000\.00 → kiran: Blocked: needs approval; (ready [\d.]+ s, )?waiting for approval [\d.]+ s so far; on the critical path$/,
      );
      await runPanelShot(page, '26-transfer-waiting-1280');

      await page
        .locator('#approvals > li[data-approval-id$=".transfer"]')
        .getByRole('button', { name: /^Approve/ })
        .click();
      await page.locator('.lane[data-step-id="transfer"][data-state="SUCCEEDED"]').waitFor();
      expect(await lane.locator('.seg-approval').count()).toBe(1);
      expect(await lane.locator('.seg-approval.open').count()).toBe(0);
      expect(await lane.locator('.seg-running').count()).toBe(1);
      await expect
        .poll(async () => page.locator('#lanes-caption').textContent(), { timeout: UI_DEADLINE_MS })
        .toMatch(/^Wall time [\d.]+ s; critical path [\d.]+ s: Transfer \$6,000\.00 → kiran\.$/);
      await runPanelShot(page, '27-transfer-done-1280');
      await page.setViewportSize({ width: 390, height: 844 });
      await expect
        .poll(async () => page.locator('#step-lanes svg').evaluate((s) => s.getBoundingClientRect().width), {
          timeout: UI_DEADLINE_MS,
        })
        .toBeLessThanOrEqual(390);
      await runPanelShot(page, '28-transfer-done-390');
      expect(errors).toEqual([]);
    },
  );
});
