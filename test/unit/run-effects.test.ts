import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { signEdit } from '../../src/shared/approval-edit.js';
import type { Plan } from '../../src/shared/contracts.js';
import { bytesToHex } from '../../src/shared/decision-signature.js';
import { applyAuthenticatedEdit } from '../../workflows/edit-gate.js';
import { APPROVAL_ID, RUN_POLICY, stagedTransferRun, TIMEOUT_MS, tickingRun, transferPlan } from './run-fixtures.js';

const secret = new Uint8Array(32).fill(7);
const signer = { key_id: '00112233445566bb', secret_key: secret };
const TRUSTED = [
  { key_id: signer.key_id, role: 'gateway' as const, public_key: bytesToHex(ed25519.getPublicKey(secret)) },
];

const lifePlan: Plan = {
  intent: 'life_os',
  steps: [
    { id: 'tailor', name: 'Tailor CV', tool: 'cv_tailor', args: { count: 2 }, risk_level: 'L1', depends_on: [] },
    { id: 'submit', name: 'Submit', tool: 'job_submit', args: { count: 2 }, risk_level: 'L3', depends_on: ['tailor'] },
  ],
};
const cvs = [
  { cv_id: 'cv1', job_id: 'j1', title: 'Backend Engineer', company: 'Acme', text: '' },
  { cv_id: 'cv2', job_id: 'j2', title: 'Platform Engineer', company: 'Globex', text: '' },
];

describe("a run's effects", () => {
  it("an approval and its step say what the transfer does, with the ledger's facts", () => {
    const run = tickingRun();
    run.adoptPlan(transferPlan, RUN_POLICY);
    run.markReady('transfer');
    run.noteLedgerFacts('transfer', { recipientNeverPaid: true, movedInWindowCents: 100_000, window: '24h' });
    const approval = run.requestApproval('transfer', 'over threshold', TIMEOUT_MS);
    const sentence =
      'Send $6,000.00 from account 123 to kiran (first payment to kiran; ' +
      '$1,000.00 already sent without approval in the last 24h)';
    expect(approval.effect).toBe(sentence);
    expect(run.view().approvals[0]?.effect).toBe(sentence);
    expect(run.view().steps[0]?.effect).toBe(sentence);
  });

  it('an approval of job applications names the jobs its dependency tailored CVs for', () => {
    const run = tickingRun();
    run.adoptPlan(lifePlan, RUN_POLICY);
    run.markReady('tailor');
    run.startAttempt('tailor');
    run.recordSuccess('tailor', { cvs });
    run.markReady('submit');
    const approval = run.requestApproval('submit', 'L3', TIMEOUT_MS);
    const tailoredAt = run.step('tailor').finished_at!.slice(11, 16);
    expect(approval.effect).toBe(
      `Submit 2 applications: Backend Engineer at Acme (CV tailored ${tailoredAt} UTC), ` +
        `Platform Engineer at Globex (CV tailored ${tailoredAt} UTC)`,
    );
  });

  it('an edit that still needs approval asks again with the edited effect', () => {
    const run = stagedTransferRun('one approver', 'small-transfer', [{ group: 'approvers', count: 1 }]);
    expect(run.approval(APPROVAL_ID)?.effect).toBe('Send $6,000.00 from account 123 to kiran');
    const args = { from_account: '123', to_account: 'kiran', amount_cents: 250_000 };
    const edit = signEdit(
      { approval_id: APPROVAL_ID, args, edited_by: 'carol', groups: ['approvers'], reason: 'lower' },
      signer,
      '2026-12-01T10:00:05.000Z',
      'effects-edit-nonce-0001',
    );
    expect(applyAuthenticatedEdit(run, edit, TRUSTED).accepted).toBe(true);
    run.noteLedgerFacts('transfer', { recipientNeverPaid: false });
    run.reopenEditedApproval(APPROVAL_ID, 'one approver', TIMEOUT_MS, {
      rule: 'small-transfer',
      stages: [{ group: 'approvers', count: 1 }],
      requesterMayApprove: false,
    });
    const sentence = 'Send $2,500.00 from account 123 to kiran (kiran was paid before)';
    expect(run.approval(APPROVAL_ID)?.effect).toBe(sentence);
    expect(run.step('transfer').args['amount_cents']).toBe(250_000);
    expect(run.view().steps[0]?.effect).toBe(sentence);
  });
});
