/**
 * The step half of a run: its steps and every move of one (attempts, results, errors, operator
 * holds and actions), each recorded in the timeline. Only RunState holds a StepBook and calls it,
 * publishing after each change; RunState's `onMove` hook keeps the run's status in step.
 */
import type { Plan, StepAction, StepState, StepView, TimelineEventName } from '../src/shared/contracts.js';
import { FINAL_STEP_STATES } from '../src/shared/workflow-contracts.js';
import { judgeStepAction, type StepActionVerdict } from './run-attention.js';
import type { RecordEvent } from './run-timeline.js';

export interface StepFailure {
  message: string;
  retryable: boolean;
  type?: string;
}

export class StepBook {
  readonly #steps: StepView[] = [];
  readonly #now: () => string;
  readonly #record: RecordEvent;
  readonly #onMove: (at: string) => void;
  readonly #runId: string | undefined;

  /**
   * `onMove` runs after a step changes state and before the change is recorded; `runId` is the run's
   * first execution run id, which an operator's signed action on a held step must name.
   */
  constructor(now: () => string, recordEvent: RecordEvent, onMove: (at: string) => void, runId?: string) {
    this.#now = now;
    this.#record = recordEvent;
    this.#onMove = onMove;
    this.#runId = runId;
  }

  get all(): readonly StepView[] {
    return this.#steps;
  }

  find(id: string): StepView | undefined {
    return this.#steps.find((s) => s.id === id);
  }

  get(id: string): StepView {
    const found = this.find(id);
    if (!found) throw new Error(`no step ${id}`);
    return found;
  }

  adopt(plan: Plan): void {
    for (const step of plan.steps) this.#steps.push({ ...step, state: 'PENDING', attempts: 0 });
  }

