/**
 * GATEWAY_AUTH=jwt against the real stack: tokens signed by keys this test makes, served as a JWKS
 * over real HTTP. Identity, role and groups come from the token's claims; the groups count in the
 * quorum of policies/bank.json; a bad token of any kind is 401 and changes nothing.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useJwtStack } from '../support/fixtures.js';
import { call, readSse } from '../support/http.js';
import { signWith, strangerKey, TEST_AUDIENCE, TEST_ISSUER, unsignedToken } from '../support/jwt-issuer.js';
import { postDecision } from '../support/chat.js';

const { issuer, stack } = useJwtStack({
  JWT_GROUPS_CLAIM: 'teams',
  POLICY_FILE: path.resolve('policies/bank.json'),
});

const PEOPLE = {
  owner: { email: 'default_user', app_role: 'requester', teams: ['staff'] },
  alice: { email: 'alice', app_role: 'approver', teams: ['approvers'] },
  bob: { email: 'bob', app_role: 'approver', teams: ['approvers'] },
  eve: { email: 'eve', app_role: 'approver' },
} as const;

async function as(who: keyof typeof PEOPLE): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await issuer.sign({ ...PEOPLE[who] })}` };
}

describe('GATEWAY_AUTH=jwt', () => {
  it('takes the user, role and groups from the token; the groups count in the quorum', async () => {
    const chat = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 10000 to Kiran' }, await as('owner'));
    expect(chat.status).toBe(200);
    const workflowId: string = chat.body.workflow_id;
    const view = (await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`, undefined, await as('alice'))).body;
    expect(view).toMatchObject({ user_id: 'default_user', status: 'WAITING_APPROVAL' });
    const approvalId: string = view.approvals[0].approval_id;
    expect(view.approvals[0]).toMatchObject({
      policy_rule: 'medium-transfer',
      stages: [{ group: 'approvers', count: 2 }],
    });

    // A body id that names someone else than the token is refused.
    const impostor = await postDecision(
      stack.baseUrl,
      approvalId,
      { decision: 'approve', decided_by: 'bob' },
      await as('alice'),
    );
    expect(impostor.status).toBe(403);

    const outsider = await postDecision(stack.baseUrl, approvalId, { decision: 'approve' }, await as('eve'));
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toContain('eve is not in group approvers');

    const ticket = await call(
      stack.baseUrl,
      'POST',
      `/api/workflows/${workflowId}/stream-ticket`,
      undefined,
      await as('owner'),
    );
    expect(ticket.status).toBe(200);
    const stream = readSse(`${stack.baseUrl}/api/workflows/${workflowId}/stream?ticket=${ticket.body.ticket}`, {
      timeoutMs: 30_000,
    });

    const first = await postDecision(stack.baseUrl, approvalId, { decision: 'approve' }, await as('alice'));
    expect(first.status).toBe(200);
    expect(first.body.approval.progress).toBe('1 of 2 from approvers');
    const second = await postDecision(stack.baseUrl, approvalId, { decision: 'approve' }, await as('bob'));
    expect(second.body).toMatchObject({ step_state: 'SUCCEEDED', approval: { status: 'approved', decided_by: 'bob' } });

    const read = await stream;
    expect(read.status).toBe(200);
    expect(read.events.at(-1)?.event).toBe('workflow_complete');
  });

  it('answers a requester with their own runs only, as token auth does', async () => {
    const mine = await call(stack.baseUrl, 'GET', '/sessions?user_id=default_user', undefined, await as('owner'));
    expect(mine.status).toBe(200);
    const theirs = await call(stack.baseUrl, 'GET', '/sessions?user_id=alice', undefined, await as('owner'));
    expect(theirs.status).toBe(403);
  });

  it.each<[string, () => Promise<string>, string]>([
    ['no token', async () => '', 'Missing bearer token'],
    [
      'a wrong issuer',
      () => issuer.sign({ ...PEOPLE.alice, iss: 'https://elsewhere.test' }),
      'Invalid bearer token: wrong issuer',
    ],
    [
      'a wrong audience',
      () => issuer.sign({ ...PEOPLE.alice, aud: 'another-service' }),
      'Invalid bearer token: wrong audience',
    ],
    [
      'an expired token',
      () => issuer.sign({ ...PEOPLE.alice }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      'Invalid bearer token: expired',
    ],
    [
      'a token without an expiry (exp)',
      () => issuer.sign({ ...PEOPLE.alice }, { expiresIn: null }),
      'Invalid bearer token: no expiry (exp)',
    ],
    ['an unsigned token (alg none)', async () => unsignedToken({ ...PEOPLE.alice }), 'Invalid bearer token: unsigned'],
    [
      "a stranger's key under the issuer's kid",
      async () =>
        signWith(await strangerKey(), { ...PEOPLE.alice, iss: TEST_ISSUER, aud: TEST_AUDIENCE }, '1h', 'test-key-1'),
      'Invalid bearer token: bad signature',
    ],
    [
      'an unknown kid',
      () => issuer.sign({ ...PEOPLE.alice }, { kid: 'rotated-away' }),
      'signed by a key the issuer does not publish',
    ],
    ['a role the gateway does not know', () => issuer.sign({ ...PEOPLE.alice, app_role: 'root' }), 'claim app_role'],
    ['no user id claim', () => issuer.sign({ app_role: 'approver' }), 'claim email'],
  ])('refuses %s with 401 and starts nothing', async (_name, token, message) => {
    const value = await token();
    const headers: Record<string, string> = value === '' ? {} : { authorization: `Bearer ${value}` };
    const res = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 10 to Kiran' }, headers);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.stringContaining(message) });
    const inbox = await call(stack.baseUrl, 'GET', '/api/approvals?status=pending', undefined, headers);
    expect(inbox.status).toBe(401);
  });

  it('tells the page that auth is on', async () => {
    const config = await call(stack.baseUrl, 'GET', '/api/config');
    expect(config.body.auth).toBe('jwt');
  });
});
