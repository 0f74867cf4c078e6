/**
 * The workflow's own guards, for what reaches it without the gateway (CLI signals, hand-started
 * runs) and for a cancel that lands while money is moving.
 */
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { RequestInputSchema, type ApprovalDecision, type RunView } from '../../src/shared/contracts.js';
import { startSignedAsGateway } from '../../dev/stack-secrets.js';
import {
  approvalDecisionSignal,
  REQUEST_WORKFLOW_TYPE,
  runQuery,
  timelineQuery,
  waitSettledUpdate,
} from '../../src/shared/messages.js';
import { FailureType } from '../../src/shared/errors.js';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { realActivities, uniqueId } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';

const sandbox = useSandbox({ latencyMs: 400 });
const client = useClient();
const worker = useWorker(() => realActivities(sandbox.url));

/** Signed as the gateway signs starts when `args` is a well-formed input; sent as given otherwise. */
function start(args: unknown): Promise<WorkflowHandle> {
  const workflowId = uniqueId('req');
  const input = RequestInputSchema.safeParse(args);
  return client.workflow.start(REQUEST_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: worker.taskQueue,
    args: [input.success ? startSignedAsGateway(workflowId, input.data) : args],
  });
}

describe('workflow guards', () => {
  it('a hand-started run with a malformed input fails at once with InvalidInput', async () => {
    const handle = await start({ user_id: 'default_user', message: 42 });
    const failure = await handle.result().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({
      type: FailureType.InvalidInput,
      message: expect.stringMatching(/session_id/),
    });
  });

  it('a malformed decision signal is recorded and changes nothing ("false" as a string is not a rejection, nor an approval)', async () => {
    const handle = await start({
      user_id: 'default_user',
      session_id: uniqueId('s'),
      message: 'Transfer 6000 to Kiran',
    });
    const pending = await handle.executeUpdate(waitSettledUpdate);
    const malformed = {
      approval_id: pending.approvals[0]!.approval_id,
      approved: 'false',
      approver_id: 'ops',
    } as unknown as ApprovalDecision;
    await handle.signal(approvalDecisionSignal, malformed);
    const ignored = await waitFor(
      async () => (await handle.query(timelineQuery, 0)).find((e) => e.event === 'approval_ignored'),
      {
        what: 'the malformed decision to be recorded',
      },
    );
    expect(ignored.message).toMatch(/Malformed decision ignored: approved/);
    expect((await handle.query(runQuery)).approvals[0]!.status).toBe('pending');
    await handle.cancel();
  });

  it('a cancel that lands while a transfer is in flight lets it finish and records it as it was', async () => {
    const before = await getBalanceCents(sandbox.url, 'kiran');
    const handle = await start({
      user_id: 'default_user',
      session_id: uniqueId('s'),
      message: 'Apply to 1 backend job and transfer 40 to kiran',
    });
    await waitFor(
      async () =>
        (await handle.query(timelineQuery, 0)).some((e) => e.event === 'step_running' && e.step_id === 'transfer'),
      {
        what: 'the transfer to be running',
      },
    );
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const view: RunView = await handle.query(runQuery);
    expect(view.status).toBe('CANCELLED');
    expect(view.steps.find((s) => s.id === 'transfer')).toMatchObject({
      state: 'SUCCEEDED',
      result: { success: true },
    });
    expect(await getBalanceCents(sandbox.url, 'kiran')).toBe(before + 4000);
    expect(view.approvals.every((a) => a.status === 'cancelled')).toBe(true);
  });
});
