/**
 * Operator actions over HTTP against the real stack, when no worker runs and when the sender is
 * not the gateway: an action the gateway signs is kept while the worker is down (202) and taken
 * once it is back; an unsigned action sent straight to Temporal, or one signed for an earlier run
 * under the same workflow id, changes nothing and is recorded.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import type { StepView, TimelineEvent } from '../../src/shared/contracts.js';
import { actionSignedAsGateway, startSignedAsGateway } from '../../dev/stack-secrets.js';
import {
  REQUEST_WORKFLOW_TYPE,
  runQuery,
  StepActionErrorType,
  stepActionUpdate,
  stepActionSignal,
} from '../../src/shared/messages.js';
import { call } from '../support/http.js';
import { runOperatorScript } from '../support/operator-scripts.js';
import { get, ledgerEntriesFor, submitRequest, timelineOf, waitForStatus } from '../support/reliability.js';
import { startStack, type Stack } from '../support/stack.js';

const FINAL = ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELLED'] as const;
const WAIT_MS = 2_000;

let sandbox: SandboxProcess;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandboxProcess();
  stack = await startStack({
    sandbox,
    env: {
      ATTENTION_ON_EXHAUSTED: 'true',
      STEP_RETRY_BUDGET: '1s',
      ATTENTION_DEADLINE: '10m',
      CHAT_WAIT_MS: String(WAIT_MS),
    },
  });
  // Planning looks up the requester's account once per worker: plan one run while the bank is up.
  const warmUp = await submit('Transfer 1 to Kiran');
  expect(await waitForStatus(stack.baseUrl, warmUp, [...FINAL], 30_000)).toBe('COMPLETED');
});
afterAll(async () => {
  await stack?.stop();
  await sandbox?.dispose();
});

const submit = (message: string) => submitRequest(stack.baseUrl, message);

async function transferStep(workflowId: string): Promise<StepView> {
  const res = await get(stack.baseUrl, `/api/workflows/${workflowId}`);
  expect(res.status).toBe(200);
  return (res.body.steps as StepView[]).find((s) => s.id === 'transfer')!;
}

async function heldTransfer(message: string): Promise<{ workflowId: string; step: StepView }> {
  await sandbox.stop();
  try {
    const workflowId = await submit(message);
    const step = await waitFor(
      async () => {
        const s = await transferStep(workflowId);
        return s.state === 'NEEDS_ATTENTION' ? s : undefined;
      },
      { timeoutMs: 30_000, what: `the transfer of ${workflowId} to be held` },
    );
    return { workflowId, step };
  } finally {
    await sandbox.restart();
  }
}

/** An admin's retry of the held transfer `step` with its money sent to bob instead, bound to its hold. */
function redirectToBob(step: StepView, amountCents: number) {
  return {
    step_id: 'transfer',
    action: 'retry_with_edits' as const,
    args: { from_account: '123', to_account: 'bob', amount_cents: amountCents },
    decided_by: 'ops@bank.com',
    role: 'admin' as const,
    held_since: step.attention!.since,
  };
}

/** Waits until the run's timeline records two ignored actions; answers those two events. */
function twoIgnoredActions(workflowId: string, what: string): Promise<TimelineEvent[]> {
  return waitFor(
    async () => {
      const events = (await timelineOf(stack.baseUrl, workflowId)).filter((e) => e.event === 'step_action_ignored');
      return events.length === 2 ? events : undefined;
    },
    { timeoutMs: 20_000, what },
  );
}

function act(workflowId: string, body: Record<string, unknown>) {
  return call(stack.baseUrl, 'POST', `/api/attention/${workflowId}/transfer`, { decided_by: 'ops@bank.com', ...body });
}

describe('an action sent straight to Temporal, not signed by the gateway', () => {
  it('changes nothing: the update fails, the signal is recorded as ignored, and the step stays held', async () => {
    const { workflowId, step } = await heldTransfer('Transfer 106 to Kiran');
    const handle = stack.client.workflow.getHandle(workflowId);
    const forged = redirectToBob(step, 10_600);

    const update = await handle.executeUpdate(stepActionUpdate, { args: [forged] }).catch((err: unknown) => err);
    expect(update).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((update as WorkflowUpdateFailedError).cause?.message).toMatch(/not signed/);
    await handle.signal(stepActionSignal, { ...forged, action: 'skip', args: undefined });

    const ignored = await twoIgnoredActions(workflowId, 'both forged actions recorded as ignored');
    expect(ignored.map((e) => [e.metadata['action'], e.metadata['reason']])).toEqual([
      ['retry_with_edits', 'unsigned'],
      ['skip', 'unsigned'],
    ]);
    expect(await transferStep(workflowId)).toMatchObject({ state: 'NEEDS_ATTENTION', args: { to_account: 'kiran' } });

    const failed = await act(workflowId, { action: 'fail', reason: 'tidy up' });
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('FAILED');
    expect(await ledgerEntriesFor(sandbox.url, 'bob', `${workflowId}:transfer:edit1`)).toHaveLength(0);
  });
});

