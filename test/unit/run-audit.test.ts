/** What a run hands the audit store, driven by RunState with a recording sender. */
import { describe, expect, it } from 'vitest';
import type { AuditFact } from '../../src/audit/audit-record.js';
import { AuditOutbox } from '../../workflows/run-audit.js';
import { APPROVAL_ID, approve, blockTransfer, INPUT, START, tickingRun } from './run-fixtures.js';

function observed() {
  const batches: AuditFact[][] = [];
  const settle: (() => void)[] = [];
  const outbox = new AuditOutbox(
    (facts) => {
      batches.push(facts);
      return new Promise<void>((resolve) => settle.push(resolve));
    },
    'req-1',
    INPUT,
    new Date(START).toISOString(),
  );
  const run = tickingRun(10, (state) => outbox.observe(state));
  return { run, batches, outbox, settle };
}

/** Lets the outbox's microtask flush run. */
const flushed = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('AuditOutbox', () => {
  it('sends the facts of one activation in one batch, each keyed by the run and its timeline seq', async () => {
    const { run, batches, outbox, settle } = observed();
    blockTransfer(run);
    expect(outbox.idle).toBe(false);
    await flushed();
    expect(batches).toHaveLength(1);
    const kinds = batches[0]!.map((f) => f.kind);
    expect(kinds[0]).toBe('request_started');
    expect(kinds).toContain('plan_adopted');
    expect(kinds).toContain('approval_requested');
    expect(batches[0]!.map((f) => f.key)).toEqual([
      'req-1:started',
      ...run.timelineAfter(0).map((e) => `req-1:${e.seq}`),
    ]);
    settle.forEach((resolve) => resolve());
    await flushed();
    expect(outbox.idle).toBe(true);
  });

  it('attaches a received decision to the fact it causes, with the person and outcome', async () => {
    const { run, batches, outbox } = observed();
    blockTransfer(run);
    const decision = approve('manager@bank.com');
    outbox.receive('decision', decision, 'req-1', 'now', () => run.decide(decision));
    await flushed();
    const decided = batches.flat().find((f) => f.kind === 'approval_decided');
    expect(decided).toMatchObject({ person: 'manager@bank.com', outcome: 'approved', approval_id: APPROVAL_ID });
    expect(decided?.signed).toMatchObject({ kind: 'decision', message: { approver_id: 'manager@bank.com' } });
  });

  it('records a signed message that changed nothing on its own', async () => {
    const { batches, outbox } = observed();
    const signed = {
      ...approve('x'),
      proof: { key_id: 'k1', issued_at: 'now', nonce: 'n', signature: 'ab'.repeat(32) },
    };
    outbox.receive('decision', signed, 'req-1', '2026-12-01T10:00:00.000Z', () => undefined);
    await flushed();
    expect(batches.flat().find((f) => f.kind === 'signed_message')).toMatchObject({
      key: `req-1:signed:${'ab'.repeat(16)}`,
      signed: { kind: 'decision', key_id: 'k1' },
    });
  });
});
