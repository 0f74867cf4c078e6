/**
 * One-click links under GATEWAY_AUTH=jwt, over real HTTP against the real stack. A link is a bearer
 * credential for the person it was issued to: followed with no sign-in (a mail client, a browser
 * that keeps its token in the page) it shows and decides as that person. When the request does
 * carry a valid JWT, the gateway knows who is signed in, and a link handed to someone else is
 * refused with a clear page and changes nothing, as with token auth.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linksFor } from '../../src/webhooks/approval-links.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { useJwtStack } from '../support/fixtures.js';
import { call } from '../support/http.js';
import { signWith, strangerKey, TEST_AUDIENCE, TEST_ISSUER } from '../support/jwt-issuer.js';

const LINK_SECRET = randomBytes(32).toString('base64url');

const { issuer, stack } = useJwtStack({
  APPROVAL_LINK_SECRET: LINK_SECRET,
  APPROVAL_LINK_DECIDERS: 'manager@bank.com,auditor@bank.com',
});

async function bearer(email: string, role: string): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await issuer.sign({ email, app_role: role })}` };
}

function postForm(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: '',
  });
}

describe('approval links under GATEWAY_AUTH=jwt', () => {
  it('refuse someone else who is signed in, and decide as their person for whoever holds them otherwise', async () => {
    const owner = await bearer('default_user', 'requester');
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 6000 to Kiran' }, owner);
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const approvalId: string = chat.body.reply.approval_id;
    const approval = (await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`, undefined, owner)).body;
    const link = linksFor(LINK_SECRET, stack.baseUrl, approval, { user_id: 'manager@bank.com' });
    const statusNow = async () =>
      (await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`, undefined, owner)).body.status as string;
    const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');

    const auditor = await bearer('auditor@bank.com', 'approver');
    const shownToOther = await fetch(link.approve_url, { headers: auditor });
    expect(shownToOther.status).toBe(403);
    const otherPage = await shownToOther.text();
    expect(otherPage).toContain('This link is for someone else');
    expect(otherPage).toContain('you are signed in as auditor@bank.com');
    const postedByOther = await postForm(link.approve_url, auditor);
    expect(postedByOther.status).toBe(403);
    expect(await statusNow()).toBe('pending');

    // The link's own person, signed in, and anyone with a token that proves nobody (signed by a key the issuer does not publish), see the confirmation.
    expect((await fetch(link.approve_url, { headers: await bearer('manager@bank.com', 'approver') })).status).toBe(200);
    const forged = await signWith(
      await strangerKey(),
      { iss: TEST_ISSUER, aud: TEST_AUDIENCE, email: 'auditor@bank.com', app_role: 'approver' },
      '1h',
      'test-key-1',
    );
    const shownWithForged = await fetch(link.approve_url, { headers: { authorization: `Bearer ${forged}` } });
    expect(shownWithForged.status).toBe(200);
    expect(await shownWithForged.text()).toContain(
      'Whoever holds this link decides as manager@bank.com: do not forward it.',
    );
    expect(await statusNow()).toBe('pending');

    const decided = await postForm(link.approve_url);
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('Approved');
    expect(await stack.client.workflow.getHandle(chat.body.workflow_id).result()).toMatchObject({
      status: 'COMPLETED',
    });
    expect((await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`, undefined, owner)).body).toMatchObject({
      status: 'approved',
      decided_by: 'manager@bank.com',
    });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);
  });
});
