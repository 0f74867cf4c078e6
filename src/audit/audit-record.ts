/**
 * An audit record: one fact about a request run (who started it, which plan and policy, each
 * approval asked, decided, edited, handed over or expired, each operator action, each step's
 * outcome), and the hash chain that makes a removed, altered or reordered record detectable.
 * Pure: the store (audit-store.ts), the gateway and `verify-audit` share these definitions.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { asciiBytes, canonicalJson } from '../shared/canonical-json.js';

export const AUDIT_KINDS = [
  'request_started',
  'plan_adopted',
  'approval_requested',
  'approval_progress',
  'approval_decided',
  'approval_edited',
  'approval_delegated',
  'approval_expired',
  'approval_reminder',
  'approval_escalated',
  'message_ignored',
  'operator_action',
  'step_event',
  'step_executed',
  'step_failed',
  'signed_message',
  'run_finished',
] as const;
export const AuditKindSchema = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKindSchema>;

/** The kinds of signed message a run takes from outside, each checked offline by its own signature check. */
export const SIGNED_MESSAGE_KINDS = ['decision', 'edit', 'delegation', 'operator_action', 'revoke'] as const;
export type SignedMessageKind = (typeof SIGNED_MESSAGE_KINDS)[number];

/** A signed message as the run received it, kept whole so its signature can be checked again offline. */
export const SignedMessageSchema = z.object({
  kind: z.enum(SIGNED_MESSAGE_KINDS),
  key_id: z.string().optional(),
  message: z.record(z.string(), z.unknown()),
});
export type SignedMessage = z.infer<typeof SignedMessageSchema>;

/** A fact as the run hands it to the store; `key` makes a second write of the same fact a no-op. */
export const AuditFactSchema = z.object({
  key: z.string().min(1).max(400),
  workflow_id: z.string().min(1),
  kind: AuditKindSchema,
  /** When the fact happened, in the run's (deterministic) clock. */
  at: z.string(),
  /** The person the fact is about: the requester, the decider, the editor, the operator. */
  person: z.string().optional(),
  tool: z.string().optional(),
  step_id: z.string().optional(),
  approval_id: z.string().optional(),
  /** approved, rejected, expired, succeeded, failed, COMPLETED, ... */
  outcome: z.string().optional(),
  summary: z.string(),
  signed: SignedMessageSchema.optional(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditFact = z.infer<typeof AuditFactSchema>;

/** A stored record: the fact, its place in the chain and the hash over both. */
export const AuditRecordSchema = AuditFactSchema.extend({
  seq: z.number().int().positive(),
  recorded_at: z.string(),
  prev_hash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** The `prev_hash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 (hex) of the record's canonical JSON without its own hash: seq, prev_hash and the fact. */
export function recordHash(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...hashed } = record;
  return bytesToHex(sha256(asciiBytes(canonicalJson(hashed))));
}

/** The record that follows `previous` (undefined: the first) in the chain. */
export function chainedRecord(
  fact: AuditFact,
  previous: Pick<AuditRecord, 'seq' | 'hash'> | undefined,
  recordedAt: string,
): AuditRecord {
  const unhashed = {
    ...fact,
    seq: (previous?.seq ?? 0) + 1,
    recorded_at: recordedAt,
    prev_hash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: recordHash(unhashed) };
}
