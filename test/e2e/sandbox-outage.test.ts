/**
 * The bank (sandbox) goes down during an approved transfer, driven through the gateway: once
 * SIGKILLed after it committed the transfer but before it answered (the answer is lost), and once
 * stopped before the approval arrives. The run records step_retrying, finishes when the sandbox is
 * back, and the ledger holds exactly one entry for the run's idempotency key.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { call, type JsonResponse } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import {
  get,
  ledgerEntriesFor,
  seqsAreContiguous,
  timelineOf,
  waitForEvent,
  waitForStatus,
} from '../support/reliability.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { useSandbox, useStack } from '../support/fixtures.js';
import { chatAs } from '../support/chat.js';

/** Long enough to SIGKILL the sandbox between its commit and its answer. */
const SANDBOX_LATENCY_MS = 500;

const sandbox = useSandbox({ latencyMs: SANDBOX_LATENCY_MS });
const stack = useStack({ sandbox });

async function balances(): Promise<{ from: number; kiran: number }> {
  const [from, kiran] = await Promise.all([getBalanceCents(sandbox.url, '123'), getBalanceCents(sandbox.url, 'kiran')]);
  return { from, kiran };
}

/** Ledger entries with `key`, read from the sandbox's database file (its HTTP answers are delayed). */
function committedEntries(key: string): number {
  const db = new Database(sandbox.dbPath, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM ledger_entries WHERE idempotency_key = ?')
      .get(key);
    return row?.n ?? 0;
  } finally {
    db.close();
  }
}

async function pendingTransfer(amount: number): Promise<{ workflowId: string; sessionId: string }> {
  const chat = await chatAs(stack.baseUrl, `Transfer ${amount} to Kiran`, 'default_user');
  expect(chat.status).toBe(200);
  expect(chat.body.status).toBe('PENDING_APPROVAL');
  return { workflowId: chat.body.workflow_id, sessionId: chat.body.session_id };
}

/** What the bank answers the transfer of `cents` with, stored under the run's idempotency key. */
function transferred(cents: number) {
  return { success: true, message: `Transferred ${(cents / 100).toFixed(2)} from 123 to kiran` };
}

/**
 * The approve reply: the transfer's result when it ended within the gateway's wait, else
 * "running" (on a loaded machine the restarted bank may answer only after CHAT_WAIT_MS); the
 * run's own step result is checked in both cases by expectFinishedOnce.
 */
function expectApprovedReply(approved: JsonResponse, cents: number): void {
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  expect(approved.body).toMatchObject({ status: 'approved', approved_by: 'manager@bank.com' });
  if (approved.body.result.status === 'running') return;
  expect(approved.body.result).toMatchObject({ status: 'success', data: transferred(cents) });
}

async function expectFinishedOnce(
  workflowId: string,
  before: { from: number; kiran: number },
  cents: number,
): Promise<void> {
  expect(await waitForStatus(stack.baseUrl, workflowId, ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'], 30_000)).toBe(
    'COMPLETED',
  );
  const run = await get(stack.baseUrl, `/api/workflows/${workflowId}`);
  expect(run.body.steps[0]).toMatchObject({ id: 'transfer', state: 'SUCCEEDED', result: transferred(cents) });
  expect(run.body.steps[0].attempts).toBeGreaterThan(1);
  expect(await ledgerEntriesFor(sandbox.url, 'kiran', `${workflowId}:transfer`)).toHaveLength(1);
  expect(await balances()).toEqual({ from: before.from - cents, kiran: before.kiran + cents });

  const events = await timelineOf(stack.baseUrl, workflowId);
  expect(seqsAreContiguous(events)).toBe(true);
  const retrying = events.filter((e) => e.event === 'step_retrying');
  expect(retrying.length).toBeGreaterThan(0);
  for (const e of retrying)
    expect(e).toMatchObject({
      step_id: 'transfer',
      metadata: { error: expect.any(String), delay_ms: expect.any(Number) },
    });
  const names = events.map((e) => e.event);
  expect(names.filter((n) => n === 'step_succeeded')).toHaveLength(1);
  expect(names.at(-1)).toBe('workflow_complete');
}

describe('sandbox outage during an approved transfer', () => {
  it('the sandbox dies after committing, before answering: the retry gets the stored answer, money moves once', async () => {
    const { workflowId, sessionId } = await pendingTransfer(6000);
    const key = `${workflowId}:transfer`;
    const before = await balances();

    const approving = call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
      approver_id: 'manager@bank.com',
      approved: true,
    });
    await waitFor(() => committedEntries(key) === 1 || undefined, {
      timeoutMs: 20_000,
      intervalMs: 10,
      what: 'the transfer to be committed',
    });
    await sandbox.kill();
    await waitForEvent(stack.baseUrl, workflowId, 'step_retrying');
    await sandbox.restart();

    expectApprovedReply(await approving, 600_000);
    await expectFinishedOnce(workflowId, before, 600_000);
  });

  it('the sandbox is down when the approval arrives: the run retries until it is back, money moves once', async () => {
    const { workflowId, sessionId } = await pendingTransfer(7000);
    const before = await balances();
    await sandbox.stop();

    const approving = call(stack.baseUrl, 'POST', `/workflow/${sessionId}/approve`, {
      approver_id: 'manager@bank.com',
      approved: true,
    });
    const events = await waitForEvent(stack.baseUrl, workflowId, 'step_retrying');
    expect(events.find((e) => e.event === 'approval_approved')).toMatchObject({
      metadata: { decided_by: 'manager@bank.com' },
    });
    expect(committedEntries(`${workflowId}:transfer`)).toBe(0);
    await sandbox.restart();

    expectApprovedReply(await approving, 700_000);
    await expectFinishedOnce(workflowId, before, 700_000);
  });
});
