/**
 * The bank needs a key: over real HTTP to the real sandbox process, every API call without the
 * service token (or with a wrong one) is 401 and moves nothing, the health route stays open, and a
 * request addressed to a foreign host name is refused whatever it carries.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanActivities } from '../../activities/plan.js';
import { TEST_SETTINGS } from '../support/temporal.js';
import { rawRequest } from '../support/raw-http.js';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import { sandboxAuthHeaders, TEST_SANDBOX_TOKEN } from '../../dev/stack-secrets.js';
import { ledgerState, newKey } from '../support/sandbox-ledger.js';

let sandbox: SandboxProcess;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox?.dispose();
});

const transferBody = JSON.stringify({ fromAccount: '123', toAccount: 'kiran', amount: '10.00' });

describe('sandbox service token', () => {
  const wrong = [
    ['no Authorization header', {}],
    ['a wrong token of the same length', { authorization: `Bearer ${'x'.repeat(TEST_SANDBOX_TOKEN.length)}` }],
    ['the token without "Bearer"', { authorization: TEST_SANDBOX_TOKEN }],
    ['a prefix of the token', { authorization: `Bearer ${TEST_SANDBOX_TOKEN.slice(0, -1)}` }],
    ['another scheme', { authorization: `Basic ${Buffer.from(`x:${TEST_SANDBOX_TOKEN}`).toString('base64')}` }],
  ] as const;

  it.each(wrong)('%s: transfer and account listing are 401, nothing moves', async (_name, headers) => {
    const before = await ledgerState(sandbox.url);
    const transfer = await fetch(`${sandbox.url}/api/transfer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': newKey('unauth'), ...headers },
      body: transferBody,
    });
    expect(transfer.status).toBe(401);
    expect(transfer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await transfer.json()).toMatchObject({ success: false, message: expect.stringMatching(/service token/) });
    const listing = await fetch(`${sandbox.url}/api/accounts`, { headers });
    expect(listing.status).toBe(401);
    expect(await ledgerState(sandbox.url)).toEqual(before);
  });

  it('the right token is served', async () => {
    const res = await fetch(`${sandbox.url}/api/accounts/kiran`, { headers: sandboxAuthHeaders });
    expect(res.status).toBe(200);
  });

  it('/healthz needs no token', async () => {
    const res = await fetch(`${sandbox.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it("the planner's account lookup carries the token: served with it, refused without retries with a wrong one", async () => {
    const plan = (sandboxToken: string) =>
      createPlanActivities({ sandboxUrl: sandbox.url, sandboxToken, settings: TEST_SETTINGS }).planRequest({
        message: 'Transfer 10 to Kiran',
        user_id: 'default_user',
        today: '2026-12-01',
      });
    expect((await plan(TEST_SANDBOX_TOKEN)).outcome).toMatchObject({ kind: 'plan' });
    const failure = await plan('w'.repeat(43)).catch((err: unknown) => err);
    expect(failure).toMatchObject({ nonRetryable: true, message: expect.stringMatching(/service token/) });
  });

  it('the sandbox refuses to start without a token', () => {
    const started = spawnSync(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
      env: { ...process.env, SANDBOX_TOKEN: '', SANDBOX_PORT: '0', SANDBOX_DB: ':memory:' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(started.status).toBe(1);
    expect(started.stderr).toMatch(/SANDBOX_TOKEN: required/);
  });
});

describe('sandbox Host check', () => {
  const request = (host: string | undefined, path: string) =>
    rawRequest(sandbox.url, [
      `GET ${path} HTTP/1.1`,
      ...(host === undefined ? [] : [`Host: ${host}`]),
      `Authorization: Bearer ${TEST_SANDBOX_TOKEN}`,
    ]);

  it.each([
    ['a foreign name (DNS rebinding)', 'attacker.example:' + '8081'],
    ['its own address on another port', '127.0.0.1:1'],
    ['a look-alike', 'localhost.attacker.example'],
  ])('refuses %s with 421, even with the token', async (_name, host) => {
    const res = await request(host, '/api/accounts');
    expect(res.status).toBe(421);
    expect(res.body).toMatch(/is not a name of this service/);
    expect((await request(host, '/healthz')).status).toBe(421);
  });

  it('refuses a request without Host', async () => {
    const res = await rawRequest(sandbox.url, [
      'GET /api/accounts HTTP/1.0',
      `Authorization: Bearer ${TEST_SANDBOX_TOKEN}`,
    ]);
    expect([400, 421]).toContain(res.status);
  });

  it.each([
    ['127.0.0.1 with its port', () => `127.0.0.1:${sandbox.port}`],
    ['localhost with its port', () => `localhost:${sandbox.port}`],
  ])('answers to %s', async (_name, host) => {
    expect((await request(host(), '/api/accounts')).status).toBe(200);
  });
});
