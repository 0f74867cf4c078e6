/**
 * Expiry is exact: a decision that reaches the run at or after the approval's `expires_at` (by
 * workflow time) is refused and the approval expires, even when it is processed before the
 * approval's timer. Stopping the worker makes that order certain: the timer fires on the server,
 * the decision arrives after it, and the next worker sees both in one workflow task.
 */
import { describe, expect, it } from 'vitest';
import type { RunView } from '../../src/shared/contracts.js';
import { DecisionErrorType, timelineQuery, waitSettledUpdate } from '../../src/shared/messages.js';
import { waitFor } from '../../dev/ports.js';
import { ledgerEntries } from '../support/sandbox-ledger.js';
import { realActivities, startRequestRun, startTestWorker, uniqueId } from '../support/temporal.js';
import { useClient, useSandbox } from '../support/fixtures.js';
import { decideBySignal } from '../support/decisions.js';

const sandbox = useSandbox();
const client = useClient();

describe('approval expiry', () => {
  it('refuses a decision sent after expires_at that the run sees before its timer, and expires the approval', async () => {
    const taskQueue = uniqueId('expiry');
    const activities = realActivities(sandbox.url, { approval_timeout_ms: 1_000 });
    const first = await startTestWorker({ activities, taskQueue });
    const handle = await startRequestRun(client, taskQueue, 'Transfer 6000 to Kiran');
    const pending = await handle.executeUpdate(waitSettledUpdate);
    const approval = pending.approvals[0]!;
    expect(approval.status).toBe('pending');
    await first.stop();

    const timerFired = async () =>
      (await handle.fetchHistory()).events?.some((e) => e.timerFiredEventAttributes != null);
    await waitFor(timerFired, { timeoutMs: 20_000, what: 'the approval timer to fire' });
    const ledgerBefore = (await ledgerEntries(sandbox.url, 'kiran')).length;
    await decideBySignal(handle, approval, { approved: true, approver_id: 'manager@bank.com' });

    const second = await startTestWorker({ activities, taskQueue });
    try {
      const final = (await handle.result()) as RunView;
      expect(final.status).toBe('REJECTED');
      expect(final.approvals[0]).toMatchObject({ status: 'expired' });
      expect(final.approvals[0]!.decided_by).toBeUndefined();
      expect(final.steps[0]).toMatchObject({ state: 'REJECTED', attempts: 0 });
      const timeline = await handle.query(timelineQuery, 0);
      const gate = timeline.filter((e) => e.event.startsWith('approval_')).map((e) => e.event);
      expect(gate).toEqual(['approval_required', 'approval_ignored', 'approval_expired']);
      const ignored = timeline.find((e) => e.event === 'approval_ignored')!;
      expect(ignored.metadata).toMatchObject({ reason: DecisionErrorType.Expired, approver_id: 'manager@bank.com' });
      expect(Date.parse(ignored.timestamp)).toBeGreaterThanOrEqual(Date.parse(approval.expires_at));
      expect((await ledgerEntries(sandbox.url, 'kiran')).length).toBe(ledgerBefore);
    } finally {
      await second.stop();
    }
  });
});
