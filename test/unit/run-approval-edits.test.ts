/** approval-edits.ts on a RunState with policy stages: what an edit leaves on the approval, the step and the timeline, for each policy answer. */
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { signEdit, type UnsignedEdit } from '../../src/shared/approval-edit.js';
import { bytesToHex, signDecision } from '../../src/shared/decision-signature.js';
import { DecisionErrorType } from '../../src/shared/messages.js';
import { applyAuthenticatedEdit, receiveEditSignal } from '../../workflows/edit-gate.js';
import { applyAuthenticatedDecision } from '../../workflows/decision-gate.js';
import type { RunState } from '../../workflows/run-state.js';
import { APPROVAL_ID, RUN_POLICY, stagedTransferRun, tickingRun, TIMEOUT_MS, transferPlan } from './run-fixtures.js';

const secret = new Uint8Array(32).fill(9);
const signer = { key_id: '00112233445566aa', secret_key: secret };
const TRUSTED = [
  { key_id: signer.key_id, role: 'gateway' as const, public_key: bytesToHex(ed25519.getPublicKey(secret)) },
];
const STAGES = [{ group: 'approvers', count: 2 }];
let nonce = 0;
const signed = (edit: UnsignedEdit) =>
  signEdit(edit, signer, '2026-12-01T10:00:05.000Z', `edit-nonce-${String(++nonce).padStart(8, '0')}`);

const stagedRun = () => stagedTransferRun('two approvers', 'large-transfer', STAGES);
const lowered = { from_account: '123', to_account: 'kiran', amount_cents: 400_000 };

