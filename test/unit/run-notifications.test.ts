/** Which run changes a webhook subscriber hears of, driven by RunState with a recording sender. */
import { describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../src/shared/notifications.js';
import { NotificationOutbox } from '../../workflows/run-notifications.js';
import { APPROVAL_ID, approve, blockTransfer, tickingRun } from './run-fixtures.js';

function observed(enabled = true) {
  const sent: NotificationEvent[] = [];
  const settle: (() => void)[] = [];
  const outbox = new NotificationOutbox();
  if (enabled) {
    outbox.enable((event) => {
      sent.push(event);
      return new Promise<void>((resolve) => settle.push(resolve));
    });
  }
  const run = tickingRun(10, (state) => outbox.observe(state));
  return { run, sent, outbox, settle };
}

describe('NotificationOutbox', () => {
  it.each([
    ['approved', true, ['approval.requested', 'approval.decided', 'run.completed']],
    ['rejected', false, ['approval.requested', 'approval.decided', 'run.failed']],
  ])('a transfer %s announces the request, the decision and the outcome', (_name, approved, types) => {
    const { run, sent } = observed();
    blockTransfer(run);
    run.decide(approve('manager@bank.com', approved));
    run.resolveGate(APPROVAL_ID);
    if (approved) {
      run.startAttempt('transfer');
      run.recordSuccess('transfer', {});
    }
    run.finish();
    expect(sent.map((e) => e.type)).toEqual(types);
    expect(sent[0]).toMatchObject({
      workflow_id: 'req-1',
      data: { approval: { approval_id: APPROVAL_ID, status: 'pending', amount_cents: 600_000 } },
    });
    expect(sent[1]).toMatchObject({
      data: { approval: { status: approved ? 'approved' : 'rejected', decided_by: 'manager@bank.com' } },
    });
    expect(sent[2]!.data).toMatchObject({
      status: approved ? 'COMPLETED' : 'REJECTED',
      user_id: 'alice',
      intent: 'money_transfer',
    });
  });

  it('derives event ids from the run and the timeline, so a replay sends the same ids', () => {
    const first = observed();
    const second = observed();
    for (const { run } of [first, second]) blockTransfer(run);
    expect(first.sent.map((e) => e.event_id)).toEqual(second.sent.map((e) => e.event_id));
    expect(first.sent[0]!.event_id).toMatch(/^req-1:\d+$/);
  });

  it('announces an expiry, and ignores a decision the run refused', () => {
    const { run, sent } = observed();
    blockTransfer(run);
    run.decide(approve('alice'));
    run.expireApproval(APPROVAL_ID);
    expect(sent.map((e) => e.type)).toEqual(['approval.requested', 'approval.expired']);
  });

  it('is idle only once every delivery it started has ended', async () => {
    const { run, outbox, settle } = observed();
    expect(outbox.idle).toBe(true);
    blockTransfer(run);
    expect(outbox.idle).toBe(false);
    settle.forEach((resolve) => resolve());
    await Promise.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(outbox.idle).toBe(true);
  });

  it('sends nothing until enabled (runs planned without a subscriber)', () => {
    const { run, sent, outbox } = observed(false);
    blockTransfer(run);
    run.finish();
    expect(sent).toEqual([]);
    expect(outbox.idle).toBe(true);
  });
});
