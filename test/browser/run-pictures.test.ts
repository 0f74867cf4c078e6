/**
 * The run view's pictures on made-up runs, in a real Chromium: the page's own modules (served by
 * the gateway's web routes, dagre from node_modules) draw a failed Life-OS run whose submit was
 * skipped, a 50-step plan, and a run's lanes; checks what a test of a live run cannot force (a
 * failure, fifty steps) and that the graph is usable by keyboard alone.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoutes } from '../../gateway/routes/web.js';
import { HAS_CHROMIUM, launchBrowser, screenshot, SHOT_DIR, SKIP_REASON } from './browser.js';

type Step = {
  id: string;
  name: string;
  tool: string;
  risk_level: string;
  depends_on: string[];
  state: string;
  attempts: number;
  started_at?: string;
  finished_at?: string;
};
type Event = {
  seq: number;
  event: string;
  message: string;
  timestamp: string;
  step_id?: string;
  metadata: Record<string, unknown>;
};

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** A failed Life-OS run: tailor_cv failed, so submit_application was skipped. */
function failedLifeOs() {
  const steps: Step[] = [
    {
      id: 'search_jobs',
      name: 'Search backend jobs',
      tool: 'job_search',
      risk_level: 'L0',
      depends_on: [],
      state: 'SUCCEEDED',
      attempts: 1,
      started_at: at(100),
      finished_at: at(1100),
    },
    {
      id: 'tailor_cv',
      name: 'Tailor CV',
      tool: 'cv_tailor',
      risk_level: 'L1',
      depends_on: ['search_jobs'],
      state: 'FAILED',
      attempts: 3,
      started_at: at(1150),
      finished_at: at(2600),
    },
    {
      id: 'submit_application',
      name: 'Submit job application',
      tool: 'job_apply',
      risk_level: 'L3',
      depends_on: ['tailor_cv'],
      state: 'SKIPPED',
      attempts: 0,
      finished_at: at(2610),
    },
    {
      id: 'schedule_gym',
      name: 'Schedule gym 3x',
      tool: 'calendar',
      risk_level: 'L1',
      depends_on: [],
      state: 'SUCCEEDED',
      attempts: 1,
      started_at: at(100),
      finished_at: at(900),
    },
    {
      id: 'plan_groceries',
      name: 'Plan groceries',
      tool: 'groceries',
      risk_level: 'L0',
      depends_on: [],
      state: 'SUCCEEDED',
      attempts: 1,
      started_at: at(100),
      finished_at: at(700),
    },
  ];
  const events: Event[] = [
    { seq: 1, event: 'plan_created', message: 'Planned 5 step(s)', timestamp: at(50), metadata: {} },
    ...['search_jobs', 'schedule_gym', 'plan_groceries'].map((id, i) => ({
      seq: 2 + i,
      event: 'step_ready',
      message: `${id} is ready`,
      timestamp: at(90),
      step_id: id,
      metadata: {},
    })),
    {
      seq: 5,
      event: 'step_ready',
      message: 'tailor_cv is ready',
      timestamp: at(1120),
      step_id: 'tailor_cv',
      metadata: {},
    },
    {
      seq: 6,
      event: 'step_failed',
      message: 'Tailor CV failed',
      timestamp: at(2600),
      step_id: 'tailor_cv',
      metadata: {},
    },
    {
      seq: 7,
      event: 'step_skipped',
      message: 'Submit job application skipped: tailor_cv did not succeed',
      timestamp: at(2610),
      step_id: 'submit_application',
      metadata: { blocked_by: ['tailor_cv'] },
    },
  ];
  return { run: runView(steps, 'FAILED'), events };
}

