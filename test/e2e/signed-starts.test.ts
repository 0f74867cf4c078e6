/**
 * The run is the trust boundary: a request run started with the Temporal client (as the CLI, the
 * Web UI or the HTTP API start one) acts only when the gateway or an operator signed its start for
 * that workflow id. Every other start plans nothing, moves no money and ends with the reason.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { RequestInput, RunView } from '../../src/shared/contracts.js';
import { REQUEST_WORKFLOW_TYPE, timelineQuery } from '../../src/shared/messages.js';
import { FailureType } from '../../src/shared/errors.js';
import { signStart } from '../../src/shared/start-signature.js';
import { loadDecisionSigner } from '../../src/runtime/decision-keys.js';
import { startSignedAsGateway, testSecrets } from '../../dev/stack-secrets.js';
import { runOperatorScript } from '../support/operator-scripts.js';
import { ledgerState } from '../support/sandbox-ledger.js';
import { newSigningKey } from '../support/signing-keys.js';
import { realActivities, uniqueId } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';

const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => realActivities(sandbox.url));

/** Below the approval threshold: a run that believed its input would move this at once. */
const managerTransfer = (): RequestInput => ({
  user_id: 'manager@bank.com',
  session_id: uniqueId('s'),
  message: 'Transfer 4999 to kiran',
});

function start(workflowId: string, input: unknown): Promise<WorkflowHandle> {
  return client.workflow.start(REQUEST_WORKFLOW_TYPE, { workflowId, taskQueue: worker.taskQueue, args: [input] });
}

/** Starts `input` under `workflowId`, waits for the run to end, and checks it moved nothing and says why. */
async function expectRefused(workflowId: string, input: unknown, refusal: string): Promise<void> {
  const before = await ledgerState(sandbox.url);
  const handle = await start(workflowId, input);
  const failure = await handle.result().catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({
    type: FailureType.UnverifiedStart,
    message: expect.stringMatching(/^Start refused/),
  });
  const timeline = await handle.query(timelineQuery, 0);
  expect(timeline.map((e) => e.event)).toEqual(['workflow_failed']);
  expect(timeline[0]!.metadata).toMatchObject({ reason: 'unverified_start', refusal });
  // What the Web UI shows: the execution failed, with the reason as its failure.
  expect((await handle.describe()).status.name).toBe('FAILED');
  expect(await ledgerState(sandbox.url)).toEqual(before);
}

describe('signed starts', () => {
  it('a start signed by the gateway runs (the setup the refusals below are measured against)', async () => {
    const workflowId = uniqueId('req');
    const handle = await start(workflowId, startSignedAsGateway(workflowId, managerTransfer()));
    const view = (await handle.result()) as RunView;
    expect(view.status).toBe('COMPLETED');
  });

  it('an unsigned start from the Temporal client, as manager@bank.com, moves no money and says why', async () => {
    await expectRefused(uniqueId('req'), managerTransfer(), 'unsigned');
  });

  it("a signed start whose user_id was changed to another person's is refused", async () => {
    const workflowId = uniqueId('req');
    const signed = startSignedAsGateway(workflowId, { ...managerTransfer(), user_id: 'default_user' });
    await expectRefused(workflowId, { ...signed, user_id: 'manager@bank.com' }, 'bad_signature');
  });

  it('a signed start with a changed message or groups is refused', async () => {
    const workflowId = uniqueId('req');
    const signed = startSignedAsGateway(workflowId, managerTransfer());
    await expectRefused(workflowId, { ...signed, message: 'Transfer 4998 to kiran' }, 'bad_signature');
    const other = uniqueId('req');
    const grouped = startSignedAsGateway(other, managerTransfer());
    await expectRefused(other, { ...grouped, requester_groups: ['managers'] }, 'bad_signature');
  });

  it('a signed start copied into a run under another workflow id is refused', async () => {
    const signed = startSignedAsGateway(uniqueId('req'), managerTransfer());
    await expectRefused(uniqueId('req'), signed, 'bad_signature');
  });

  it('a start signed by a key the worker does not trust is refused', async () => {
    const workflowId = uniqueId('req');
    const { signer } = newSigningKey('gateway');
    const forged = signStart(workflowId, managerTransfer(), signer, new Date().toISOString(), nonce());
    await expectRefused(workflowId, forged, 'unknown_key');
  });

  it("an operator starts a request with ./temporal-dev.sh request, signed with the operator's key", async () => {
    const out = await runOperatorScript('scripts/request.ts', ['Transfer 12 to kiran', '--as', 'default_user'], {
      TASK_QUEUE: worker.taskQueue,
    });
    expect(out).toMatchObject({ code: 0, stdout: expect.stringMatching(/^started op-req-.* as default_user/) });
    expect(out.stdout).toMatch(/COMPLETED/);
  });

  it('a signed start replayed long after it was signed is refused', async () => {
    const workflowId = uniqueId('req');
    const gateway = loadDecisionSigner(testSecrets.gatewayKeyFile);
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const replayed = signStart(workflowId, managerTransfer(), gateway, anHourAgo, nonce());
    await expectRefused(workflowId, replayed, 'stale');
  });
});

function nonce(): string {
  return randomBytes(18).toString('base64url');
}
