/**
 * The secrets a stack started by the tests, the benchmark or record-histories shares, made fresh for
 * each process as `./temporal-dev.sh start` makes them for the dev stack: the sandbox's service
 * token, the gateway's decision signing key and an operator's break-glass key (files with mode 600
 * in a temp directory, removed at exit). The process helpers here hand them to every child.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureKeyPairFiles,
  loadDecisionSigner,
  loadTrustedKeys,
  signActionWith,
  signSessionRunWith,
  signStartWith,
  signWith,
} from '../src/runtime/decision-keys.js';
import type { UnsignedStart } from '../src/shared/start-signature.js';
import { signRevoke } from '../src/shared/approval/revoke.js';
import type { UnsignedStepAction } from '../src/shared/action-signature.js';
import type { UnsignedDecision } from '../src/shared/decision-signature.js';
import { parseApprovalId, runQuery } from '../src/shared/messages.js';
import { runBindingOf, type RunBinding } from '../src/shared/approval/binding.js';
import type { WorkflowHandle } from '@temporalio/client';
import { signDelegation, type UnsignedDelegation } from '../src/shared/delegation-signature.js';
import { signEdit, type UnsignedEdit } from '../src/shared/approval-edit.js';
import type {
  ApprovalDecision,
  ApprovalDelegation,
  ApprovalEdit,
  RequestInput,
  SignedSessionRun,
  StepAction,
  TrustedDecisionKey,
} from '../src/shared/workflow-contracts.js';

const dir = mkdtempSync(join(tmpdir(), 'test-secrets-'));
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));

const gatewayKeyFile = join(dir, 'decision-signing-key.pem');
const gatewayPublicKeyFile = ensureKeyPairFiles(gatewayKeyFile);
const operatorKeyFile = join(dir, 'operator-key.pem');
const operatorPublicKeyFile = ensureKeyPairFiles(operatorKeyFile);

export const TEST_SANDBOX_TOKEN = randomBytes(32).toString('base64url');

export const testSecrets = { gatewayKeyFile, gatewayPublicKeyFile, operatorKeyFile, operatorPublicKeyFile } as const;

/** The keys the test worker's runs trust: this process's gateway key and operator key. */
export const TEST_DECISION_KEYS: TrustedDecisionKey[] = [
  ...loadTrustedKeys([gatewayPublicKeyFile], 'gateway'),
  ...loadTrustedKeys([operatorPublicKeyFile], 'operator'),
];

/** The settings every process of a test stack reads (sandbox, worker, gateway, the decide script). */
export function testSecretsEnv(): Record<string, string> {
  return {
    SANDBOX_TOKEN: TEST_SANDBOX_TOKEN,
    DECISION_SIGNING_KEY_FILE: gatewayKeyFile,
    DECISION_PUBLIC_KEY_FILES: gatewayPublicKeyFile,
    OPERATOR_PUBLIC_KEY_FILES: operatorPublicKeyFile,
    OPERATOR_SIGNING_KEY_FILE: operatorKeyFile,
  };
}

/** `Authorization` for the sandbox, for tests that read the ledger themselves. */
export const sandboxAuthHeaders = { authorization: `Bearer ${TEST_SANDBOX_TOKEN}` } as const;

const gatewaySigner = loadDecisionSigner(gatewayKeyFile);

/**
 * A decision signed as the gateway signs it, for tests that talk to a run through the Temporal
 * client. It names the run its approval id names unless the test names one; a test of a real run
 * passes the approval's `run_id` (runBindingOf), as the gateway does.
 */
export function signedAsGateway(decision: UnsignedDecision): ApprovalDecision {
  const workflowId = decision.workflow_id ?? parseApprovalId(decision.approval_id)?.workflowId;
  return signWith(gatewaySigner, { ...(workflowId !== undefined && { workflow_id: workflowId }), ...decision });
}

/**
 * The run binding (workflow id, first execution run id) of `approvalId`, as its run reports it in
 * the approval record: what a test that signs a decision itself must name, as the gateway does.
 */
export async function runBindingFor(handle: WorkflowHandle, approvalId: string): Promise<RunBinding> {
  const view = await handle.query(runQuery);
  const approval = view.approvals.find((a) => a.approval_id === approvalId);
  if (!approval) throw new Error(`run ${handle.workflowId} has no approval ${approvalId}`);
  return runBindingOf(approval);
}

/** A decision signed as the gateway signs it, for the run `handle` names (see runBindingFor). */
export async function signedForRun(handle: WorkflowHandle, decision: UnsignedDecision): Promise<ApprovalDecision> {
  return signedAsGateway({ ...(await runBindingFor(handle, decision.approval_id)), ...decision });
}

/**
 * A request run's input signed as the gateway signs it, for run `workflowId`: what everything that
 * starts requestWorkflow without the gateway (tests, the benchmark, record-histories) sends.
 */
export function startSignedAsGateway(workflowId: string, input: UnsignedStart): RequestInput {
  return signStartWith(gatewaySigner, workflowId, input);
}

/** A session's record of a run, signed as the gateway signs it for the session workflow `sessionWorkflowId`. */
export function sessionRunSignedAsGateway(
  sessionWorkflowId: string,
  run: Omit<SignedSessionRun, 'proof'>,
): SignedSessionRun {
  return signSessionRunWith(gatewaySigner, sessionWorkflowId, run);
}

/**
 * An operator action on a held step of run `workflowId`, signed as the gateway signs it; a test of
 * a real run names the hold's `held_since` and `run_id` (holdBindingOf), as the gateway does.
 */
export function actionSignedAsGateway(workflowId: string, action: UnsignedStepAction): StepAction {
  return signActionWith(gatewaySigner, workflowId, action);
}

/** A delegation signed as the gateway signs it. */
export function delegationSignedAsGateway(delegation: UnsignedDelegation): ApprovalDelegation {
  const workflowId = delegation.workflow_id ?? parseApprovalId(delegation.approval_id)?.workflowId;
  const bound = { ...(workflowId !== undefined && { workflow_id: workflowId }), ...delegation };
  return signDelegation(bound, gatewaySigner, new Date().toISOString(), randomBytes(18).toString('base64url'));
}

/** A revoke of `approvalId` by `revokedBy`, signed as the gateway signs it for the run `handle` names. */
export async function revokeSignedForRun(handle: WorkflowHandle, approvalId: string, revokedBy: string) {
  const revoke = { ...(await runBindingFor(handle, approvalId)), approval_id: approvalId, revoked_by: revokedBy };
  return signRevoke(revoke, gatewaySigner, new Date().toISOString(), randomBytes(18).toString('base64url'));
}

/** An edit signed as the gateway signs it; `nonce` fixed when a test sends the same edit twice. */
export function editSignedAsGateway(edit: UnsignedEdit, nonce = randomBytes(18).toString('base64url')): ApprovalEdit {
  const workflowId = edit.workflow_id ?? parseApprovalId(edit.approval_id)?.workflowId;
  const bound = { ...(workflowId !== undefined && { workflow_id: workflowId }), ...edit };
  return signEdit(bound, gatewaySigner, new Date().toISOString(), nonce);
}
