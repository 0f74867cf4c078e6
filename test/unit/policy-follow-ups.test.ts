/** The policy fields for reminders, escalation, expiry and out-of-office: what parses, and the timers they give. */
import { describe, expect, it } from 'vitest';
import { followUpsOf, timingOf } from '../../src/shared/policy/follow-ups.js';
import { PolicyDocumentSchema, PolicyOutcomeSchema } from '../../src/shared/policy/schema.js';

const stages = [{ group: 'approvers', count: 1 }];

describe('rule timing fields', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    [
      'all in order',
      { remind_after: '1h', escalate_after: '4h', escalate_to: 'managers', expire_after: '1d' },
      undefined,
    ],
    ['a reminder alone', { remind_after: '30s' }, undefined],
    ['escalation without a group', { escalate_after: '4h' }, 'escalate_to: escalate_after and escalate_to go together'],
    [
      'a group without escalation',
      { escalate_to: 'managers' },
      'escalate_after: escalate_after and escalate_to go together',
    ],
    [
      'a reminder after the escalation',
      { remind_after: '5h', escalate_after: '4h', escalate_to: 'managers' },
      'escalate_after: must be longer than remind_after',
    ],
    [
      'an expiry before the reminder',
      { remind_after: '1h', expire_after: '30m' },
      'expire_after: must be longer than remind_after',
    ],
    ['not a duration', { remind_after: 'soon' }, 'remind_after: must be a duration such as 30s, 15m, 24h or 2d'],
    ['zero', { expire_after: '0s' }, 'expire_after: must be a duration such as 30s, 15m, 24h or 2d'],
  ])('%s', (_name, fields, problem) => {
    const parsed = PolicyOutcomeSchema.safeParse({ stages, ...fields });
    if (problem === undefined) {
      expect(parsed.success).toBe(true);
      return;
    }
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toContain(problem);
  });

  it('gives the timers in the order they fall due, none at or after the expiry, and none for a rule without durations', () => {
    const timing = timingOf({
      stages,
      remind_after: '2s',
      escalate_after: '4s',
      escalate_to: 'managers',
      expire_after: '10m',
    });
    expect(timing).toEqual({
      remind_after_ms: 2_000,
      escalate_after_ms: 4_000,
      escalate_to: 'managers',
      expire_after_ms: 600_000,
    });
    expect(followUpsOf(timing, 600_000)).toEqual([
      { kind: 'remind', after_ms: 2_000 },
      { kind: 'escalate', after_ms: 4_000, group: 'managers' },
    ]);
    // APPROVAL_TIMEOUT shorter than the escalation: the approval expires first, so no escalation timer.
    expect(
      followUpsOf(timingOf({ stages, remind_after: '2s', escalate_after: '1h', escalate_to: 'managers' }), 60_000),
    ).toEqual([{ kind: 'remind', after_ms: 2_000 }]);
    expect(timingOf({ stages })).toBeUndefined();
    expect(followUpsOf(undefined, 60_000)).toEqual([]);
  });
});

describe('out-of-office entries', () => {
  const policy = (entry: Record<string, unknown>) => ({
    id: 'p',
    rules: [{ name: 'r', match: {}, outcome: { allow: true } }],
    out_of_office: [entry],
  });
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['a valid entry', { from: 'alice', to: 'frank', until: '2030-01-01T00:00:00Z' }, undefined],
    [
      'to oneself',
      { from: 'alice', to: 'ALICE', until: '2030-01-01T00:00:00Z' },
      'out_of_office.0.to: from and to must be different people',
    ],
    ['no end', { from: 'alice', to: 'frank' }, 'out_of_office.0.until'],
    ['an end that is not a time', { from: 'alice', to: 'frank', until: 'next week' }, 'out_of_office.0.until'],
  ])('%s', (_name, entry, problem) => {
    const parsed = PolicyDocumentSchema.safeParse(policy(entry));
    if (problem === undefined) {
      expect(parsed.success).toBe(true);
      return;
    }
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toContain(problem);
  });
});
