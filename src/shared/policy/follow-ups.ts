/**
 * What happens to an approval that nobody decides: a rule may remind, escalate to another group,
 * and expire it sooner or later than APPROVAL_TIMEOUT. Pure: the workflow and the unit tests share it.
 */
import { parseDuration } from '../duration.js';
import type { PolicyOutcome } from './schema.js';

/** Durations after the approval was requested, in milliseconds. */
export interface ApprovalTiming {
  remind_after_ms?: number;
  escalate_after_ms?: number;
  escalate_to?: string;
  expire_after_ms?: number;
  /** After approval, how long the step waits before it runs (a window to revoke the approval). */
  cooling_off_ms?: number;
}

export type FollowUp = { kind: 'remind'; after_ms: number } | { kind: 'escalate'; after_ms: number; group: string };

type StagedOutcome = Extract<PolicyOutcome, { stages: unknown }>;

/** The rule's timing, or undefined when it sets none (such runs get no extra timers). */
export function timingOf(outcome: StagedOutcome): ApprovalTiming | undefined {
  const ms = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text));
  const timing: ApprovalTiming = {};
  const remind = ms(outcome.remind_after);
  const escalate = ms(outcome.escalate_after);
  const expire = ms(outcome.expire_after);
  if (remind !== undefined) timing.remind_after_ms = remind;
  if (escalate !== undefined && outcome.escalate_to !== undefined) {
    timing.escalate_after_ms = escalate;
    timing.escalate_to = outcome.escalate_to;
  }
  if (expire !== undefined) timing.expire_after_ms = expire;
  const coolingOff = ms(outcome.cooling_off);
  if (coolingOff !== undefined) timing.cooling_off_ms = coolingOff;
  return Object.keys(timing).length > 0 ? timing : undefined;
}

/** Reminder and escalation in the order they fall due; none that would fall at or after the expiry. */
export function followUpsOf(timing: ApprovalTiming | undefined, expiresAfterMs: number): FollowUp[] {
  if (!timing) return [];
  const followUps: FollowUp[] = [];
  if (timing.remind_after_ms !== undefined) followUps.push({ kind: 'remind', after_ms: timing.remind_after_ms });
  if (timing.escalate_after_ms !== undefined && timing.escalate_to !== undefined) {
    followUps.push({ kind: 'escalate', after_ms: timing.escalate_after_ms, group: timing.escalate_to });
  }
  return followUps.filter((f) => f.after_ms < expiresAfterMs).sort((a, b) => a.after_ms - b.after_ms);
}
