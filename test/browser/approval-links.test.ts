/**
 * One-click approval links in a real browser: approval.requested reaches a real listener with a
 * link per person who may approve; opening one shows the action and decides nothing; the form's
 * POST decides once; a replayed, expired or tampered link answers a clear page and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import type { NotificationEvent } from '../../src/shared/notifications.js';
import { signLink, verifyLink, type ApprovalLinks } from '../../src/webhooks/approval-links.js';
import { call } from '../support/http.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { useLinkStack } from '../support/link-stack.js';
import { HAS_CHROMIUM, SKIP_REASON, screenshot, UI_DEADLINE_MS, useBrowser } from './browser.js';
import { chatAs } from '../support/chat.js';

const LINK_SECRET = randomBytes(32).toString('base64url');

describe.skipIf(!HAS_CHROMIUM)(`one-click approval links${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const { listener, stack } = useLinkStack(LINK_SECRET, 'manager@bank.com,default_user,auditor@bank.com');
  const browser = useBrowser();

  let approvalId: string;
  let workflowId: string;
  let links: ApprovalLinks[];

  const approvalStatus = async () =>
    (await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`)).body.status as string;

  it('sends approve and reject links to each person who may approve, never to the requester', async () => {
    const res = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user');
    expect(res.body.status).toBe('PENDING_APPROVAL');
    approvalId = res.body.reply.approval_id;
    workflowId = res.body.workflow_id;
    const requested = await waitFor(
      () => {
        const found = listener.received
          .map((w) => JSON.parse(w.body) as NotificationEvent)
          .find((e) => e.workflow_id === workflowId && e.type === 'approval.requested');
        return found;
      },
      { what: 'approval.requested' },
    );
    links = requested.data['links'] as ApprovalLinks[];
    expect(links.map((l) => l.person)).toEqual(['manager@bank.com', 'auditor@bank.com']);
    for (const link of links) expect(link.approve_url.startsWith(`${stack.baseUrl}/approval-links/`)).toBe(true);
  });

  it('opening a link shows the action and decides nothing', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(UI_DEADLINE_MS);
    await page.goto(links[0]!.approve_url);
    expect(await page.locator('#link-title').innerText()).toBe('Approve this request?');
    expect(await page.locator('#link-person').innerText()).toBe('manager@bank.com');
    expect(await page.locator('main').innerText()).toMatch(/\$6000\.00[\s\S]*kiran/);
    await page.reload();
    expect(await approvalStatus()).toBe('pending');
    await screenshot(page, 'approval-link-confirm');
    await page.close();
  });

  it.each([
    [
      'tampered',
      (url: string) =>
        url.replace(/\/approval-links\/(.)/, (_m, c: string) => `/approval-links/${c === 'A' ? 'B' : 'A'}`),
      400,
      'This link is not valid',
    ],
    [
      'expired',
      (url: string) => {
        const token = url.split('/approval-links/')[1]!;
        const claims = verifyLink(LINK_SECRET, token, 0);
        if (!claims.ok) throw new Error('the sent link did not verify');
        return `${stack.baseUrl}/approval-links/${signLink(LINK_SECRET, { ...claims.claims, e: Math.floor(Date.now() / 1000) - 1 })}`;
      },
      410,
      'This link has expired',
    ],
    [
      'signed with another key',
      (url: string) => {
        const claims = verifyLink(LINK_SECRET, url.split('/approval-links/')[1]!, 0);
        if (!claims.ok) throw new Error('the sent link did not verify');
        return `${stack.baseUrl}/approval-links/${signLink('another-secret-of-at-least-32-chars!', claims.claims)}`;
      },
      400,
      'This link is not valid',
    ],
  ])('a %s link answers a clear page, and its POST changes nothing', async (_name, alter, status, title) => {
    const url = alter(links[0]!.approve_url);
    const page = await browser.newPage();
    const response = await page.goto(url);
    expect(response!.status()).toBe(status);
    expect(await page.locator('#link-title').innerText()).toBe(title);
    await page.close();
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(posted.status).toBe(status);
    expect(await approvalStatus()).toBe('pending');
  });

  it("the form's POST decides once, as the link's person, and a replay changes nothing", async () => {
    const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
    const page = await browser.newPage();
    page.setDefaultTimeout(UI_DEADLINE_MS);
    await page.goto(links[0]!.approve_url);
    await page.locator('#reason').fill('checked by phone');
    await page.locator('#link-confirm').click();
    await page.locator('#link-title', { hasText: 'Approved' }).waitFor();
    await screenshot(page, 'approval-link-approved');
    await stack.client.workflow.getHandle(workflowId).result();
    const approval = (await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`)).body;
    expect(approval).toMatchObject({
      status: 'approved',
      decided_by: 'manager@bank.com',
      decision_reason: 'checked by phone',
    });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);

    // Back and submit again: the same link, replayed.
    await page.goBack();
    const replay = await page.goto(links[0]!.approve_url);
    expect(replay!.status()).toBe(409);
    expect(await page.locator('#link-title').innerText()).toBe('This link was already used');
    const posted = await fetch(links[0]!.reject_url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(posted.status).toBe(409);
    expect(await posted.text()).toContain('This link was already used');
    const others = await fetch(links[1]!.reject_url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(others.status).toBe(409);
    expect(await others.text()).toContain('Already decided');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);
    await page.close();
  });
});
