/** The steps record-histories plays in its scenarios: deciding, retrying a held step, editing durably, revoking. */
import type { WorkflowHandle } from '@temporalio/client';
import {
  stepActionUpdate,
  approvalDecisionSignal,
  approvalDecisionUpdate,
  approvalEditSignal,
  approvalEditUpdate,
  approvalRevokeUpdate,
  runQuery,
  stepActionSignal,
  waitSettledUpdate,
} from '../src/shared/messages.js';
import { type SandboxProcess } from '../dev/sandbox-process.js';
import {
  actionSignedAsGateway,
  editSignedAsGateway,
  revokeSignedForRun,
  runBindingFor,
  signedForRun,
} from '../dev/stack-secrets.js';
import { waitFor } from '../dev/ports.js';

export type Scenario = (
  start: (message: string, queue?: string, user_id?: string) => Promise<WorkflowHandle>,
  sandbox: SandboxProcess,
) => Promise<WorkflowHandle>;

export async function decide(
  handle: WorkflowHandle,
  approved: boolean,
  approver_id: string,
  unsignedFirst = false,
  groups?: string[],
): Promise<void> {
  const view = await handle.executeUpdate(waitSettledUpdate);
  const approval_id = view.approvals.find((a) => a.status === 'pending')!.approval_id;
  // As the Web UI or the CLI would send it: recorded as ignored, changes nothing.
  if (unsignedFirst) await handle.signal(approvalDecisionSignal, { approval_id, approved, approver_id });
  await handle.executeUpdate(approvalDecisionUpdate, {
    args: [await signedForRun(handle, { approval_id, approved, approver_id, ...(groups && { groups }) })],
  });
}

/**
 * A transfer held in NEEDS_ATTENTION while the bank is down, an unsigned action (ignored), then a
 * signed retry once the bank is back. Planning reads the requester's account once per worker,
 * so a first run plans while the bank is up.
 */
export async function heldThenRetried(
  start: Parameters<Scenario>[0],
  sandbox: SandboxProcess,
): Promise<WorkflowHandle> {
  await (await start('Transfer 1 to Kiran', 'attention')).result();
  await sandbox.stop();
  const handle = await start('Transfer 100 to Kiran', 'attention');
  const view = await handle.executeUpdate(waitSettledUpdate);
  await sandbox.restart();
  const hold = view.steps.find((s) => s.id === 'transfer')?.attention;
  if (hold === undefined) throw new Error(`the transfer was not held: ${JSON.stringify(view.steps)}`);
  const retry = {
    step_id: 'transfer',
    action: 'retry' as const,
    decided_by: 'ops@bank.com',
    role: 'admin' as const,
    held_since: hold.since,
    run_id: hold.run_id,
    reason: 'bank is back',
  };
  await handle.signal(stepActionSignal, retry);
  await handle.executeUpdate(stepActionUpdate, { args: [actionSignedAsGateway(handle.workflowId, retry)] });
  return handle;
}

/**
 * An edit kept as a signal (no worker took the update) and delivered twice, then once more as an
 * update: it applies once; a decision on the replaced action is refused; the new action is approved.
 */
export async function editedDurably(start: Parameters<Scenario>[0]): Promise<WorkflowHandle> {
  const handle = await start('Transfer 6000 to Kiran');
  const view = await handle.executeUpdate(waitSettledUpdate);
  const { approval_id, action_hash: oldHash } = view.approvals[0]!;
  const edit = editSignedAsGateway({
    ...(await runBindingFor(handle, approval_id)),
    approval_id,
    args: { from_account: '123', to_account: 'kiran', amount_cents: 550_000 },
    edited_by: 'default_user',
    reason: 'a little less',
  });
  await handle.signal(approvalEditSignal, edit);
  await handle.signal(approvalEditSignal, edit);
  const edited = await waitFor(
    async () => {
      const approval = (await handle.query(runQuery)).approvals[0];
      return approval?.edits === 1 && approval.status === 'pending' ? approval : undefined;
    },
    { timeoutMs: 20_000, what: 'the edit to apply' },
  );
  await handle.executeUpdate(approvalEditUpdate, { args: [edit] });
  await handle.signal(
    approvalDecisionSignal,
    await signedForRun(handle, {
      approval_id,
      approved: true,
      approver_id: 'manager@bank.com',
      ...(oldHash && { action_hash: oldHash }),
    }),
  );
  await handle.executeUpdate(approvalDecisionUpdate, {
    args: [
      await signedForRun(handle, {
        approval_id,
        approved: true,
        approver_id: 'manager@bank.com',
        ...(edited.action_hash && { action_hash: edited.action_hash }),
      }),
    ],
  });
  return handle;
}

/**
 * A first payment approved under bank.json's cooling-off window, then revoked by its requester
 * while it holds: the transfer never runs.
 */
export const heldThenRevoked: Scenario = async (start) => {
  const handle = await start('Transfer 600 to Bob', 'bank-policy', 'default_user');
  await decide(handle, true, 'alice', false, ['approvers']);
  const holding = await waitFor(
    async () => (await handle.query(runQuery)).approvals.find((a) => a.status === 'approved' && a.hold_until),
    { timeoutMs: 20_000, what: 'the approved first payment to hold' },
  );
  await handle.executeUpdate(approvalRevokeUpdate, {
    args: [await revokeSignedForRun(handle, holding.approval_id, 'default_user')],
  });
  return handle;
};
