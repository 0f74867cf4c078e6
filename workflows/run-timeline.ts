/** A run's timeline: append-only, numbered from 1. Written only by RunState and its ApprovalBook. */
import type { TimelineEvent, TimelineEventName } from '../src/shared/contracts.js';

export interface EventDetails {
  step_id?: string;
  approval_id?: string;
  metadata?: Record<string, unknown>;
}

export type RecordEvent = (event: TimelineEventName, message: string, details?: EventDetails) => void;

export class Timeline {
  readonly #events: TimelineEvent[] = [];

  append(event: TimelineEventName, message: string, timestamp: string, details: EventDetails = {}): void {
    this.#events.push({
      seq: this.#events.length + 1,
      event,
      message,
      timestamp,
      ...(details.step_id !== undefined && { step_id: details.step_id }),
      ...(details.approval_id !== undefined && { approval_id: details.approval_id }),
      metadata: details.metadata ?? {},
    });
  }

  /** Events with `seq` greater than the argument. */
  after(seq: number): TimelineEvent[] {
    return this.#events.slice(Math.max(0, seq));
  }
}
