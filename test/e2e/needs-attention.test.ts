/**
 * Needs attention, end to end over HTTP against the real stack: the bank (sandbox) is stopped past
 * a short retry budget, the transfer is held in NEEDS_ATTENTION, and an operator acts on it through
 * `POST /api/attention/{workflow_id}/{step_id}`. Every answer of the sandbox is delayed, so a write
 * can be cut off between its commit and its answer.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import type { StepView } from '../../src/shared/contracts.js';
import { call } from '../support/http.js';
import { get, ledgerEntriesFor, timelineOf, waitForStatus } from '../support/reliability.js';
import { startStack, type Stack } from '../support/stack.js';
import { decideOverHttp } from '../support/chat.js';

const SANDBOX_LATENCY_MS = 300;
const FINAL = ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'] as const;

let sandbox: SandboxProcess;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandboxProcess({ latencyMs: SANDBOX_LATENCY_MS });
  stack = await startStack({
    sandbox,
    env: { ATTENTION_ON_EXHAUSTED: 'true', STEP_RETRY_BUDGET: '2s', ATTENTION_DEADLINE: '10m' },
  });
  // Planning looks up the requester's account once per worker; a first run while the bank is up
  // lets later runs plan while it is down.
  const warmUp = await submit('Transfer 1 to Kiran');
  expect(await waitForStatus(stack.baseUrl, warmUp, [...FINAL], 30_000)).toBe('COMPLETED');
});
afterAll(async () => {
  await stack?.stop();
  await sandbox?.dispose();
});

async function submit(message: string, base = stack.baseUrl): Promise<string> {
  const res = await call(base, 'POST', '/api/workflows/submit', { intent: message, user_id: 'default_user' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.workflow_id as string;
}

async function transferStep(workflowId: string, base = stack.baseUrl): Promise<StepView> {
  const res = await get(base, `/api/workflows/${workflowId}`);
  expect(res.status).toBe(200);
  return (res.body.steps as StepView[]).find((s) => s.id === 'transfer')!;
}

function waitUntilHeld(workflowId: string, base = stack.baseUrl): Promise<StepView> {
  return waitFor(
    async () => {
      const step = await transferStep(workflowId, base);
      return step.state === 'NEEDS_ATTENTION' ? step : undefined;
    },
    { timeoutMs: 30_000, what: `the transfer of ${workflowId} to be held` },
  );
}

function act(workflowId: string, body: Record<string, unknown>, base = stack.baseUrl) {
  return call(base, 'POST', `/api/attention/${workflowId}/transfer`, { decided_by: 'ops@bank.com', ...body });
}

function committedEntries(key: string): number {
  const db = new Database(sandbox.dbPath, { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM ledger_entries WHERE idempotency_key = ?').get(key)
        ?.n ?? 0
    );
  } finally {
    db.close();
  }
}

describe('a transfer whose bank stays down past its retry budget', () => {
  it('is held with why, since when and until when, is listed, and a retry once the bank is back moves money once', async () => {
    await sandbox.stop();
    const workflowId = await submit('Transfer 100 to Kiran');
    const held = await waitUntilHeld(workflowId);
    expect(held.attempts).toBeGreaterThan(1);
    expect(held.attention).toMatchObject({
      last_error: expect.any(String),
      attempts: held.attempts,
      since: expect.any(String),
      deadline: expect.any(String),
    });
    expect((await get(stack.baseUrl, `/api/workflows/${workflowId}`)).body.status).toBe('EXECUTING');

    const listed = await waitFor(
      async () => {
        const res = await get(stack.baseUrl, '/api/attention');
        return res.body.attention?.find((r: { workflow_id: string }) => r.workflow_id === workflowId);
      },
      { timeoutMs: 20_000, what: 'the held step in GET /api/attention' },
    );
    expect(listed).toMatchObject({
      step_id: 'transfer',
      tool: 'bank_transfer',
      user_id: 'default_user',
      attention: { last_error: held.attention!.last_error },
    });

    await sandbox.restart();
    const retried = await act(workflowId, { action: 'retry', reason: 'bank is back' });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.step).toMatchObject({ state: 'SUCCEEDED' });
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('COMPLETED');
    expect(await ledgerEntriesFor(sandbox.url, 'kiran', `${workflowId}:transfer`)).toHaveLength(1);

    const events = await timelineOf(stack.baseUrl, workflowId);
    expect(events.find((e) => e.event === 'step_needs_attention')).toMatchObject({
      step_id: 'transfer',
      metadata: { error: expect.any(String) },
    });
    expect(events.find((e) => e.event === 'step_ready' && e.metadata['action'] === 'retry')).toMatchObject({
      metadata: { decided_by: 'ops@bank.com', reason: 'bank is back' },
    });
  });

  it('a write that landed before its answer was lost is retried without a second ledger entry', async () => {
    const workflowId = await submit('Transfer 150 to Kiran');
    const key = `${workflowId}:transfer`;
    await waitFor(() => committedEntries(key) === 1 || undefined, {
      timeoutMs: 20_000,
      intervalMs: 10,
      what: 'the transfer to be committed',
    });
    await sandbox.kill();
    await waitUntilHeld(workflowId);
    await sandbox.restart();

    const retried = await act(workflowId, { action: 'retry' });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('COMPLETED');
    expect(committedEntries(key)).toBe(1);
  });

  it('skip completes the run with the step SKIPPED; fail fails it; an edited retry over the threshold waits for approval', async () => {
    await sandbox.stop();
    const [skipped, failed, edited] = [
      await submit('Transfer 101 to Kiran'),
      await submit('Transfer 102 to Kiran'),
      await submit('Transfer 103 to Kiran'),
    ];
    await Promise.all([skipped, failed, edited].map((id) => waitUntilHeld(id)));

    const page = await waitFor(
      async () => {
        const res = await get(stack.baseUrl, '/api/attention?limit=2');
        return res.body.total >= 3 ? res.body : undefined;
      },
      { timeoutMs: 20_000, what: 'three held steps listed' },
    );
    expect(page.attention).toHaveLength(2);
    const next = await get(stack.baseUrl, `/api/attention?limit=2&cursor=${page.next_cursor}`);
    expect(next.body.attention.map((r: { workflow_id: string }) => r.workflow_id)).not.toContain(
      page.attention[0].workflow_id,
    );

    const badArgs = await act(edited, {
      action: 'retry_with_edits',
      args: { from_account: '123', to_account: 'kiran', amount_cents: -5 },
    });
    expect(badArgs.status).toBe(400);
    expect(badArgs.body.error.message).toMatch(/args\.amount_cents/);

    expect((await act(skipped, { action: 'skip', reason: 'paid by hand' })).body.step).toMatchObject({
      state: 'SKIPPED',
    });
    expect(await waitForStatus(stack.baseUrl, skipped, [...FINAL])).toBe('COMPLETED');
    expect((await timelineOf(stack.baseUrl, skipped)).find((e) => e.event === 'step_skipped')).toMatchObject({
      metadata: { action: 'skip', decided_by: 'ops@bank.com', reason: 'paid by hand' },
    });

    expect((await act(failed, { action: 'fail', reason: 'customer withdrew' })).body.step).toMatchObject({
      state: 'FAILED',
    });
    expect(await waitForStatus(stack.baseUrl, failed, [...FINAL])).toBe('FAILED');
    expect((await act(failed, { action: 'retry' })).status).toBe(409);

    await sandbox.restart();
    const args = { from_account: '123', to_account: 'kiran', amount_cents: 600_000 };
    const blocked = await act(edited, { action: 'retry_with_edits', args, reason: 'the customer meant 6000' });
    expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);
    expect(blocked.body.step).toMatchObject({ state: 'BLOCKED', args, edits: 1 });
    const approvalId = `${edited}.transfer_edit1`;
    const decision = await decideOverHttp(stack.baseUrl, approvalId, 'approve', 'manager@bank.com');
    expect(decision.status, JSON.stringify(decision.body)).toBe(200);
    expect(await waitForStatus(stack.baseUrl, edited, [...FINAL])).toBe('COMPLETED');
    const entries = await ledgerEntriesFor(sandbox.url, 'kiran', `${edited}:transfer:edit1`);
    expect(entries).toHaveLength(1);
    expect(await ledgerEntriesFor(sandbox.url, 'kiran', `${edited}:transfer`)).toHaveLength(0);
  });
});

describe('a held step no operator acts on', () => {
  let shortStack: Stack;
  beforeAll(async () => {
    shortStack = await startStack({
      sandbox,
      env: { ATTENTION_ON_EXHAUSTED: 'true', STEP_RETRY_BUDGET: '1s', ATTENTION_DEADLINE: '2s' },
    });
  });
  afterAll(async () => {
    await shortStack?.stop();
  });

  it('fails at the deadline, and so does the run', async () => {
    const warmUp = await submit('Transfer 2 to Kiran', shortStack.baseUrl);
    expect(await waitForStatus(shortStack.baseUrl, warmUp, [...FINAL], 30_000)).toBe('COMPLETED');
    await sandbox.stop();
    const workflowId = await submit('Transfer 104 to Kiran', shortStack.baseUrl);
    expect(await waitForStatus(shortStack.baseUrl, workflowId, [...FINAL], 30_000)).toBe('FAILED');
    const events = (await timelineOf(shortStack.baseUrl, workflowId)).map((e) => [e.event, e.metadata['reason']]);
    expect(events).toContainEqual(['step_needs_attention', undefined]);
    expect(events).toContainEqual(['step_failed', 'attention_deadline']);
    await sandbox.restart();
  });
});
