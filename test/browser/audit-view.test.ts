/**
 * The page's audit and simulation views, signed in as an auditor: the trail with its filters, the
 * export downloaded (it verifies offline), the gateway's check of the chain with its head, and
 * policies/bank.json tried on the recorded requests with the differences step by step; at
 * 1280 px and at 390 px.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TokenTable } from '../../gateway/auth.js';
import { TEST_DECISION_KEYS } from '../../dev/stack-secrets.js';
import { verifyTrail } from '../../src/audit/verify-trail.js';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { waitForStatus } from '../support/reliability.js';
import { HAS_CHROMIUM, openPage, screenshot, SHOT_DIR, SKIP_REASON, useBrowser } from './browser.js';

const REQUESTER_TOKEN = 'audit-view-requester-token-0123456789';
const MANAGER_TOKEN = 'audit-view-manager-token-0123456789';
const AUDITOR_TOKEN = 'audit-view-auditor-token-0123456789';
const bankPolicy = readFileSync('policies/bank.json', 'utf8');

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function signInAsAuditor(page: Page): Promise<void> {
  const tokenField = page.getByLabel('Bearer token');
  await tokenField.waitFor();
  await tokenField.fill(AUDITOR_TOKEN);
  await tokenField.press('Tab');
}

async function showRecords(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Show records' }).click();
}

describe.skipIf(!HAS_CHROMIUM)(
  `web page: audit and simulation${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const stack = useStack({
      audit: true,
      env: { GATEWAY_AUTH: 'token' },
      gateway: {
        tokens: new TokenTable({
          [REQUESTER_TOKEN]: { user_id: 'default_user', role: 'requester' },
          [MANAGER_TOKEN]: { user_id: 'manager', role: 'approver' },
          [AUDITOR_TOKEN]: { user_id: 'auditor', role: 'auditor' },
        }),
      },
    });
    const browser = useBrowser();

    it('records a petty transfer, a small one and an approved one through the API', async () => {
      const small = await call(
        stack.baseUrl,
        'POST',
        '/chat',
        { message: 'send $1,250.50 to bob' },
        as(REQUESTER_TOKEN),
      );
      expect(small.body.status).toBe('COMPLETED');
      const petty = await call(stack.baseUrl, 'POST', '/chat', { message: 'send $300 to bob' }, as(REQUESTER_TOKEN));
      expect(petty.body.status).toBe('COMPLETED');
      const large = await call(
        stack.baseUrl,
        'POST',
        '/chat',
        { message: 'Transfer 6000 to Kiran' },
        as(REQUESTER_TOKEN),
      );
      expect(large.body.status).toBe('PENDING_APPROVAL');
      const decided = await call(
        stack.baseUrl,
        'POST',
        `/api/approvals/${large.body.reply.approval_id}/decision`,
        { decision: 'approve', reason: 'checked the invoice' },
        as(MANAGER_TOKEN),
      );
      expect(decided.status).toBe(200);
      await waitForStatus(stack.baseUrl, large.body.workflow_id, ['COMPLETED'], 20_000, as(REQUESTER_TOKEN));
    });

    it('shows the trail with filters, downloads the export and shows the verified chain head', async () => {
      const { page, errors } = await openPage(browser, stack.baseUrl);
      await signInAsAuditor(page);
      const rows = page.locator('#audit-records tbody tr');
      expect(await rows.count()).toBe(0);
      await showRecords(page);
      await expect.poll(() => rows.count()).toBeGreaterThan(4);
      expect(await rows.first().innerText()).toMatch(/request started/);

      await page.getByLabel('Kind').selectOption('approval_decided');
      await page.getByRole('button', { name: 'Show records' }).click();
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().innerText()).toMatch(
        /manager[\s\S]*bank_transfer[\s\S]*approved[\s\S]*signed decision/,
      );
      await page.getByLabel('Kind').selectOption('');
      await page.getByLabel('Person').fill('manager');
      await page.getByRole('button', { name: 'Show records' }).click();
      await expect.poll(() => rows.count()).toBeLessThan(4);
      for (const row of await rows.all()) expect(await row.locator('td').nth(3).innerText()).toBe('manager');

      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download export' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('audit.ndjson');
      const lines = readFileSync((await download.path())!, 'utf8')
        .split('\n')
        .filter((line) => line !== '');
      expect(verifyTrail(lines, TEST_DECISION_KEYS)).toEqual({ records: lines.length, signed: 1 });
      const head = JSON.parse(lines.at(-1)!) as { seq: number; hash: string };

      await page.getByRole('button', { name: 'Verify the chain' }).click();
      const verdict = page.locator('#audit-verdict');
      await expect.poll(() => verdict.innerText()).toMatch(/^Chain intact/);
      expect(await verdict.innerText()).toBe(
        `Chain intact: ${lines.length} record(s), 1 signed message(s) verified. ` +
          `Head: seq ${head.seq}, hash ${head.hash}.`,
      );
      await screenshot(page, '30-audit-trail');
      expect(errors).toEqual([]);
    });

    it('simulates policies/bank.json and shows its changes step by step; a broken policy names its field', async () => {
      const { page, errors } = await openPage(browser, stack.baseUrl);
      await signInAsAuditor(page);
      await page.getByLabel(/Candidate policy/).fill(bankPolicy);
      await page.getByLabel('Requests of the last').fill('1h');
      await page.getByRole('button', { name: 'Simulate' }).click();
      const status = page.locator('#simulation-status');
      await expect.poll(() => status.innerText()).toMatch(/3 request\(s\), 3 step\(s\), 2 would change/);
      expect(await status.innerText()).toMatch(/Approvals 1 → 2 \(\+1\), refusals 0 → 0/);

      const steps = page.locator('#simulation-steps tbody tr');
      expect(await steps.count()).toBe(3);
      const changed = page.locator('#simulation-steps tbody tr.changed').filter({ hasText: '$1,250.50' });
      expect(await changed.innerText()).toMatch(
        /\$1,250\.50\s+Runs without approval\s+Approval \(small-transfer\): 1 from approvers\s+Changes/,
      );
      expect(await steps.filter({ hasText: '$300.00' }).innerText()).toMatch(
        /Runs without approval\s+Runs without approval \(petty-transfer\)\s+Same/,
      );
      const rules = await page.locator('#simulation-rules').innerText();
      expect(rules).toMatch(/small-transfer\s+0\s+2\s+\+2/);
      expect(rules).toMatch(/transfer-threshold\s+1\s+0\s+-1/);
      expect(await page.locator('#simulation-groups').innerText()).toMatch(/approvers\s+0\s+\d+/);
      await page.getByLabel('Only steps that would change').check();
      await expect.poll(() => steps.count()).toBe(2);
      expect(await steps.filter({ hasText: '$300.00' }).count()).toBe(0);
      await screenshot(page, '31-policy-simulation');

      await page.getByLabel(/Candidate policy/).fill('{ "id": "broken", "rules": [] }');
      await page.getByRole('button', { name: 'Simulate' }).click();
      await expect.poll(() => page.locator('#simulation-error').innerText()).toMatch(/body\.policy\.rules/);
      expect(errors).toEqual([]);
    });

    it('fits a 390 px screen: the tables scroll inside the view, the page does not', async () => {
      const { page, errors } = await openPage(browser, stack.baseUrl, { width: 390, height: 844 });
      await signInAsAuditor(page);
      await showRecords(page);
      await expect.poll(() => page.locator('#audit-records tbody tr').count()).toBeGreaterThan(4);
      await page.getByLabel(/Candidate policy/).fill(bankPolicy);
      await page.getByRole('button', { name: 'Simulate' }).click();
      await page.locator('#simulation-steps').waitFor();
      const audit = await page.locator('#audit').boundingBox();
      expect(audit!.x).toBeGreaterThanOrEqual(0);
      expect(audit!.x + audit!.width).toBeLessThanOrEqual(390);
      for (const button of ['Show records', 'Download export', 'Verify the chain', 'Simulate']) {
        const box = await page.getByRole('button', { name: button }).boundingBox();
        expect(box!.x + box!.width, button).toBeLessThanOrEqual(390);
      }
      await screenshot(page, '32-audit-narrow');
      await page.locator('#audit-records').scrollIntoViewIfNeeded();
      await page.locator('#audit').screenshot({ path: `${SHOT_DIR}/33-audit-narrow-view.png` });
      expect(errors).toEqual([]);
    });
  },
);