describe('a signed action captured from one run, replayed into a new run under the same workflow id', () => {
  it('changes nothing: refused as signed for another run, the update fails and the signal is recorded', async () => {
    const { workflowId, step } = await heldTransfer('Transfer 108 to Kiran');
    const first = stack.client.workflow.getHandle(workflowId);
    const { user_id, session_id } = await first.query(runQuery);
    // What an attacker may find signed in the first run's history: an action bound to its hold and
    // run, and one naming no run (as gateways signed them before actions were bound to their run).
    const redirect = redirectToBob(step, 10_800);
    const captured = [
      actionSignedAsGateway(workflowId, { ...redirect, run_id: step.attention!.run_id }),
      actionSignedAsGateway(workflowId, { ...redirect, action: 'skip', args: undefined }),
    ];
    await first.terminate('the attacker starts a run of their own under this id');

    await sandbox.stop();
    let second: WorkflowHandle;
    try {
      second = await stack.client.workflow.start(REQUEST_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: stack.taskQueue,
        args: [startSignedAsGateway(workflowId, { user_id, session_id, message: 'Transfer 108 to Kiran' })],
      });
      await waitFor(
        async () => {
          const view = await second.query(runQuery).catch(() => undefined);
          return view?.steps.find((s) => s.id === 'transfer' && s.state === 'NEEDS_ATTENTION');
        },
        { timeoutMs: 30_000, what: 'the second run to hold its transfer' },
      );
    } finally {
      await sandbox.restart();
    }

    const update = await second.executeUpdate(stepActionUpdate, { args: [captured[0]!] }).catch((err: unknown) => err);
    expect(update).toBeInstanceOf(WorkflowUpdateFailedError);
    // Refused by the update's validator, so nothing of it enters the run's history.
    expect((update as WorkflowUpdateFailedError).cause).toMatchObject({ type: StepActionErrorType.WrongRun });
    for (const action of captured) await second.signal(stepActionSignal, action);

    const ignored = await twoIgnoredActions(workflowId, 'both replayed signals recorded as ignored');
    expect(ignored.map((e) => [e.metadata['action'], e.metadata['reason']])).toEqual([
      ['retry_with_edits', StepActionErrorType.WrongRun],
      ['skip', StepActionErrorType.WrongRun],
    ]);
    expect(ignored[0]!.message).toMatch(/signed for another run moves nothing/);
    expect(await transferStep(workflowId)).toMatchObject({ state: 'NEEDS_ATTENTION', args: { to_account: 'kiran' } });
    expect(await ledgerEntriesFor(sandbox.url, 'bob', `${workflowId}:transfer:edit1`)).toHaveLength(0);
    await second.terminate('done');
  });
});

describe("the operator's act command, without the gateway", () => {
  const actCommand = (args: string[]) => runOperatorScript('scripts/act.ts', args);

  it('signs with the operator key: the run takes the action via operator', async () => {
    const { workflowId } = await heldTransfer('Transfer 107 to Kiran');
    const skipped = await actCommand([
      workflowId,
      'transfer',
      'skip',
      '--as',
      'ops@bank.com',
      '--reason',
      'paid by hand',
    ]);
    expect(skipped).toMatchObject({ code: 0, stdout: expect.stringMatching(/step_skipped/) });
    // What it acts on, before it signs: the step, its tool and args, and the run.
    expect(skipped.stdout).toMatch(/step transfer: .*\n {2}tool bank_transfer with \{.*"to_account":"kiran"/);
    expect(skipped.stdout).toMatch(new RegExp(`\\n {2}run [0-9a-f-]{36} of ${workflowId}`));
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL])).toBe('COMPLETED');
    const event = (await timelineOf(stack.baseUrl, workflowId)).find((e) => e.event === 'step_skipped');
    expect(event?.metadata).toMatchObject({
      action: 'skip',
      decided_by: 'ops@bank.com',
      reason: 'paid by hand',
      role: 'operator',
      via: 'operator',
    });
    expect(await actCommand([workflowId, 'transfer', 'retry', '--as', 'ops@bank.com'])).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/not held/),
    });
  });

  it('refuses a bad command line before sending anything', async () => {
    expect(await actCommand(['req-x', 'transfer', 'redo', '--as', 'ops'])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/action must be one of/),
    });
    expect(await actCommand(['req-x', 'transfer', 'retry_with_edits', '--as', 'ops'])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/--args is required/),
    });
    expect(await actCommand(['req-x', 'transfer', 'skip'])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/--as <person> is required/),
    });
  });
});

describe('an action while no worker runs', () => {
  it('is kept (202 accepted, applied false) and taken once a worker runs: the transfer completes with one ledger entry', async () => {
    const { workflowId } = await heldTransfer('Transfer 105 to Kiran');
    await stack.stopWorker();
    try {
      // What the gateway can check without a worker, it checks from the run's memo.
      const badArgs = await act(workflowId, {
        action: 'retry_with_edits',
        args: { from_account: '123', to_account: 'kiran', amount_cents: 0 },
      });
      expect(badArgs.status).toBe(400);
      expect(badArgs.body.error.message).toMatch(/args\.amount_cents/);

      const kept = await act(workflowId, { action: 'retry', reason: 'bank is back' });
      expect(kept.status, JSON.stringify(kept.body)).toBe(202);
      expect(kept.body).toMatchObject({ status: 'accepted', applied: false, workflow_id: workflowId });
    } finally {
      await stack.startWorker();
    }
    expect(await waitForStatus(stack.baseUrl, workflowId, [...FINAL], 30_000)).toBe('COMPLETED');
    expect(await ledgerEntriesFor(sandbox.url, 'kiran', `${workflowId}:transfer`)).toHaveLength(1);
    const taken = (await timelineOf(stack.baseUrl, workflowId)).filter(
      (e) => e.event === 'step_ready' && e.metadata['action'] === 'retry',
    );
    expect(taken).toHaveLength(1);
    expect(taken[0]!.metadata).toMatchObject({
      decided_by: 'ops@bank.com',
      reason: 'bank is back',
      role: 'loopback',
      via: 'gateway',
    });
  });
});