/** Ten chains of five steps, side by side: 50 steps, 40 edges. */
function fiftySteps() {
  const steps: Step[] = [];
  for (let chain = 0; chain < 10; chain++) {
    for (let link = 0; link < 5; link++) {
      const id = `c${chain}_s${link}`;
      const depends_on = link > 0 ? [`c${chain}_s${link - 1}`] : [];
      steps.push({
        id,
        name: `Chain ${chain} step ${link}`,
        tool: 'job_search',
        risk_level: 'L0',
        depends_on,
        state: 'PENDING',
        attempts: 0,
      });
    }
  }
  return { run: runView(steps, 'EXECUTING'), events: [] as Event[] };
}

function runView(steps: Step[], status: string) {
  return {
    workflow_id: 'req-fixture',
    session_id: 's',
    user_id: 'u',
    intent: 'life_os',
    status,
    steps,
    approvals: [],
    created_at: at(0),
    updated_at: at(3000),
  };
}

/** A page with the run view's elements and its stylesheets, the pictures drawn by the page's module. */
async function drawn(page: Page, fixture: { run: unknown; events: unknown[] }): Promise<void> {
  await page.goto('/api/config');
  await page.setContent(`<!doctype html><html><head>
    <link rel="stylesheet" href="/assets/app.css"><link rel="stylesheet" href="/assets/approvals.css">
    <link rel="stylesheet" href="/assets/run.css"><link rel="stylesheet" href="/assets/pictures.css"></head>
    <body><main class="layout"><section id="run" class="panel run"><div id="run-pictures"></div>
    <ol id="steps" class="steps"></ol><ol id="timeline" class="timeline"></ol></section></main></body></html>`);
  // A string, not a function: vitest would rewrite a dynamic import() in this file's code.
  await page.evaluate(`(async ({ run, events }) => {
    const { createRunPictures } = await import('/assets/run-pictures.js');
    const steps = document.getElementById('steps');
    const timeline = document.getElementById('timeline');
    for (const s of run.steps) {
      const li = document.createElement('li');
      li.dataset.stepId = s.id;
      li.className = 'step';
      const name = document.createElement('span');
      name.className = 'step-name';
      name.textContent = s.name;
      li.append(name);
      steps.append(li);
    }
    for (const e of events) {
      const li = document.createElement('li');
      li.dataset.seq = String(e.seq);
      if (e.step_id) li.dataset.stepId = e.step_id;
      li.textContent = e.event;
      timeline.append(li);
    }
    createRunPictures({ mount: document.getElementById('run-pictures'), steps, timeline }).render(run, events);
  })(${JSON.stringify(fixture)})`);
}

