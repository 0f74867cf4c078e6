import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/shared/contracts.js';
import { RUN_POLICY, TIMEOUT_MS, tickingRun, transferPlan } from './run-fixtures.js';

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
});
