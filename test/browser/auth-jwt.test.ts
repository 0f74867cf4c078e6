/**
 * With GATEWAY_AUTH=jwt the page works as with a tokens file: a JWT pasted into the token field
 * chats as its subject, an approver's JWT decides, and the SSE stream follows the run with a
 * single-use ticket, so the JWT is in no URL. The JWTs are signed by keys this test makes and
 * verified against its JWKS, served over real HTTP.
 */
import { describe, expect, it } from 'vitest';
import { approveTransferCard, HAS_CHROMIUM, openPage, SKIP_REASON, useBrowser } from './browser.js';
import { useResource, useStack } from '../support/fixtures.js';
import { startJwtIssuer, TEST_AUDIENCE, TEST_ISSUER } from '../support/jwt-issuer.js';

describe.skipIf(!HAS_CHROMIUM)(
  `web page: sign-in with a JWT${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const issuer = useResource(
      'the JWT issuer',
      () => startJwtIssuer(),
      (i) => i.close(),
    );
    const stack = useStack(() => ({
      env: { GATEWAY_AUTH: 'jwt', JWT_JWKS_URL: issuer.jwksUrl, JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE },
    }));
    const browser = useBrowser();

    it('chats with the requester JWT and approves with the approver JWT', { timeout: 120_000 }, async () => {
      const requesterJwt = await issuer.sign({ sub: 'default_user', role: 'requester' });
      const approverJwt = await issuer.sign({ sub: 'manager@bank.com', role: 'approver', groups: ['approvers'] });
      const { page, errors } = await openPage(browser, stack.baseUrl);
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      const tokenField = page.getByLabel('Bearer token');
      await tokenField.waitFor();
      await page.locator('#inbox-error').filter({ hasText: 'Missing bearer token' }).waitFor();

      await tokenField.fill(requesterJwt);
      await tokenField.press('Tab');
      await page.locator('#inbox-empty').waitFor({ state: 'visible' });
      await page.getByLabel('Message').fill('Transfer 6000 to Kiran');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.locator('#timeline li[data-event="approval_required"]').waitFor();
      const card = page.locator('#approvals > li').filter({ hasText: '$6,000.00 → kiran' });
      await card.waitFor();

      await tokenField.fill(approverJwt);
      await tokenField.press('Tab');
      await approveTransferCard(page, card);
      await page.locator('#timeline li[data-event="workflow_complete"]').waitFor();
      expect(await page.locator('#steps li[data-step-id="transfer"]').innerText()).toContain(
        'Approved by manager@bank.com',
      );
      expect(requested.some((url) => url.includes('/stream?ticket='))).toBe(true);
      expect(requested.filter((url) => url.includes(requesterJwt) || url.includes(approverJwt))).toEqual([]);
      expect(errors).toEqual([]);
    });
  },
);
