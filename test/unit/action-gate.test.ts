/** The workflow's gate for operator actions: only signed actions are taken, anything else is recorded and changes nothing. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/runtime/decision-keys.js';
import { signStepAction } from '../../src/shared/action-signature.js';
import type { DecisionSigner } from '../../src/shared/decision-signature.js';
import { StepActionErrorType } from '../../src/shared/messages.js';
import type { StepAction, TrustedDecisionKey } from '../../src/shared/workflow-contracts.js';
import { applyAuthenticatedAction } from '../../workflows/action-gate.js';
import { handClockRun, START, transferPlan, RUN_POLICY } from './run-fixtures.js';

const { privateKey } = generateKeyPairSync('ed25519');
const jwk = privateKey.export({ format: 'jwk' });
const publicKey = Buffer.from(jwk.x!, 'base64url');
const signer: DecisionSigner = { key_id: keyIdOf(publicKey), secret_key: Buffer.from(jwk.d!, 'base64url') };
const trusted: TrustedDecisionKey[] = [
  { key_id: signer.key_id, role: 'gateway', public_key: publicKey.toString('hex') },
];
const RUN = 'req-1';
const NONCE = 'nonce-0123456789abcdef';

function heldTransfer() {
  const { run, advance } = handClockRun(() => undefined, RUN);
  run.adoptPlan(transferPlan, RUN_POLICY);
  run.markReady('transfer');
  const hold = () => {
    run.startAttempt('transfer');
    run.holdForAttention('transfer', { message: 'connect ECONNREFUSED', retryable: true }, 60_000);
    return run.step('transfer').attention!.since;
  };
  return { run, hold, advance };
}

function retry(heldSince: string, extra: Partial<StepAction> = {}): StepAction {
  return signStepAction(
    RUN,
    {
      step_id: 'transfer',
      action: 'retry',
      decided_by: 'ops@bank.com',
      role: 'admin',
      held_since: heldSince,
      ...extra,
    },
    signer,
    new Date(START).toISOString(),
    NONCE,
  );
}

describe('applyAuthenticatedAction', () => {
  it('takes a signed action and records who signed it, in which role', () => {
    const { run, hold } = heldTransfer();
    const since = hold();
    expect(applyAuthenticatedAction(run, retry(since), trusted)).toEqual({ allowed: true });
    expect(run.step('transfer').state).toBe('READY');
    expect(run.timelineAfter(0).at(-1)).toMatchObject({
      event: 'step_ready',
      metadata: {
        action: 'retry',
        decided_by: 'ops@bank.com',
        role: 'admin',
        via: 'gateway',
        key_id: signer.key_id,
        nonce: NONCE,
      },
    });
  });

  const refused: [string, (since: string) => StepAction, string][] = [
    [
      'unsigned',
      (since) => ({
        step_id: 'transfer',
        action: 'skip',
        decided_by: 'ops@bank.com',
        held_since: since,
        role: 'admin',
      }),
      'unsigned',
    ],
    [
      'with edited args changed after signing',
      (since) => ({
        ...retry(since, {
          action: 'retry_with_edits',
          args: { from_account: '123', to_account: 'kiran', amount_cents: 100 },
        }),
        args: { from_account: '123', to_account: 'mallory', amount_cents: 100 },
      }),
      'bad_signature',
    ],
    [
      'signed for another run',
      (since) =>
        signStepAction(
          'req-2',
          { step_id: 'transfer', action: 'fail', decided_by: 'ops', role: 'admin', held_since: since },
          signer,
          new Date(START).toISOString(),
          NONCE,
        ),
      'bad_signature',
    ],
  ];
  it.each(refused)('records an action %s as step_action_ignored and changes nothing', (_name, make, reason) => {
    const { run, hold } = heldTransfer();
    const since = hold();
    const steps = run.view().steps;
    expect(applyAuthenticatedAction(run, make(since), trusted)).toMatchObject({
      allowed: false,
      type: StepActionErrorType.Unauthenticated,
    });
    expect(run.view().steps).toEqual(steps);
    expect(run.timelineAfter(0).at(-1)).toMatchObject({
      event: 'step_action_ignored',
      step_id: 'transfer',
      metadata: { reason },
    });
  });

  it('a captured action replayed on a later hold of the same step is ignored', () => {
    const { run, hold, advance } = heldTransfer();
    const first = retry(hold());
    expect(applyAuthenticatedAction(run, first, trusted).allowed).toBe(true);
    advance(5_000);
    hold();
    expect(applyAuthenticatedAction(run, first, trusted)).toMatchObject({
      allowed: false,
      type: StepActionErrorType.NotHeld,
    });
    expect(run.step('transfer').state).toBe('NEEDS_ATTENTION');
    expect(run.timelineAfter(0).at(-1)).toMatchObject({
      event: 'step_action_ignored',
      metadata: { reason: StepActionErrorType.NotHeld },
    });
  });
});
