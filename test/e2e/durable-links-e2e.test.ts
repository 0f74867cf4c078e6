/**
 * One-click links while no worker runs, over real HTTP against the real stack: the link's page is
 * shown from the approval record in the run's memo, its POST is checked there and kept in the
 * run's history (202, a page that says so), and the run applies it once when a worker returns.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linksFor } from '../../src/webhooks/approval-links.js';
import { useStack } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { chatAs } from '../support/chat.js';

const LINK_SECRET = randomBytes(32).toString('base64url');
const stack = useStack({
  gateway: { queryTimeoutMs: 1500, decisionAcceptMs: 1000 },
  env: { APPROVAL_LINK_SECRET: LINK_SECRET, APPROVAL_LINK_DECIDERS: 'manager@bank.com' },
});

function postForm(url: string): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
}

describe('approval links while no worker runs', () => {
  it('show the action, accept the decision (202) and the run applies it once a worker returns; the money moves once', async () => {
    await stack.startWorker();
    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user');
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const approvalId: string = chat.body.reply.approval_id;
    const approval = (await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`)).body;
    const link = linksFor(LINK_SECRET, stack.baseUrl, approval, { user_id: 'manager@bank.com' });
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    await stack.stopWorker();

    const shown = await fetch(link.approve_url);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Approve this request?');
    const decided = await postForm(link.approve_url);
    expect(decided.status).toBe(202);
    const page = await decided.text();
    expect(page).toContain('Accepted');
    expect(page).toContain('applies it as soon as processing resumes');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before);

    await stack.startWorker();
    expect(await stack.client.workflow.getHandle(chat.body.workflow_id).result()).toMatchObject({
      status: 'COMPLETED',
    });
    expect((await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`)).body).toMatchObject({
      status: 'approved',
      decided_by: 'manager@bank.com',
    });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 600_000);
    const replayed = await postForm(link.approve_url);
    expect(replayed.status).toBe(409);
    expect(await replayed.text()).toContain('This link was already used');
  });
});
