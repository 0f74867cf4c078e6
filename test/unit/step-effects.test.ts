import { describe, expect, it } from 'vitest';
import {
  stepEffect,
  type EffectDependency,
  type EffectStep,
  type TransferFacts,
} from '../../src/shared/step-effects.js';

const search: EffectDependency = {
  tool: 'job_search',
  result: {
    query: 'backend engineer',
    total: 3,
    jobs: [
      { id: 'j1', title: 'Backend Engineer', company: 'Acme' },
      { id: 'j2', title: 'Platform Engineer', company: 'Globex' },
      { id: 'j3', title: 'API Engineer', company: 'Initech' },
    ],
  },
  finished_at: '2026-12-08T09:12:00.000Z',
};
const tailored: EffectDependency = {
  tool: 'cv_tailor',
  result: {
    cvs: [
      { cv_id: 'cv1', job_id: 'j1', title: 'Backend Engineer', company: 'Acme', text: '…' },
      { cv_id: 'cv2', job_id: 'j2', title: 'Platform Engineer', company: 'Globex', text: '…' },
    ],
  },
  finished_at: '2026-12-08T09:19:42.000Z',
};
const transfer: EffectStep = {
  tool: 'bank_transfer',
  args: { from_account: '123', to_account: 'kiran', amount_cents: 600_000 },
};

describe('stepEffect', () => {
  it.each<[string, EffectStep, EffectDependency[], TransferFacts, string]>([
    ['a transfer with nothing else known', transfer, [], {}, 'Send $6,000.00 from account 123 to kiran'],
    [
      'a first payment, with the window and the request sum',
      transfer,
      [],
      { recipientNeverPaid: true, movedInWindowCents: 100_000, window: '24h', requestTransferSumCents: 700_000 },
      'Send $6,000.00 from account 123 to kiran (first payment to kiran; $7,000.00 in all in this request; ' +
        '$1,000.00 already sent without approval in the last 24h)',
    ],
    [
      'a recipient paid before, alone in its request, nothing moved in the window',
      transfer,
      [],
      { recipientNeverPaid: false, movedInWindowCents: 0, requestTransferSumCents: 600_000 },
      'Send $6,000.00 from account 123 to kiran (kiran was paid before)',
    ],
    [
      'job applications before they run: the tailored CVs name the jobs',
      { tool: 'job_submit', args: { count: 2 } },
      [tailored],
      {},
      'Submit 2 applications: Backend Engineer at Acme (CV tailored 09:19 UTC), ' +
        'Platform Engineer at Globex (CV tailored 09:19 UTC)',
    ],
    [
      'job applications fewer than the CVs',
      { tool: 'job_submit', args: { count: 1 } },
      [search, tailored],
      {},
      'Submit 1 application: Backend Engineer at Acme (CV tailored 09:19 UTC)',
    ],
    [
      'job applications once submitted: what was sent',
      {
        tool: 'job_submit',
        args: { count: 2 },
        result: { applications: [{ job_id: 'j2', cv_id: 'cv2' }] },
      },
      [search],
      {},
      'Submit 1 application: Platform Engineer at Globex',
    ],
    [
      'job applications whose dependencies have no result yet',
      { tool: 'job_submit', args: { count: 2 } },
      [{ tool: 'cv_tailor' }],
      {},
      'Submit 2 applications',
    ],
    [
      'CVs for the jobs found',
      { tool: 'cv_tailor', args: { count: 2 } },
      [search],
      {},
      'Tailor 2 CVs: Backend Engineer at Acme, Platform Engineer at Globex',
    ],
    [
      'CVs before the search ran',
      { tool: 'cv_tailor', args: { count: 2 } },
      [{ tool: 'job_search' }],
      {},
      'Tailor 2 CVs',
    ],
    [
      'a job search',
      { tool: 'job_search', args: { query: 'backend engineer', count: 2 } },
      [],
      {},
      'Search for 2 jobs matching “backend engineer” (read only)',
    ],
    [
      'gym sessions before they are booked',
      { tool: 'calendar_create', args: { title: 'Gym', count: 3, week_start: '2026-12-07', duration_minutes: 60 } },
      [],
      {},
      'Create 3 Gym sessions of 60 min in the week of 2026-12-07',
    ],
    [
      'gym sessions once booked',
      {
        tool: 'calendar_create',
        args: { title: 'Gym', count: 3, week_start: '2026-12-07', duration_minutes: 60 },
        result: {
          events: [
            { start: '2026-12-07T18:00:00.000Z' },
            { start: '2026-12-09T18:00:00.000Z' },
            { start: '2026-12-11T18:00:00.000Z' },
          ],
        },
      },
      [],
      {},
      'Create 3 Gym sessions: Mon 18:00, Wed 18:00, Fri 18:00',
    ],
    [
      'a grocery plan',
      { tool: 'grocery_plan', args: { days: 7, people: 1 } },
      [],
      {},
      'Plan groceries for 1 person over 7 days',
    ],
    [
      'a grocery plan with its list',
      { tool: 'grocery_plan', args: { days: 3, people: 2 }, result: { items: [{ name: 'rice' }, { name: 'eggs' }] } },
      [],
      {},
      'Plan groceries for 2 people over 3 days (2 items)',
    ],
    [
      'a balance',
      { tool: 'account_balance', args: { account_id: '123' } },
      [],
      {},
      'Read the balance of account 123 (read only)',
    ],
    [
      'a transfer history',
      { tool: 'transfer_history', args: { account_id: '123', limit: 10, since: '2026-12-01' } },
      [],
      {},
      'Read the last 10 transfers of account 123 since 2026-12-01 (read only)',
    ],
    [
      'a request status',
      { tool: 'request_status', args: {} },
      [],
      {},
      'Read the status of your latest other request (read only)',
    ],
    ['pending approvals', { tool: 'pending_approvals', args: {} }, [], {}, 'List your pending approvals (read only)'],
    ['a cancel', { tool: 'cancel_request', args: { workflow_id: 'req-1' } }, [], {}, 'Cancel request req-1'],
  ])('%s', (_case, step, dependencies, facts, sentence) => {
    expect(stepEffect(step, dependencies, facts)).toBe(sentence);
  });

  it('names at most five jobs and counts the rest', () => {
    const cvs = Array.from({ length: 7 }, (_, i) => ({ cv_id: `cv${i}`, job_id: `j${i}`, title: `Job ${i}` }));
    expect(stepEffect({ tool: 'job_submit', args: { count: 7 } }, [{ tool: 'cv_tailor', result: { cvs } }])).toBe(
      'Submit 7 applications: Job 0, Job 1, Job 2, Job 3, Job 4 and 2 more',
    );
  });

  it('shortens the sentence, never throws, on results of an unexpected shape', () => {
    for (const result of [null, 42, 'text', [], { cvs: 'none' }, { cvs: [null, 7, { job_id: 3 }] }]) {
      expect(stepEffect({ tool: 'job_submit', args: { count: 2 } }, [{ tool: 'cv_tailor', result }])).toBe(
        'Submit 2 applications',
      );
    }
  });
});
