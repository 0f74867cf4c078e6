/**
 * A rule's reminder, escalation and expiry over real HTTP against the real stack, with durations of
 * seconds: the timeline records each, the run calls the notify activity, an escalation changes who
 * may decide, an expiry rejects, and a rule without durations adds no timer to its run's history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { temporal } from '@temporalio/proto';
import { waitFor } from '../../dev/ports.js';
import { getBalanceCents } from '../support/sandbox-ledger.js';
import { call } from '../support/http.js';
import { ALLOW_THE_REST, approversRule, as, startPolicyStack, type PolicyStack } from '../support/policy-stack.js';

const POLICY = {
  id: 'follow-ups-test',
  rules: [
    approversRule('expiring', 300_000, 1, { remind_after: '1s', expire_after: '3s' }),
    approversRule('escalating', 100_000, 1, {
      remind_after: '2s',
      escalate_after: '4s',
      escalate_to: 'managers',
      expire_after: '10m',
    }),
    approversRule('plain', 50_000),
    ...ALLOW_THE_REST,
  ],
};

let policy: PolicyStack;
beforeAll(async () => {
  policy = await startPolicyStack(POLICY);
});
afterAll(async () => {
  await policy?.stop();
});

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
async function historyOf(workflowId: string): Promise<HistoryEvent[]> {
  return (await policy.stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}
/** Markers of the follow-up timers' patch (other patches, such as AwaitingGroups', are not this test's subject). */
const followUpPatches = (events: HistoryEvent[]) =>
  events.filter((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return false;
    const texts = Object.values(marker.details ?? {}).flatMap((p) =>
      (p.payloads ?? []).map((payload) => Buffer.from(payload.data ?? []).toString()),
    );
    return texts.some((text) => text.includes('approval-follow-ups'));
  });
const notifyCalls = (events: HistoryEvent[]) =>
  events
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'notify')
    .map((e) => e.activityTaskScheduledEventAttributes!);

