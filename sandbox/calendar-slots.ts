/**
 * Pure slot finding for the calendar: spreads `count` events across a week (Monday first),
 * starting at 07:00 UTC and moving later, or to another day, around events already booked.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const FIRST_START_MINUTES = 7 * 60;
const LAST_END_MINUTES = 22 * 60;
const STEP_MINUTES = 30;

export interface Interval {
  start: number;
  end: number;
}

/** Milliseconds of 00:00 UTC on `weekStart` (YYYY-MM-DD) when it is a real date and a Monday. */
export function mondayStart(weekStart: string): number | undefined {
  const ms = Date.parse(`${weekStart}T00:00:00.000Z`);
  if (Number.isNaN(ms)) return undefined;
  const d = new Date(ms);
  if (d.toISOString().slice(0, 10) !== weekStart || d.getUTCDay() !== 1) return undefined;
  return ms;
}

export function weekEnd(weekStartMs: number): number {
  return weekStartMs + 7 * DAY;
}

/** Preferred days (0 = Monday) spread evenly: 3 → Mon, Wed, Fri. */
export function spreadDays(count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor((i * 7) / count));
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

function firstFreeSlot(dayStart: number, durationMs: number, busy: readonly Interval[]): Interval | undefined {
  for (let m = FIRST_START_MINUTES; m * MINUTE + durationMs <= LAST_END_MINUTES * MINUTE; m += STEP_MINUTES) {
    const slot = { start: dayStart + m * MINUTE, end: dayStart + m * MINUTE + durationMs };
    if (!busy.some((b) => overlaps(slot, b))) return slot;
  }
  return undefined;
}

/**
 * `count` non-overlapping slots of `durationMinutes` within the week, one per day, none
 * overlapping `busy`; undefined when the week has no room.
 */
export function findSlots(
  weekStartMs: number,
  count: number,
  durationMinutes: number,
  busy: readonly Interval[],
): Interval[] | undefined {
  const taken = [...busy];
  const usedDays = new Set<number>();
  const slots: Interval[] = [];
  for (const preferred of spreadDays(count)) {
    let slot: Interval | undefined;
    for (let offset = 0; offset < 7 && !slot; offset++) {
      const day = (preferred + offset) % 7;
      if (usedDays.has(day)) continue;
      slot = firstFreeSlot(weekStartMs + day * DAY, durationMinutes * MINUTE, taken);
      if (slot) usedDays.add(day);
    }
    if (!slot) return undefined;
    slots.push(slot);
    taken.push(slot);
  }
  return slots.sort((a, b) => a.start - b.start);
}
