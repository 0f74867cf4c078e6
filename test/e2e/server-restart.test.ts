/**
 * Restart a private Temporal dev server (same SQLite file) while a transfer and a Life-OS run wait
 * for approval. The worker and the gateway's client are not restarted: they must reconnect by
 * themselves. Afterwards the inbox still lists both approvals, deciding through the gateway
 * finishes both runs, money moves once, and each timeline continues the one from before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../gateway/app.js';
import type { ApprovalRecord, TimelineEvent } from '../../src/shared/contracts.js';
import { call } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import {
  expectExactlyOnQueue,
  ledgerEntriesFor,
  LIFE_OS_SENTENCE,
  seqsAreContiguous,
  timelineOf,
  waitForStatus,
} from '../support/reliability.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { startDevServer, type DevServer } from '../../dev/temporal-server.js';
import { useStack } from '../support/fixtures.js';
import { chatAs, decideOverHttp } from '../support/chat.js';

let dir: string;
let server: DevServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'temporal-restart-'));
  server = await startDevServer({ dbFile: join(dir, 'temporal.db') });
});
afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
// Registered after the server's hooks: it starts after the server and stops before it.
const stack = useStack(() => ({ temporalAddress: server.address }));

describe('Temporal server restart with approvals pending', () => {
  it('keeps both runs, lists them in the inbox, and finishes them on approval; money moves once', async () => {
    const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
    const fromBefore = await getBalanceCents(stack.sandbox.url, '123');

    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to Kiran', 'default_user');
    expect(chat.status).toBe(200);
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const transferId: string = chat.body.workflow_id;
    const transferApproval: string = chat.body.reply.approval_id;

    const submit = await call(stack.baseUrl, 'POST', '/api/workflows/submit', {
      intent: LIFE_OS_SENTENCE,
      user_id: 'planner_user',
    });
    expect(submit.status).toBe(200);
    const lifeId: string = submit.body.workflow_id;
    // Settled: the other branches are done and only the L3 submission waits for a person.
    await waitForStatus(stack.baseUrl, lifeId, ['WAITING_APPROVAL']);
    const lifeBefore = await timelineOf(stack.baseUrl, lifeId);
    const lifeApproval = lifeBefore.find((e) => e.event === 'approval_required')!.approval_id!;
    const transferBefore = await timelineOf(stack.baseUrl, transferId);
    expect(transferBefore.at(-1)!.event).toBe('approval_required');

    const worker = stack.worker()!;
    await server.stop();
    // While the server is down the gateway says so (503) and stays alive.
    for (const path of ['/readyz', `/api/workflows/${transferId}`, `/workflow/${chat.body.session_id}/status`]) {
      const down = await call(stack.baseUrl, 'GET', path);
      expect(down.status, `${path}: ${JSON.stringify(down.body)}`).toBe(503);
      expect(down.body).toEqual({ error: { code: 'temporal_unavailable', message: expect.any(String) } });
    }
    expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
    await server.restart();

    // Nothing of ours was restarted: the same worker and the same client must find the server again.
    const inbox = await waitFor(
      async () => {
        const res = await call<{ approvals: ApprovalRecord[] }>(stack.baseUrl, 'GET', '/api/approvals?status=pending');
        if (res.status !== 200) return undefined;
        const ids = res.body.approvals.map((a) => a.approval_id);
        return ids.includes(transferApproval) && ids.includes(lifeApproval) ? res.body.approvals : undefined;
      },
      { timeoutMs: 30_000, what: 'both approvals in the inbox after the restart' },
    );
    expect(inbox.find((a) => a.approval_id === transferApproval)).toMatchObject({
      status: 'pending',
      amount: 6000,
      recipient: 'kiran',
    });
    expect(inbox.find((a) => a.approval_id === lifeApproval)).toMatchObject({
      status: 'pending',
      step_id: 'submit_application',
    });
    // Queries are answered by the worker: once they are, it polls the restarted server again.
    await waitFor(
      async () => {
        const views = await Promise.all(
          [transferId, lifeId].map((id) => call(stack.baseUrl, 'GET', `/api/workflows/${id}`)),
        );
        return views.every((v) => v.status === 200 && v.body.status === 'WAITING_APPROVAL') || undefined;
      },
      { timeoutMs: 60_000, what: 'the same worker to answer queries after the restart' },
    );
    expect(stack.worker()).toBe(worker);
    expect(worker.worker.getState()).toBe('RUNNING');

    const approve = await call(stack.baseUrl, 'POST', `/workflow/${chat.body.session_id}/approve`, {
      approver_id: 'manager@bank.com',
      approved: true,
    });
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);
    expect(approve.body).toMatchObject({ status: 'approved', result: { status: 'success' } });
    const confirm = await decideOverHttp(stack.baseUrl, lifeApproval, 'approve', 'planner_user');
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    expect(confirm.body).toMatchObject({ success: true, step_state: 'SUCCEEDED' });

    expect(await waitForStatus(stack.baseUrl, transferId, ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'])).toBe(
      'COMPLETED',
    );
    expect(await waitForStatus(stack.baseUrl, lifeId, ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'])).toBe(
      'COMPLETED',
    );

    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore + 600_000);
    expect(await getBalanceCents(stack.sandbox.url, '123')).toBe(fromBefore - 600_000);
    expect(await ledgerEntriesFor(stack.sandbox.url, 'kiran', `${transferId}:transfer`)).toHaveLength(1);

    const continues = (before: TimelineEvent[], after: TimelineEvent[], tail: string[]) => {
      expect(after.slice(0, before.length)).toEqual(before);
      expect(seqsAreContiguous(after)).toBe(true);
      expect(after.slice(before.length).map((e) => e.event)).toEqual(tail);
    };
    continues(transferBefore, await timelineOf(stack.baseUrl, transferId), [
      'approval_approved',
      'step_ready',
      'step_running',
      'step_succeeded',
      'workflow_complete',
    ]);
    continues(lifeBefore, await timelineOf(stack.baseUrl, lifeId), [
      'approval_approved',
      'step_ready',
      'step_running',
      'step_succeeded',
      'workflow_complete',
    ]);

    await expectExactlyOnQueue(stack.client, stack.taskQueue, [transferId, lifeId]);
  });
});

/** An error as grpc-js reports an unreachable server. */
function unavailable(details: string): Error {
  return Object.assign(new Error(`14 UNAVAILABLE: ${details}`), { code: 14, details, metadata: {} });
}

