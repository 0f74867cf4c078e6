/**
 * Under policies/bank.json the page shows an approval's rule, stages, progress, who approved, who
 * may decide now, whether the signed-in person may, and its deadline, in the inbox and in the run
 * view, and keeps the card (with its progress) until the last stage completes.
 */
import { describe, expect, it } from 'vitest';
import { approveTransferCard, HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, useBrowser } from './browser.js';
import { useBankPolicyStack } from '../support/fixtures.js';

const REQUESTER_TOKEN = 'policy-requester-token-0123456789';
const ALICE_TOKEN = 'policy-alice-token-0123456789';
const BOB_TOKEN = 'policy-bob-token-0123456789';

describe.skipIf(!HAS_CHROMIUM)(
  `web page: approval stages under a policy${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const stack = useBankPolicyStack({
      [REQUESTER_TOKEN]: { user_id: 'default_user', role: 'requester', groups: ['staff'] },
      [ALICE_TOKEN]: { user_id: 'alice', role: 'approver', groups: ['approvers'] },
      [BOB_TOKEN]: { user_id: 'bob', role: 'approver', groups: ['approvers'] },
    });
    const browser = useBrowser();

    it(
      'shows stages, progress, who decided, who may decide now and the deadline, through two approvers',
      { timeout: 120_000 },
      async () => {
        const { page, errors } = await openPage(browser, stack.baseUrl);
        const tokenField = page.getByLabel('Bearer token');
        await tokenField.waitFor();
        const signInAs = async (token: string) => {
          await tokenField.fill(token);
          await tokenField.press('Tab');
        };
        await signInAs(REQUESTER_TOKEN);
        await page.getByLabel('Message').fill('Transfer 10000 to Kiran');
        await page.getByRole('button', { name: 'Send' }).click();
        const card = page.locator('#approvals > li').filter({ hasText: '$10,000.00 → kiran' });
        await card.waitFor();
        await expect.poll(() => card.innerText(), { timeout: 20_000 }).toMatch(/You may decide\s+no/);
        const facts = await card.innerText();
        expect(facts).toMatch(/Rule\s+medium-transfer/);
        expect(facts).toMatch(/Stages\s+▸ 2 from approvers/);
        expect(facts).toMatch(/Approvals\s+0 of 2 from approvers/);
        expect(facts).toMatch(/May decide now\s+approvers/);
        expect(facts).toMatch(/Expires\s+\S/);
        const step = page.locator('#steps li[data-step-id="transfer"]');
        await expect.poll(() => step.innerText()).toMatch(/May decide now\s+approvers/);

        await signInAs(ALICE_TOKEN);
        await expect.poll(() => card.innerText(), { timeout: 20_000 }).toMatch(/You may decide\s+yes/);
        await card.getByRole('button', { name: /^Approve/ }).click();
        await expect.poll(() => card.innerText(), { timeout: 20_000 }).toMatch(/Approvals\s+1 of 2 from approvers/);
        expect(await card.innerText()).toMatch(/Approved by\s+alice/);
        await expect.poll(() => card.innerText(), { timeout: 20_000 }).toMatch(/You may decide\s+no/);
        await screenshot(page, '20-policy-stage-progress');

        await signInAs(BOB_TOKEN);
        await expect.poll(() => card.innerText(), { timeout: 20_000 }).toMatch(/You may decide\s+yes/);
        await approveTransferCard(page, card);
        expect(await step.innerText()).toContain('Approved by bob');
        expect(errors).toEqual([]);
      },
    );
  },
);