  skip(id: string, blockers: readonly string[]): void {
    this.#move(id, 'SKIPPED', 'step_skipped', `${this.get(id).name} skipped: ${blockers.join(', ')} did not succeed`, {
      blocked_by: blockers,
    });
  }

  markReady(id: string, message = `${this.get(id).name} is ready`): void {
    this.#move(id, 'READY', 'step_ready', message);
  }

  refuse(id: string, reason: string, rule: string): void {
    const step = this.get(id);
    step.error = reason;
    this.#move(id, 'REJECTED', 'step_refused', `${step.name} refused: ${reason}`, { rule, reason });
  }

  block(id: string, reason: string): void {
    this.#move(id, 'BLOCKED', 'step_blocked', `${this.get(id).name} is waiting for approval`, { reason });
  }

  /** Approved under a cooling-off window: waits until `holdUntil`; the approval's own event says so. */
  hold(id: string, holdUntil: string): void {
    this.get(id).hold_until = holdUntil;
    this.#move(id, 'APPROVED_HOLDING', undefined, '');
  }

  /** The cooling-off window ended without a revoke: the step runs now. */
  endHold(id: string): void {
    const step = this.get(id);
    delete step.hold_until;
    this.#move(id, 'READY', 'step_ready', `${step.name} is ready (its cooling-off window ended)`);
  }

  /** Its approval was revoked while it held: rejected, and the approval's event says by whom. */
  revokeHold(id: string, error: string): void {
    const step = this.get(id);
    delete step.hold_until;
    step.error = error;
    this.#move(id, 'REJECTED', undefined, '');
  }

  /** Rejected with its approval: the approval's own event already says why. */
  reject(id: string): void {
    this.#move(id, 'REJECTED', undefined, '');
  }

  /** Skipped by its reviewer: it will not run, and the request goes on without it. */
  skipInReview(id: string, skippedBy: string | undefined): void {
    this.#move(id, 'SKIPPED', 'step_skipped', `${this.get(id).name} skipped in review by ${skippedBy}`, {
      skipped_by: skippedBy,
    });
  }

  startAttempt(id: string): number {
    const step = this.get(id);
    step.attempts += 1;
    this.#move(id, 'RUNNING', 'step_running', `${step.name} is running`, { attempt: step.attempts });
    return step.attempts;
  }

  recordSuccess(id: string, result: unknown): void {
    const step = this.get(id);
    step.result = result;
    delete step.error;
    this.#move(id, 'SUCCEEDED', 'step_succeeded', `${step.name} succeeded`, { attempt: step.attempts });
  }

  recordRetry(id: string, failure: StepFailure, delayMs: number): void {
    const step = this.get(id);
    step.error = failure.message;
    this.#record(
      'step_retrying',
      `${step.name} attempt ${step.attempts} failed (${failure.message}); retrying in ${delayMs} ms`,
      {
        step_id: id,
        metadata: { attempt: step.attempts, delay_ms: delayMs, error: failure.message },
      },
    );
  }

  recordFailure(id: string, failure: StepFailure): void {
    const step = this.get(id);
    step.error = failure.message;
    this.#move(id, 'FAILED', 'step_failed', `${step.name} failed: ${failure.message}`, {
      attempt: step.attempts,
      error_type: failure.type,
      retryable: failure.retryable,
    });
  }

  holdForAttention(id: string, failure: StepFailure, deadlineMs: number): void {
    const step = this.get(id);
    const since = this.#now();
    const deadline = new Date(Date.parse(since) + deadlineMs).toISOString();
    step.error = failure.message;
    step.attention = {
      since,
      deadline,
      last_error: failure.message,
      attempts: step.attempts,
      ...(failure.type !== undefined && { error_type: failure.type }),
      ...(this.#runId !== undefined && { run_id: this.#runId }),
    };
    this.#move(
      id,
      'NEEDS_ATTENTION',
      'step_needs_attention',
      `${step.name} needs attention after ${step.attempts} attempt(s): ${failure.message}`,
      {
        attempt: step.attempts,
        error: failure.message,
        error_type: failure.type,
        deadline,
      },
    );
  }

  judgeAction(action: StepAction): StepActionVerdict {
    return judgeStepAction(this.find(action.step_id), action, this.#now());
  }

  /**
   * Applies an action `judgeAction` allowed, with who and why in its event, and `provenance`: who
   * vouches for it (the signing key and the operator's role).
   */
  applyAction(
    action: StepAction,
    verdict: Extract<StepActionVerdict, { allowed: true }>,
    provenance: Record<string, unknown> = {},
  ): void {
    const step = this.get(action.step_id);
    const who = {
      action: action.action,
      decided_by: action.decided_by,
      ...(action.reason !== undefined && { reason: action.reason }),
      ...provenance,
    };
    const why = action.reason !== undefined ? `: ${action.reason}` : '';
    delete step.attention;
    if (action.action === 'skip') {
      this.#move(step.id, 'SKIPPED', 'step_skipped', `${step.name} skipped by ${action.decided_by}${why}`, who);
    } else if (action.action === 'fail') {
      this.#move(step.id, 'FAILED', 'step_failed', `${step.name} failed by ${action.decided_by}${why}`, {
        ...who,
        error: step.error,
      });
    } else if (verdict.args) {
      const previous = step.args;
      step.args = verdict.args;
      step.edits = (step.edits ?? 0) + 1;
      this.#move(
        step.id,
        'READY',
        'step_ready',
        `${step.name} retried with edited args by ${action.decided_by}${why}`,
        { ...who, previous_args: previous, args: step.args },
      );
    } else {
      this.#move(step.id, 'READY', 'step_ready', `${step.name} retried by ${action.decided_by}${why}`, who);
    }
  }

  /** False when the step was no longer held. */
  expireAttention(id: string): boolean {
    const step = this.get(id);
    if (step.state !== 'NEEDS_ATTENTION') return false;
    const deadline = step.attention?.deadline;
    delete step.attention;
    this.#move(id, 'FAILED', 'step_failed', `${step.name} failed: no operator acted before ${deadline}`, {
      reason: 'attention_deadline',
      deadline,
      error: step.error,
    });
    return true;
  }

  cancelUnfinished(): void {
    for (const step of this.#steps) {
      if (step.finished_at === undefined) this.#move(step.id, 'CANCELLED', undefined, '');
    }
  }

  copies(): StepView[] {
    return this.#steps.map((s) => ({ ...s }));
  }

  #move(
    id: string,
    state: StepState,
    event: TimelineEventName | undefined,
    message: string,
    metadata?: Record<string, unknown>,
  ): void {
    const step = this.get(id);
    step.state = state;
    const at = this.#now();
    if (state === 'RUNNING' && step.started_at === undefined) step.started_at = at;
    if (FINAL_STEP_STATES.includes(state)) step.finished_at = at;
    this.#onMove(at);
    if (event) this.#record(event, message, { step_id: id, ...(metadata && { metadata }) });
  }
}
