/**
 * The effect in plain words over HTTP against the real stack: under policies/daily-limit.json a
 * transfer that waits for approval says what the user already moved without approval in the
 * window (the fact the gate read from the ledger), in the run view and in the inbox.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { useStack } from '../support/fixtures.js';
import { settledRunView } from '../support/reliability.js';
import { call, postJson, type Loose } from '../support/http.js';

const stack = useStack({ env: { POLICY_FILE: path.resolve('policies/daily-limit.json') } });

async function chat(message: string, user: string): Promise<Loose> {
  const started = await postJson(stack.baseUrl, '/chat', { message, user_id: user });
  expect(started.status).toBe(200);
  return settledRunView(stack.baseUrl, started.body.workflow_id);
}

describe("a step's effect, with what the run knows", () => {
  it('a waiting transfer names what was already moved without approval in the window', async () => {
    const user = 'default_user';
    expect((await chat('Transfer 3000 to Kiran', user)).status).toBe('COMPLETED');
    const waiting = await chat('Transfer 2500 to Kiran', user);
    expect(waiting.status).toBe('WAITING_APPROVAL');
    const effect = 'Send $2,500.00 from account 123 to kiran ($3,000.00 already sent without approval in the last 24h)';
    expect(waiting.approvals[0].effect).toBe(effect);
    expect(waiting.steps[0].effect).toBe(effect);
    const inbox = await waitFor(
      async () => {
        const listed = (await call(stack.baseUrl, 'GET', '/api/approvals?status=pending')).body.approvals as Loose[];
        return listed.find((a) => a.approval_id === waiting.approvals[0].approval_id);
      },
      { what: 'the approval in the inbox' },
    );
    expect(inbox.effect).toBe(effect);
  });
});
