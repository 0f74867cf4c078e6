/**
 * Edit before approve and per-step decisions in a real browser. Under policies/bank.json an
 * approver lowers a $12,000 transfer to $6,000 through the card's form: the timeline shows the
 * amount before and after, the approval asks again under the smaller rule (one approver instead
 * of two), another approver approves what the editor shaped, and the step runs with the edited
 * amount once. A plan with two gated transfers shows
 * two cards marked as steps of one request; one is approved from the selection and the other
 * rejected on its own.
 */
import { describe, expect, it } from 'vitest';
import { useBankPolicyStack } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { HAS_CHROMIUM, openPage, screenshot, SKIP_REASON, useBrowser } from './browser.js';

const REQUESTER_TOKEN = 'edit-form-requester-token-0123456789';
const ALICE_TOKEN = 'edit-form-alice-token-0123456789';
const CAROL_TOKEN = 'edit-form-carol-token-0123456789';

describe.skipIf(!HAS_CHROMIUM)(
  `web page: the edit form and per-step decisions${HAS_CHROMIUM ? '' : ` (skipped: ${SKIP_REASON})`}`,
  () => {
    const stack = useBankPolicyStack({
      [REQUESTER_TOKEN]: { user_id: 'default_user', role: 'requester', groups: ['staff'] },
      [ALICE_TOKEN]: { user_id: 'alice', role: 'approver', groups: ['approvers'] },
      [CAROL_TOKEN]: { user_id: 'carol', role: 'approver', groups: ['approvers'] },
    });
    const browser = useBrowser();
    const asAlice = { authorization: `Bearer ${ALICE_TOKEN}` };

    async function chat(message: string): Promise<{ workflowId: string; approvalIds: string[] }> {
      const res = await call(
        stack.baseUrl,
        'POST',
        '/chat',
        { message },
        { authorization: `Bearer ${REQUESTER_TOKEN}` },
      );
      expect(res.body.status).toBe('PENDING_APPROVAL');
      const view = (await call(stack.baseUrl, 'GET', `/api/workflows/${res.body.workflow_id}`, undefined, asAlice))
        .body;
      return {
        workflowId: res.body.workflow_id,
        approvalIds: view.approvals.map((a: { approval_id: string }) => a.approval_id),
      };
    }

    async function signedInPage() {
      const opened = await openPage(browser, stack.baseUrl);
      const tokenField = opened.page.getByLabel('Bearer token');
      await tokenField.fill(ALICE_TOKEN);
      await tokenField.press('Tab');
      return opened;
    }

    it(
      'edits an amount through the form: the timeline shows before and after, and the approval asks again under the smaller rule',
      { timeout: 120_000 },
      async () => {
        const { workflowId, approvalIds } = await chat('Transfer 12000 to Kiran');
        const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
        const { page, errors } = await signedInPage();
        const card = page.locator(`#approvals > li[data-approval-id="${approvalIds[0]}"]`);
        await expect
          .poll(() => card.innerText(), { timeout: 20_000 })
          .toMatch(/Rule\s+medium-transfer[\s\S]*0 of 2 from approvers/);

        await card.getByLabel('Edit amount ($)').fill('6000');
        await card.getByRole('button', { name: 'Save edit' }).click();
        await page.locator('#inbox-status').filter({ hasText: 'edited by alice' }).waitFor();

        const edited = page.locator('#timeline li[data-event="approval_edited"]');
        await edited.waitFor();
        expect(await edited.innerText()).toContain('Amount: $12,000.00 → $6,000.00');
        const askedAgain = page.locator('#timeline li[data-event="approval_required"]').filter({ hasText: '(edited)' });
        await askedAgain.waitFor();
        expect(await askedAgain.innerText()).toContain('Transfers of $1,000.00 or more need an approver');
        // The card is built anew: the edited amount, its new rule and requirement.
        await expect
          .poll(() => card.innerText(), { timeout: 20_000 })
          .toMatch(
            /\$6,000\.00 → kiran[\s\S]*Step\s+Transfer \$6,000\.00 → kiran[\s\S]*Rule\s+small-transfer[\s\S]*0 of 1 from approvers/,
          );
        await screenshot(page, 'approval-edit-form');

        // Alice shaped the $6,000 transfer, so someone else approves it (four eyes for the editor).
        const waiting = (await call(stack.baseUrl, 'GET', `/api/approvals/${approvalIds[0]}`, undefined, asAlice)).body;
        const byCarol = await call(
          stack.baseUrl,
          'POST',
          `/api/approvals/${approvalIds[0]}/decision`,
          { decision: 'approve', decided_by: 'carol', action_hash: waiting.action_hash },
          { authorization: `Bearer ${CAROL_TOKEN}` },
        );
        expect(byCarol.status).toBe(200);
        await page.locator('#steps li[data-step-id="transfer"][data-state="SUCCEEDED"]').waitFor();
        const run = (await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`, undefined, asAlice)).body;
        expect(run.steps[0].args.amount_cents).toBe(600_000);
        expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);
        expect(errors).toEqual([]);
      },
    );

    it(
      'decides the steps of one plan separately: one approved from the selection, the other rejected',
      { timeout: 120_000 },
      async () => {
        const { workflowId, approvalIds } = await chat('Transfer 1500 to kiran and transfer 1600 to bob');
        expect(approvalIds).toHaveLength(2);
        const [kiranApproval, bobApproval] = approvalIds;
        const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
        const bobBefore = await getBalanceCents(stack.sandbox.url, 'bob');
        const { page, errors } = await signedInPage();
        const kiranCard = page.locator(`#approvals > li[data-approval-id="${kiranApproval}"]`);
        const bobCard = page.locator(`#approvals > li[data-approval-id="${bobApproval}"]`);
        for (const card of [kiranCard, bobCard]) {
          await expect
            .poll(() => card.innerText(), { timeout: 20_000 })
            .toContain('One of 2 steps of this request waiting; each is decided on its own.');
        }

        await kiranCard.getByRole('checkbox').check();
        await expect.poll(() => page.locator('#bulk-count').innerText()).toBe('1 selected');
        await page.getByRole('button', { name: 'Approve selected' }).click();
        await page.locator('#inbox-status').filter({ hasText: '1 of 1 approved' }).waitFor();
        await kiranCard.waitFor({ state: 'detached' });
        // The other step of the plan still waits, now alone.
        await expect.poll(() => bobCard.locator('.plan-note').isHidden()).toBe(true);

        await bobCard.getByRole('button', { name: /^Reject/ }).click();
        await bobCard.getByLabel('Reason for rejecting').fill('not this one');
        await bobCard.getByRole('button', { name: 'Confirm reject' }).click();
        await bobCard.waitFor({ state: 'detached' });
        const result = await stack.client.workflow.getHandle(workflowId).result();
        expect(result.status).toBe('REJECTED');
        const run = (await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`, undefined, asAlice)).body;
        expect(run.steps.map((s: { state: string }) => s.state)).toEqual(['SUCCEEDED', 'REJECTED']);
        expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 150_000);
        expect(await getBalanceCents(stack.sandbox.url, 'bob')).toBe(bobBefore);
        expect(errors).toEqual([]);
      },
    );
  },
);
