/**
 * A real headless Chromium for the page tests (Debian's /usr/bin/chromium driven by playwright-core),
 * a page that records its own errors, and screenshots under /tmp for people to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { useResource } from '../support/fixtures.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const SKIP_REASON = `${CHROMIUM_PATH} is missing: install it with \`apt-get install -y chromium\` to run the browser tests`;
if (!HAS_CHROMIUM) console.warn(`browser tests skipped: ${SKIP_REASON}`);

export const SHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp/browser-shots';

/** How long a test waits for something the page should show (a run settling, a card appearing). */
export const UI_DEADLINE_MS = 20_000;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A browser for the test file (register it inside a `describe.skipIf(!HAS_CHROMIUM)`). */
export function useBrowser(): Browser {
  return useResource('the browser', launchBrowser, (browser) => browser.close());
}

export interface OpenedPage {
  page: Page;
  /** Uncaught exceptions and console errors, without the browser's own "Failed to load resource" lines for API refusals. */
  errors: string[];
}

export async function openPage(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 900 },
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_DEADLINE_MS);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
      errors.push(`console: ${msg.text()}`);
  });
  await page.goto('/');
  await page.locator('body[data-ready="true"]').waitFor();
  return { page, errors };
}

/** A full-page screenshot at SHOT_DIR/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOT_DIR, { recursive: true });
  const file = path.join(SHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Records, in the page, every state each step of the run view shows (insertions and attribute
 * changes), so a test can tell a step turned green while it watched rather than after a reload.
 */
export async function recordStepStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __stepStates: Record<string, string[]>; __pageId: number };
    w.__stepStates = {};
    w.__pageId = Math.random();
    const note = (node: Element): void => {
      const id = node.getAttribute('data-step-id');
      const state = node.getAttribute('data-state');
      if (!id || !state) return;
      const seen = (w.__stepStates[id] ??= []);
      if (seen.at(-1) !== state) seen.push(state);
    };
    const steps = document.getElementById('steps')!;
    for (const li of steps.querySelectorAll('[data-step-id]')) note(li);
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) if (n instanceof Element && n.matches('[data-step-id]')) note(n);
    }).observe(steps, { childList: true });
  });
}

export async function stepStates(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => (window as unknown as { __stepStates: Record<string, string[]> }).__stepStates);
}

/** A value set in the page that a reload would lose. */
export async function pageId(page: Page): Promise<number | undefined> {
  return page.evaluate(() => (window as unknown as { __pageId?: number }).__pageId);
}

/** Approves from an inbox card, then waits for the card to leave and the transfer step to succeed. */
export async function approveTransferCard(page: Page, card: Locator): Promise<void> {
  await card.getByRole('button', { name: /^Approve/ }).click();
  await card.waitFor({ state: 'detached' });
  await page.locator('#steps li[data-step-id="transfer"][data-state="SUCCEEDED"]').waitFor();
}
