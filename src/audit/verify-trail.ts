/**
 * Offline verification of an audit export: every line parses as a record, the chain is unbroken
 * (seq counts up from 1, each prev_hash is the hash of the line before, each hash is the record's
 * own), and every signed message checks against the public keys given. Pure: no store, no
 * network, so an auditor needs only the export, the public keys and this file.
 */
import { checkActionProof } from '../shared/action-signature.js';
import { checkEditProof } from '../shared/approval-edit.js';
import { ApprovalEditSchema } from '../shared/workflow-contracts.js';
import { checkDecisionProof } from '../shared/decision-signature.js';
import { checkDelegationProof } from '../shared/delegation-signature.js';
import { checkRevokeProof } from '../shared/approval/revoke.js';
import {
  ApprovalDecisionSchema,
  ApprovalDelegationSchema,
  ApprovalRevokeSchema,
  StepActionSchema,
  type TrustedDecisionKey,
} from '../shared/workflow-contracts.js';
import { AuditRecordSchema, GENESIS_HASH, recordHash, type AuditRecord, type SignedMessage } from './audit-record.js';

export interface TrailFailure {
  /** 1-based line of the export. */
  line: number;
  /** The failing record's seq and key, when the line parsed that far. */
  seq?: number;
  key?: string;
  problem: string;
}

export interface TrailVerdict {
  records: number;
  signed: number;
  /** The first record that fails; absent when the whole export verifies. */
  failure?: TrailFailure;
}

/** Whether a signed message's signature is valid for one of `keys`; the problem when not. */
export function signatureProblem(
  workflowId: string,
  signed: SignedMessage,
  keys: readonly TrustedDecisionKey[],
): string | undefined {
  const check = (() => {
    switch (signed.kind) {
      case 'decision': {
        const parsed = ApprovalDecisionSchema.safeParse(signed.message);
        return parsed.success ? checkDecisionProof(parsed.data, keys) : undefined;
      }
      case 'edit': {
        const parsed = ApprovalEditSchema.safeParse(signed.message);
        return parsed.success ? checkEditProof(parsed.data, keys) : undefined;
      }
      case 'delegation': {
        const parsed = ApprovalDelegationSchema.safeParse(signed.message);
        return parsed.success ? checkDelegationProof(parsed.data, keys) : undefined;
      }
      case 'operator_action': {
        const parsed = StepActionSchema.safeParse(signed.message);
        return parsed.success ? checkActionProof(workflowId, parsed.data, keys) : undefined;
      }
      case 'revoke': {
        const parsed = ApprovalRevokeSchema.safeParse(signed.message);
        return parsed.success ? checkRevokeProof(parsed.data, keys) : undefined;
      }
    }
  })();
  if (check === undefined) return `the signed ${signed.kind} is not a well-formed ${signed.kind}`;
  if (!check.valid) return `the signed ${signed.kind} does not verify: ${check.message}`;
  return undefined;
}

/**
 * Checks records one line at a time, in chain order, keeping only the last good record: the
 * gateway verifies its whole store page by page with it, `verifyTrail` a file's lines.
 */
export class TrailVerifier {
  records = 0;
  signed = 0;
  #previous: AuditRecord | undefined;
  #line = 0;
  readonly #keys: readonly TrustedDecisionKey[];

  constructor(keys: readonly TrustedDecisionKey[]) {
    this.#keys = keys;
  }

  /** The last record that verified: the chain's head so far. */
  get head(): Pick<AuditRecord, 'seq' | 'hash'> | undefined {
    return this.#previous && { seq: this.#previous.seq, hash: this.#previous.hash };
  }

  /** Checks the next line (blank lines count as lines but hold no record); the failure, if it fails. */
  check(text: string): TrailFailure | undefined {
    this.#line += 1;
    if (text.trim() === '') return undefined;
    const line = this.#line;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { line, problem: 'the line is not JSON' };
    }
    const parsed = AuditRecordSchema.safeParse(json);
    const at = (json ?? {}) as { seq?: unknown; key?: unknown };
    const where = {
      line,
      ...(typeof at.seq === 'number' && { seq: at.seq }),
      ...(typeof at.key === 'string' && { key: at.key }),
    };
    if (!parsed.success) return { ...where, problem: 'the line is not an audit record' };
    const record = parsed.data;
    const previous = this.#previous;
    const expectedSeq = (previous?.seq ?? 0) + 1;
    if (record.seq !== expectedSeq)
      return {
        ...where,
        problem: `seq ${record.seq} where ${expectedSeq} was expected: a record is missing or out of order`,
      };
    if (record.prev_hash !== (previous?.hash ?? GENESIS_HASH))
      return {
        ...where,
        problem: 'prev_hash is not the hash of the record before: a record is missing, altered or out of order',
      };
    // Over the line as written, so a member added to it counts as an alteration too.
    if (recordHash(json as AuditRecord) !== record.hash)
      return { ...where, problem: 'the hash does not match the record: it was altered' };
    if (record.signed?.key_id !== undefined) {
      const problem = signatureProblem(record.workflow_id, record.signed, this.#keys);
      if (problem !== undefined) return { ...where, problem };
      this.signed += 1;
    }
    this.records += 1;
    this.#previous = record;
    return undefined;
  }
}

/** Verifies an export's lines in order and stops at the first failure. */
export function verifyTrail(lines: readonly string[], keys: readonly TrustedDecisionKey[]): TrailVerdict {
  const verifier = new TrailVerifier(keys);
  for (const text of lines) {
    const failure = verifier.check(text);
    if (failure) return { records: verifier.records, signed: verifier.signed, failure };
  }
  return { records: verifier.records, signed: verifier.signed };
}