describe('reminders, escalation and expiry from the policy', () => {
  it('reminds, then escalates to managers, who may then decide; each is in the timeline, the record and the notifier', async () => {
    const { workflowId, view } = await policy.chat('owner', 'Transfer 1000 to Kiran');
    const approval = view.approvals[0];
    expect(approval).toMatchObject({
      policy_rule: 'escalating',
      escalate_to: 'managers',
      who_may_decide: { groups: ['approvers'], people: [] },
    });
    expect(Date.parse(approval.remind_at) - Date.parse(approval.requested_at)).toBe(2_000);
    expect(Date.parse(approval.escalate_at) - Date.parse(approval.requested_at)).toBe(4_000);
    expect(Date.parse(approval.expires_at) - Date.parse(approval.requested_at)).toBe(600_000);

    const early = await policy.decide('dana', approval.approval_id, 'approve');
    expect(early.status).toBe(403);
    expect(early.body.error.message).toContain('dana is not in group approvers');

    await policy.waitForEvent(workflowId, 'approval_reminder');
    const events = await policy.waitForEvent(workflowId, 'approval_escalated');
    const reminder = events.find((e) => e.event === 'approval_reminder')!;
    const escalated = events.find((e) => e.event === 'approval_escalated')!;
    expect(Date.parse(reminder.timestamp)).toBeGreaterThanOrEqual(Date.parse(approval.remind_at));
    expect(Date.parse(escalated.timestamp)).toBeGreaterThanOrEqual(Date.parse(approval.escalate_at));
    expect(escalated.metadata).toMatchObject({
      escalated_to: 'managers',
      who_may_decide: { groups: ['approvers', 'managers'], people: [] },
    });

    const waitingOnManagers = await waitFor(
      async () => {
        const listed = policy.stack.client.workflow.list({
          query: `WorkflowId='${workflowId}' AND AwaitingGroups='managers'`,
        });
        for await (const info of listed) return info.searchAttributes;
        return undefined;
      },
      { timeoutMs: 20_000, what: 'the run listed as awaiting managers' },
    );
    expect(waitingOnManagers['AwaitingGroups']).toEqual(['approvers', 'managers']);

    const escalatedView = await policy.runView(workflowId);
    expect(escalatedView.approvals[0]).toMatchObject({
      escalated_to: 'managers',
      reminded_at: expect.any(String),
      escalated_at: expect.any(String),
    });

    // The paged inbox reads the escalation from the record in the memo: a manager finds it with escalated=true and may decide it.
    const managersInbox = await waitFor(
      async () => {
        const res = await call(
          policy.stack.baseUrl,
          'GET',
          '/api/approvals?escalated=true&can_decide=true',
          undefined,
          as('dana'),
        );
        return res.body.approvals?.find((a: { approval_id: string }) => a.approval_id === approval.approval_id);
      },
      { timeoutMs: 20_000, what: 'the escalated approval in the managers inbox' },
    );
    expect(managersInbox).toMatchObject({ escalated_to: 'managers', may_decide: true });

    const before = await getBalanceCents(policy.stack.sandbox.url, 'kiran');
    const manager = await policy.decide('dana', approval.approval_id, 'approve');
    expect(manager.status).toBe(200);
    expect(manager.body).toMatchObject({
      step_state: 'SUCCEEDED',
      approval: { status: 'approved', decided_by: 'dana' },
    });
    expect(await getBalanceCents(policy.stack.sandbox.url, 'kiran')).toBe(before + 100_000);

    const history = await historyOf(workflowId);
    // The run asks no patch of its history (docs/decisions/no-patches-before-deploy.md).
    expect(followUpPatches(history)).toEqual([]);
    const notified = notifyCalls(history);
    const types = notified.map((a) => JSON.parse(Buffer.from(a.input!.payloads![0]!.data!).toString()).type);
    expect(types).toEqual(['approval.reminder', 'approval.escalated']);
  });

  it('expires after expire_after and rejects the step (deny by default); nothing moves', async () => {
    const before = await getBalanceCents(policy.stack.sandbox.url, 'kiran');
    const { workflowId, view } = await policy.chat('owner', 'Transfer 3000 to Kiran');
    expect(view.approvals[0]).toMatchObject({ policy_rule: 'expiring', status: 'pending' });
    expect(Date.parse(view.approvals[0].expires_at) - Date.parse(view.approvals[0].requested_at)).toBe(3_000);
    const events = await policy.waitForEvent(workflowId, 'approval_expired');
    expect(events.map((e) => e.event).filter((e) => e.startsWith('approval_'))).toEqual([
      'approval_required',
      'approval_reminder',
      'approval_expired',
    ]);
    const final = await policy.runView(workflowId);
    expect(final.status).toBe('REJECTED');
    expect(final.approvals[0]).toMatchObject({ status: 'expired' });
    expect(final.approvals[0].who_may_decide).toBeUndefined();
    const late = await policy.decide('alice', view.approvals[0].approval_id, 'approve');
    expect(late.status).toBe(409);
    expect(await getBalanceCents(policy.stack.sandbox.url, 'kiran')).toBe(before);
  });

  it('adds no timer, marker or notification to a run whose rule sets no durations', async () => {
    const { workflowId, view } = await policy.chat('owner', 'Transfer 500 to Kiran');
    expect(view.approvals[0]).toMatchObject({ policy_rule: 'plain' });
    expect(view.approvals[0].remind_at).toBeUndefined();
    const decided = await policy.decide('alice', view.approvals[0].approval_id, 'approve');
    expect(decided.body.step_state).toBe('SUCCEEDED');
    const history = await historyOf(workflowId);
    expect(followUpPatches(history)).toEqual([]);
    expect(notifyCalls(history)).toEqual([]);
    // The only timer is the approval's own expiry.
    expect(history.filter((e) => e.timerStartedEventAttributes != null)).toHaveLength(1);
  });
});