describe('Temporal failing halfway through a chat', () => {
  it('answers 503 only when nothing started: a run that did start is the answer, never an error', async () => {
    // A gateway whose client loses the session's signal-with-start after the run's start went
    // through, as when Temporal becomes unreachable between the two calls of one chat.
    let runId: string | undefined;
    const client = new Client({
      connection: stack.client.connection,
      interceptors: {
        workflow: [
          {
            async startUpdateWithStart(input, next) {
              runId = input.workflowStartOptions.workflowId;
              return next(input);
            },
            async signalWithStart() {
              await waitFor(
                async () =>
                  runId !== undefined && (await stack.client.workflow.getHandle(runId).describe()) !== undefined,
                {
                  what: 'the run to start',
                },
              );
              throw unavailable('injected after the run started');
            },
          },
        ],
      },
    });
    const app = createGatewayApp({ client, config: stack.config });
    const gateway = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    try {
      const baseUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
      const kiranBefore = await getBalanceCents(stack.sandbox.url, 'kiran');
      const res = await chatAs(baseUrl, 'Transfer 10 to Kiran', 'default_user');
      expect(runId).toBeDefined();
      const started = await stack.client.workflow
        .getHandle(runId!)
        .describe()
        .then(
          () => true,
          (err: unknown) => (err instanceof WorkflowNotFoundError ? false : Promise.reject(err)),
        );
      if (res.status !== 200) {
        // An error tells the client nothing happened, so it retries: the run must not exist.
        expect(res.status).toBe(503);
        expect(
          started,
          `the gateway answered ${res.status} but run ${runId} started; a retried chat moves the money twice`,
        ).toBe(false);
        expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(kiranBefore);
      } else {
        expect(res.body.workflow_id).toBe(runId);
        expect(started).toBe(true);
      }
    } finally {
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
    }
  });
});
