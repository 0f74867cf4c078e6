/**
 * The run's audit outbox: watches the timeline (call `observe` from the publish hook), turns each
 * new event into a fact (audit-facts.ts) and hands the facts of one activation to the `recordAudit`
 * activity in one batch. Signed messages are attached to the first fact they cause (`receive`).
 * The workflow waits for `idle` before it returns, so the trail is complete while the run exists.
 */
import type { AuditFact, SignedMessage, SignedMessageKind } from '../src/audit/audit-record.js';
import type { RequestInput } from '../src/shared/contracts.js';
import { auditFactOf, requestStartedFact, signedMessageFact, type AuditSnapshot } from './audit-facts.js';
import type { RunState } from './run-state.js';

export type AuditSender = (facts: AuditFact[]) => Promise<void>;

export class AuditOutbox {
  #seenSeq = 0;
  #pending: AuditFact[] = [];
  #inFlight = 0;
  #flushScheduled = false;
  #receiving: { signed: SignedMessage; used: boolean } | undefined;
  readonly #send: AuditSender;

  constructor(send: AuditSender, workflowId: string, input: RequestInput, startedAt: string) {
    this.#send = send;
    this.#queue(requestStartedFact(workflowId, input, startedAt));
  }

  get idle(): boolean {
    return this.#inFlight === 0 && this.#pending.length === 0;
  }

  observe(run: AuditSnapshot & Pick<RunState, 'timelineAfter'>): void {
    const events = run.timelineAfter(this.#seenSeq);
    const last = events.at(-1);
    if (last === undefined) return;
    this.#seenSeq = last.seq;
    for (const event of events) {
      const receiving = this.#receiving && !this.#receiving.used ? this.#receiving : undefined;
      if (receiving) receiving.used = true;
      this.#queue(auditFactOf(run, event, receiving?.signed));
    }
  }

  /**
   * Runs `apply` (a gate taking a message from outside) and attaches the message as received to
   * the first fact it causes; a message that caused none is recorded on its own, at `now`.
   */
  receive<T>(kind: SignedMessageKind, message: object, workflowId: string, now: string, apply: () => T): T {
    const proof = (message as { proof?: { key_id?: unknown } }).proof;
    const keyId = typeof proof?.key_id === 'string' ? proof.key_id : undefined;
    const signed: SignedMessage = { kind, ...(keyId !== undefined && { key_id: keyId }), message: { ...message } };
    this.#receiving = { signed, used: false };
    try {
      return apply();
    } finally {
      if (!this.#receiving.used && keyId !== undefined) this.#queue(signedMessageFact(workflowId, signed, now));
      this.#receiving = undefined;
    }
  }

  #queue(fact: AuditFact): void {
    this.#pending.push(fact);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // One activity for everything a workflow activation records: its changes happen in one task.
    void Promise.resolve().then(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const facts = this.#pending;
    this.#pending = [];
    if (facts.length === 0) return;
    this.#inFlight += 1;
    // The sender retries until the store takes the facts; a rejection here can only be the run ending.
    void this.#send(facts)
      .catch(() => undefined)
      .finally(() => {
        this.#inFlight -= 1;
      });
  }
}
