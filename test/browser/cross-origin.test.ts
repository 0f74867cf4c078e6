/**
 * A real page on another port (another origin) attacks the gateway in auth-off mode, as in issue
 * 14: a blind text/plain form POST that would start a transfer, and a no-cors fetch that would
 * approve a pending one. Neither may change anything; the gateway's own page still works.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { call } from '../support/http.js';
import { HAS_CHROMIUM, launchBrowser, SKIP_REASON } from './browser.js';

function attackPage(gateway: string, approvalId: string, sessionId: string): string {
  // The classic text/plain trick: the field's name and value join into a JSON body.
  const name = JSON.stringify({ message: 'Transfer 6000 to kiran', session_id: sessionId, pad: '' }).slice(0, -2);
  return `<!doctype html><html><body>
<form id="f" method="POST" action="${gateway}/chat" enctype="text/plain"><input name='${name}' value='"}'></form>
<script>
window.approve = () => fetch(${JSON.stringify(`${gateway}/api/approvals/${approvalId}/decision`)}, {
  method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
  body: JSON.stringify({ decision: 'approve', decided_by: 'manager@bank.com' }),
}).then(() => 'sent', (err) => String(err));
</script></body></html>`;
}

describe.skipIf(!HAS_CHROMIUM)(`a page on another origin${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let stack: Stack;
  let browser: Browser;
  let attacker: Server;
  let page = '';
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    attacker?.close();
    await browser?.close();
    await stack?.stop();
  });

  it('cannot start a transfer with a form or approve one with a no-cors fetch', { timeout: 60_000 }, async () => {
    const pending = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 6000 to kiran' });
    expect(pending.body.status).toBe('PENDING_APPROVAL');
    const approvalId: string = pending.body.reply.approval_id;
    const forgedSession = `forged-${Date.now()}`;
    page = attackPage(stack.baseUrl, approvalId, forgedSession);

    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    // The request goes out either way; whether the page may even see its opaque answer is up to CORP.
    const approveSent = tab.waitForRequest((req) => req.url().endsWith(`/api/approvals/${approvalId}/decision`));
    await tab.evaluate(() => (window as unknown as { approve: () => Promise<string> }).approve());
    await approveSent;
    const [answer] = await Promise.all([
      tab.waitForResponse((res) => res.url() === `${stack.baseUrl}/chat`),
      tab.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit()),
    ]);
    expect(answer.status()).toBe(403);
    await context.close();

    expect((await call(stack.baseUrl, 'GET', `/workflow/${forgedSession}/status`)).status).toBe(404);
    expect((await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`)).body.status).toBe('pending');
  });

  it('renders Swagger UI at /docs under the CSP, with no inline script refused', { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const refused: string[] = [];
    tab.on('console', (msg) => {
      if (msg.type() === 'error') refused.push(msg.text());
    });
    await tab.goto(`${stack.baseUrl}/docs`);
    await tab.locator('.swagger-ui .info .title').waitFor({ timeout: 20_000 });
    await tab.locator('.opblock-summary-path', { hasText: '/api/workflows/{id}/stream-ticket' }).first().waitFor();
    expect(refused.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    await context.close();
  });
});
