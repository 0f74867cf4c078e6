/**
 * Decisions are authenticated where they are applied: over the real stack, an unsigned or forged
 * decision sent straight to Temporal (as the Web UI or the CLI would) is recorded and changes
 * nothing; the gateway's and the operator's signed decisions apply and say which path they took.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keyIdOf } from '../../src/runtime/decision-keys.js';
import { signDecision } from '../../src/shared/decision-signature.js';
import type { TimelineEvent } from '../../src/shared/contracts.js';
import {
  approvalDecisionSignal,
  approvalDecisionUpdate,
  DecisionErrorType,
  runQuery,
  timelineQuery,
} from '../../src/shared/messages.js';
import { runOperatorScript } from '../support/operator-scripts.js';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { startStack, type Stack } from '../support/stack.js';
import { runBindingFor, signedAsGateway, testSecretsEnv } from '../../dev/stack-secrets.js';
import { chatAs, postDecision } from '../support/chat.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function pendingTransfer(amount: number): Promise<{ handle: WorkflowHandle; approvalId: string }> {
  const chat = await chatAs(stack.baseUrl, `Transfer ${amount} to Kiran`, 'default_user');
  expect(chat.body.status).toBe('PENDING_APPROVAL');
  return { handle: stack.client.workflow.getHandle(chat.body.workflow_id), approvalId: chat.body.reply.approval_id };
}

async function nextDecisionEvent(handle: WorkflowHandle, afterSeq: number): Promise<TimelineEvent> {
  return waitFor(
    async () =>
      (await handle.query(timelineQuery, afterSeq)).find((e) =>
        ['approval_ignored', 'approval_approved', 'approval_rejected'].includes(e.event),
      ),
    { what: 'the run to record the decision' },
  );
}

async function lastSeq(handle: WorkflowHandle): Promise<number> {
  return (await handle.query(timelineQuery, 0)).length;
}

function strangerSigner() {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  return { key_id: keyIdOf(Buffer.from(jwk.x!, 'base64url')), secret_key: Buffer.from(jwk.d!, 'base64url') };
}

describe('decisions sent straight to Temporal', () => {
  it('an unsigned approvalDecision signal (as the Web UI or CLI sends it) is recorded as ignored and moves nothing', async () => {
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    const { handle, approvalId } = await pendingTransfer(6000);
    const seq = await lastSeq(handle);
    await handle.signal(approvalDecisionSignal, {
      approval_id: approvalId,
      approved: true,
      approver_id: 'manager@bank.com',
    });
    const event = await nextDecisionEvent(handle, seq);
    expect(event).toMatchObject({
      event: 'approval_ignored',
      approval_id: approvalId,
      metadata: { reason: 'unsigned', approver_id: 'manager@bank.com' },
    });
    const view = await handle.query(runQuery);
    expect(view.approvals[0]).toMatchObject({ status: 'pending' });
    expect(view.status).toBe('WAITING_APPROVAL');
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before);
    await handle.cancel();
  });

  it.each([
    ['a stranger key claiming the gateway key id', 'bad_signature'],
    ['a stranger key under its own id', 'unknown_key'],
    ['a gateway signature over a different decider', 'bad_signature'],
  ] as const)('a decision signed by %s is ignored (%s)', async (how, reason) => {
    const { handle, approvalId } = await pendingTransfer(6100);
    const bound = await runBindingFor(handle, approvalId);
    const decision = { ...bound, approval_id: approvalId, approved: true, approver_id: 'manager@bank.com' };
    const gatewaySigned = signedAsGateway(decision);
    const stranger = signDecision(
      decision,
      strangerSigner(),
      gatewaySigned.proof!.issued_at,
      gatewaySigned.proof!.nonce,
    );
    const forged =
      how === 'a stranger key claiming the gateway key id'
        ? { ...stranger, proof: { ...stranger.proof!, key_id: gatewaySigned.proof!.key_id } }
        : how === 'a stranger key under its own id'
          ? stranger
          : { ...gatewaySigned, approver_id: 'cfo@bank.com' };
    const seq = await lastSeq(handle);
    await handle.signal(approvalDecisionSignal, forged);
    expect(await nextDecisionEvent(handle, seq)).toMatchObject({ event: 'approval_ignored', metadata: { reason } });
    expect((await handle.query(runQuery)).approvals[0]!.status).toBe('pending');
    await handle.cancel();
  });

  it('an unsigned approvalDecision update is refused as ApprovalUnauthenticated and recorded', async () => {
    const { handle, approvalId } = await pendingTransfer(6200);
    const refused = await handle
      .executeUpdate(approvalDecisionUpdate, {
        args: [{ approval_id: approvalId, approved: false, approver_id: 'manager@bank.com' }],
      })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: DecisionErrorType.Unauthenticated });
    const events = await handle.query(timelineQuery, 0);
    expect(events.filter((e) => e.event === 'approval_ignored').map((e) => e.metadata.reason)).toEqual(['unsigned']);
    expect((await handle.query(runQuery)).approvals[0]!.status).toBe('pending');
    await handle.cancel();
  });
});

describe('signed decisions', () => {
  it('the gateway signs what it checked: the approval applies, marked via gateway, and the money moves once', async () => {
    const before = await getBalanceCents(stack.sandbox.url, 'kiran');
    const { handle, approvalId } = await pendingTransfer(6300);
    const res = await postDecision(stack.baseUrl, approvalId, { decision: 'approve', decided_by: 'manager@bank.com' });
    expect(res.status).toBe(200);
    await handle.result();
    const approved = (await handle.query(timelineQuery, 0)).find((e) => e.event === 'approval_approved')!;
    expect(approved.metadata).toMatchObject({
      decided_by: 'manager@bank.com',
      via: 'gateway',
      key_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(await getBalanceCents(stack.sandbox.url, 'kiran')).toBe(before + 630_000);
  });

  const decide = (args: string[]) => runOperatorScript('scripts/decide.ts', args);

  it('the operator break-glass path applies a decision, marked via operator, and keeps four eyes', async () => {
    const { handle, approvalId } = await pendingTransfer(6400);
    const selfApproval = await decide([approvalId, 'approve', '--as', 'default_user']);
    expect(selfApproval.code).toBe(1);
    expect(selfApproval.stdout).toMatch(/approval_ignored.*four-eyes/i);

    const rejection = await decide([approvalId, 'reject', '--as', 'ops@bank.com', '--reason', 'called the customer']);
    expect(rejection).toMatchObject({ code: 0, stdout: expect.stringMatching(/approval_rejected/) });
    // It showed the action and the hash it signed for before signing.
    expect(rejection.stdout).toMatch(/tool bank_transfer with \{.*"amount_cents":640000.*\}/);
    expect(rejection.stdout).toMatch(/action_hash [0-9a-f]{64}/);
    const view = await handle.query(runQuery);
    expect(view.approvals[0]).toMatchObject({
      status: 'rejected',
      decided_by: 'ops@bank.com',
      decision_reason: 'called the customer',
    });
    const rejected = (await handle.query(timelineQuery, 0)).find((e) => e.event === 'approval_rejected')!;
    expect(rejected.metadata).toMatchObject({ via: 'operator', reason: 'called the customer' });
  });

  it('the decide command refuses a bad command line before sending anything', async () => {
    expect(await decide(['not-an-approval', 'approve', '--as', 'ops'])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/does not name a run/),
    });
    expect(await decide(['req-x.transfer', 'maybe', '--as', 'ops'])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/approve or reject/),
    });
    expect(await decide(['req-x.transfer', 'approve'])).toMatchObject({
      code: 2,
      stdout: expect.stringMatching(/--as <person> is required/),
    });
  });
});

describe('start-up without keys', () => {
  const startWithout = (entry: string, unset: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', entry], {
      env: {
        ...process.env,
        ...testSecretsEnv(),
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        GATEWAY_PORT: '0',
        TASK_QUEUE: 'never-polled',
        [unset]: '',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it.each([
    ['gateway/main.ts', 'DECISION_SIGNING_KEY_FILE'],
    ['worker/main.ts', 'DECISION_PUBLIC_KEY_FILES'],
    ['worker/main.ts', 'SANDBOX_TOKEN'],
  ])('%s refuses to start without %s', (entry, unset) => {
    const started = startWithout(entry, unset);
    expect(started.status).toBe(1);
    expect(started.stderr).toMatch(new RegExp(`${unset}: required`));
  });
});