describe.skipIf(!HAS_CHROMIUM)(
  `run pictures on made-up runs${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    let server: ServerType;
    let baseUrl: string;
    let browser: Browser;

    beforeAll(async () => {
      const app = webRoutes(new URL('../../public', import.meta.url).pathname, {
        TEMPORAL_UI_URL: 'http://localhost:8233',
        TEMPORAL_NAMESPACE: 'default',
        GATEWAY_AUTH: 'off',
      });
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
      });
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    });

    async function newPage(width = 1280): Promise<{ page: Page; errors: string[] }> {
      const page = await (await browser.newContext({ viewport: { width, height: 900 }, baseURL: baseUrl })).newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        // The browser's own line for its favicon request is not the page's error.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
      });
      return { page, errors };
    }

    it('a skipped step names the dependency that stopped it; its edge is marked', async () => {
      const { page, errors } = await newPage();
      await drawn(page, failedLifeOs());
      expect(await page.locator('#plan-graph .graph-node').count()).toBe(5);
      const edges = await page
        .locator('#plan-graph .graph-edge')
        .evaluateAll((paths) => paths.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`).sort());
      expect(edges).toEqual(['search_jobs>tailor_cv', 'tailor_cv>submit_application']);
      const skipped = page.locator('.graph-node[data-step-id="submit_application"]');
      expect(await skipped.getAttribute('data-state')).toBe('SKIPPED');
      expect(await skipped.getAttribute('aria-label')).toBe(
        'Submit job application, job_apply, risk L3: Skipped, stopped by Tailor CV',
      );
      expect(await skipped.locator('.node-state').textContent()).toBe('Skipped');
      expect(await skipped.locator('.node-detail').textContent()).toBe('stopped by Tailor CV');
      expect(await page.locator('.graph-edge.stopped').getAttribute('data-from')).toBe('tailor_cv');
      expect(await page.locator('.graph-node[data-step-id="tailor_cv"]').getAttribute('aria-label')).toBe(
        'Tailor CV, cv_tailor, risk L1: Failed',
      );

      // Lanes: one per step; the critical path is search → tailor (the skip took no time), 2.5 s of a 2.6 s run.
      expect(await page.locator('#step-lanes .lane').count()).toBe(5);
      const critical = await page
        .locator('#step-lanes .lane.critical')
        .evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-step-id')));
      expect(critical).toEqual(['search_jobs', 'tailor_cv']);
      expect(await page.locator('#lanes-caption').textContent()).toBe(
        'Wall time 2.6 s; critical path 2.5 s: Search backend jobs → Tailor CV.',
      );
      expect(await page.locator('.lane[data-step-id="submit_application"] .lane-skip').textContent()).toBe('skipped');
      await screenshot(page, '21-pictures-failed-life-os');
      expect(errors).toEqual([]);
    });

    it('fifty steps are laid out without overlaps and browsed by keyboard', async () => {
      const { page, errors } = await newPage(390);
      await drawn(page, fiftySteps());
      const nodes = page.locator('#plan-graph .graph-node');
      expect(await nodes.count()).toBe(50);
      expect(await page.locator('#plan-graph .graph-edge').count()).toBe(40);
      const boxes = await nodes.evaluateAll((gs) =>
        gs.map((g) => g.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })),
      );
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
          expect(apart, `nodes overlap: ${JSON.stringify([a, b])}`).toBe(true);
        }
      }
      // The graph scrolls inside its own box; the page itself does not get wider than the phone.
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      ).toBeLessThanOrEqual(0);
      const scroller = await page
        .locator('#plan-graph')
        .evaluate((d) => ({ inner: d.scrollWidth, outer: d.clientWidth }));
      expect(scroller.inner).toBeGreaterThan(scroller.outer);

      // One tab stop for the whole graph; arrows move; Enter chooses the step.
      await page.locator('body').focus();
      await page.keyboard.press('Tab');
      const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-step-id'));
      expect(await focused()).toBe('c0_s0');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('c0_s2');
      await page.keyboard.press('End');
      expect(await focused()).toBe('c9_s4');
      await page.keyboard.press('Enter');
      expect(await page.locator('#steps li.is-focused').getAttribute('data-step-id')).toBe('c9_s4');
      expect(await page.locator('.graph-node[aria-current="true"]').getAttribute('data-step-id')).toBe('c9_s4');
      expect(await page.locator('#plan-focus').textContent()).toBe(
        'Chain 9 step 4: its card and its timeline events are highlighted.',
      );
      // The focused node is scrolled into the graph's box.
      const visible = await page.evaluate(() => {
        const box = document.getElementById('plan-graph')!.getBoundingClientRect();
        const node = document.activeElement!.getBoundingClientRect();
        return (
          node.left >= box.left - 1 &&
          node.right <= box.right + 1 &&
          node.top >= box.top - 1 &&
          node.bottom <= box.bottom + 1
        );
      });
      expect(visible).toBe(true);
      await page.keyboard.press('Tab');
      expect(await focused()).toBeNull();
      await page
        .locator('#plan-graph')
        .screenshot({ path: path.join(SHOT_DIR, '22-pictures-fifty-steps-390-end.png') });
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Home');
      await page
        .locator('#plan-graph')
        .screenshot({ path: path.join(SHOT_DIR, '22-pictures-fifty-steps-390-start.png') });
      expect(errors).toEqual([]);
    });
  },
);