describe('an edit of a staged approval', () => {
  it.each<[string, (run: RunState) => void, { status: string; stepState: string; decisions?: number }]>([
    [
      'still needs approval: waits again, earlier approvals cleared',
      (run) =>
        run.reopenEditedApproval(APPROVAL_ID, 'one approver', TIMEOUT_MS, {
          rule: 'mid-transfer',
          stages: [{ group: 'approvers', count: 1 }],
          requesterMayApprove: false,
        }),
      { status: 'pending', stepState: 'BLOCKED', decisions: 0 },
    ],
    [
      'needs no approval: the approval closes and the step is ready',
      (run) => run.closeEditedApproval(APPROVAL_ID, { kind: 'allow' }),
      { status: 'cancelled', stepState: 'READY' },
    ],
    [
      'is refused: the step is refused',
      (run) => run.closeEditedApproval(APPROVAL_ID, { kind: 'refuse', reason: 'no', rule: 'deny' }),
      { status: 'cancelled', stepState: 'REJECTED' },
    ],
  ])('%s', (_name, policyAnswer, expected) => {
    const run = stagedRun();
    const oldHash = run.approval(APPROVAL_ID)!.action_hash;
    expect(
      run.decide({ approval_id: APPROVAL_ID, approved: true, approver_id: 'bob', groups: ['approvers'] }).accepted,
    ).toBe(true);
    const edit = applyAuthenticatedEdit(
      run,
      signed({ approval_id: APPROVAL_ID, args: lowered, edited_by: 'carol', groups: ['approvers'], reason: 'lower' }),
      TRUSTED,
    );
    expect(edit.accepted).toBe(true);
    expect(run.awaitsPolicyAfterEdit(APPROVAL_ID)).toBe(true);
    // Until the policy answers, no decision is taken.
    const early = signDecision(
      { approval_id: APPROVAL_ID, approved: true, approver_id: 'dan', groups: ['approvers'] },
      signer,
      '2026-12-01T10:00:06.000Z',
      `decision-nonce-${String(++nonce).padStart(8, '0')}`,
    );
    expect(applyAuthenticatedDecision(run, early, TRUSTED)).toMatchObject({
      accepted: false,
      type: DecisionErrorType.Stale,
    });
    policyAnswer(run);
    expect(run.awaitsPolicyAfterEdit(APPROVAL_ID)).toBe(false);
    const approval = run.approval(APPROVAL_ID)!;
    expect(approval.status).toBe(expected.status);
    expect(approval.edits).toBe(1);
    expect(approval.action_hash).not.toBe(oldHash);
    if (expected.decisions !== undefined) expect(approval.decisions).toHaveLength(expected.decisions);
    expect(run.step('transfer')).toMatchObject({ state: expected.stepState, args: lowered });
    const edited = run.result().timeline.find((e) => e.event === 'approval_edited');
    expect(edited?.metadata).toMatchObject({
      edited_by: 'carol',
      before: { amount_cents: 600_000 },
      after: lowered,
      reason: 'lower',
    });
  });

  it('refuses the requester after a decision, an unsigned edit and a stale decision after the edit', () => {
    const run = stagedRun();
    const oldHash = run.approval(APPROVAL_ID)!.action_hash;
    run.decide({ approval_id: APPROVAL_ID, approved: true, approver_id: 'bob', groups: ['approvers'] });
    expect(
      applyAuthenticatedEdit(run, signed({ approval_id: APPROVAL_ID, args: lowered, edited_by: 'alice' }), TRUSTED),
    ).toMatchObject({ accepted: false, type: DecisionErrorType.Forbidden });
    const { proof: _proof, ...unsigned } = signed({
      approval_id: APPROVAL_ID,
      args: lowered,
      edited_by: 'carol',
      groups: ['approvers'],
    });
    expect(applyAuthenticatedEdit(run, unsigned, TRUSTED)).toMatchObject({
      accepted: false,
      type: DecisionErrorType.Unauthenticated,
    });
    expect(run.step('transfer').args).toMatchObject({ amount_cents: 600_000 });

    applyAuthenticatedEdit(
      run,
      signed({ approval_id: APPROVAL_ID, args: lowered, edited_by: 'carol', groups: ['approvers'] }),
      TRUSTED,
    );
    run.reopenEditedApproval(APPROVAL_ID, 'two approvers', TIMEOUT_MS, {
      rule: 'large-transfer',
      stages: STAGES,
      requesterMayApprove: false,
    });
    expect(
      run.decide({
        approval_id: APPROVAL_ID,
        approved: true,
        approver_id: 'dan',
        groups: ['approvers'],
        action_hash: oldHash,
      }),
    ).toMatchObject({ accepted: false, type: DecisionErrorType.Stale });
    expect(run.approval(APPROVAL_ID)!.decisions).toEqual([]);
  });

  it('applies one signed edit once, however often it arrives (the update given up on, then its signal)', () => {
    const run = stagedRun();
    const edit = signed({ approval_id: APPROVAL_ID, args: lowered, edited_by: 'carol', groups: ['approvers'] });
    expect(run.editDeliveredBefore(edit)).toBe(false);
    const first = applyAuthenticatedEdit(run, edit, TRUSTED);
    expect(first.accepted).toBe(true);
    expect(run.editDeliveredBefore(edit)).toBe(true);
    run.reopenEditedApproval(APPROVAL_ID, 'two approvers', TIMEOUT_MS, {
      rule: 'large-transfer',
      stages: STAGES,
      requesterMayApprove: false,
    });
    receiveEditSignal(run, edit, TRUSTED);
    expect(applyAuthenticatedEdit(run, edit, TRUSTED)).toBe(first);
    const events = run.result().timeline.map((e) => e.event);
    expect(events.filter((e) => e === 'approval_edited')).toHaveLength(1);
    expect(events).not.toContain('approval_ignored');
    expect(run.approval(APPROVAL_ID)!.edits).toBe(1);
  });

  it('takes a new edit to the arguments the step already has as done', () => {
    const same = { from_account: '123', to_account: 'kiran', amount_cents: 600_000 };
    const run = stagedRun();
    run.decide({ approval_id: APPROVAL_ID, approved: true, approver_id: 'bob', groups: ['approvers'] });
    expect(
      applyAuthenticatedEdit(
        run,
        signed({ approval_id: APPROVAL_ID, args: same, edited_by: 'carol', groups: ['approvers'] }),
        TRUSTED,
      ).accepted,
    ).toBe(true);
    expect(run.awaitsPolicyAfterEdit(APPROVAL_ID)).toBe(false);
    expect(run.approval(APPROVAL_ID)!.decisions).toHaveLength(1);
    expect(run.result().timeline.map((e) => e.event)).not.toContain('approval_edited');
  });

  it('records a malformed or unsigned edit signal as ignored and changes nothing', () => {
    const run = stagedRun();
    receiveEditSignal(run, { approval_id: APPROVAL_ID, args: 'not an object' }, TRUSTED);
    const { proof: _proof, ...unsigned } = signed({
      approval_id: APPROVAL_ID,
      args: lowered,
      edited_by: 'carol',
      groups: ['approvers'],
    });
    receiveEditSignal(run, unsigned, TRUSTED);
    const ignored = run.result().timeline.filter((e) => e.event === 'approval_ignored');
    expect(ignored.map((e) => e.metadata?.['reason'])).toEqual(['malformed', DecisionErrorType.Unauthenticated]);
    expect(run.step('transfer').args).toMatchObject({ amount_cents: 600_000 });
  });

  it('renames a transfer named as the planner names it after its new amount, and keeps any other name', () => {
    const named = (name: string) => {
      const run = tickingRun();
      run.adoptPlan({ ...transferPlan, steps: [{ ...transferPlan.steps[0]!, name }] }, RUN_POLICY);
      run.markReady('transfer');
      run.requestApproval('transfer', 'over threshold', TIMEOUT_MS);
      applyAuthenticatedEdit(run, signed({ approval_id: APPROVAL_ID, args: lowered, edited_by: 'alice' }), TRUSTED);
      return run;
    };
    const planned = named('Transfer $6,000.00 → kiran');
    expect(planned.step('transfer').name).toBe('Transfer $4,000.00 → kiran');
    expect(planned.result().timeline.find((e) => e.event === 'approval_edited')?.message).toBe(
      'Transfer $6,000.00 → kiran edited by alice',
    );
    expect(named('Pay the rent').step('transfer').name).toBe('Pay the rent');
  });
});
