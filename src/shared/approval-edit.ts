/**
 * Edit before approve: who may amend a blocked step's arguments, whether the new arguments fit the
 * tool, and the signed form an edit travels in. An edit is signed under its own payload version, so
 * its signature can never be replayed as a decision's (or a decision's as an edit's). Pure and
 * deterministic, shared by the gateway (checks first, no round trip) and the workflow (final judge).
 */
import { z } from 'zod';
import {
  checkProof,
  signedFieldsBytes,
  signProof,
  withoutProof,
  type DecisionSigner,
  type ProofCheck,
} from './signed-proof.js';
import { DecisionErrorType } from './messages.js';
import { sameIdentity } from './identity.js';
import { checkDecider } from './policy.js';
import { judgeQuorumDecision, quorumOfRecord } from './policy/quorum.js';
import {
  DecisionProofSchema,
  IdentitySchema,
  ToolArgsSchemas,
  type DecisionProof,
  type TrustedDecisionKey,
} from './workflow-contracts.js';
import type { ApprovalRecord } from './contracts.js';
import { issueLines } from './zod-issues.js';

const EDIT_PAYLOAD_VERSION = 'approval-edit-v1';

export const ApprovalEditSchema = z.strictObject({
  approval_id: z.string().min(1).max(300),
  /** The tool's complete new arguments; checked against the tool's schema. */
  args: z.record(z.string(), z.unknown()),
  edited_by: IdentitySchema,
  reason: z.string().max(1000).optional(),
  /** The editor's groups as the gateway authenticated them; an approver's eligibility is checked against these. */
  groups: z.array(IdentitySchema).max(50).optional(),
  /** The approval's `action_hash` as the editor saw it; an edit of a changed action is refused as stale. */
  action_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 32 bytes as lowercase hex')
    .optional(),
  proof: DecisionProofSchema.optional(),
});
export type ApprovalEdit = z.infer<typeof ApprovalEditSchema>;
export type UnsignedEdit = Omit<ApprovalEdit, 'proof'>;

export type EditVerdict =
  { allowed: true; args: Record<string, unknown> } | { allowed: false; type: DecisionErrorType; message: string };

/** `field: why` for each problem of `args` as arguments of `tool`; empty when they fit. */
export function toolArgsProblems(tool: keyof typeof ToolArgsSchemas, args: unknown): string[] {
  const parsed = ToolArgsSchemas[tool].safeParse(args);
  return parsed.success ? [] : issueLines(parsed.error.issues, 'args', 'args');
}

/**
 * Whether `edit` may amend `approval` at `now`: it still waits, the editor saw this action (when
 * they sent a hash), the new arguments fit the tool, and the editor may edit: the requester only
 * before anyone decided, anyone else only if they could approve it now.
 */
export function judgeEdit(
  approval: Readonly<ApprovalRecord> | undefined,
  edit: UnsignedEdit,
  now: string,
): EditVerdict {
  const refuse = (type: DecisionErrorType, message: string): EditVerdict => ({ allowed: false, type, message });
  if (!approval) return refuse(DecisionErrorType.UnknownApproval, `No approval ${edit.approval_id} in this run`);
  if (approval.status !== 'pending')
    return refuse(
      DecisionErrorType.AlreadyDecided,
      `Approval ${approval.approval_id} is already ${approval.status}; it can no longer be edited`,
    );
  if (edit.action_hash !== undefined && edit.action_hash !== approval.action_hash) {
    return refuse(
      DecisionErrorType.Stale,
      `Approval ${approval.approval_id} changed since you saw it (action_hash differs): look at it again before editing`,
    );
  }
  if (Date.parse(now) >= Date.parse(approval.expires_at))
    return refuse(DecisionErrorType.Expired, `Approval ${approval.approval_id} expired at ${approval.expires_at}`);
  const problems = toolArgsProblems(approval.tool, edit.args);
  if (problems.length > 0)
    return refuse(DecisionErrorType.InvalidArgs, `Invalid args for ${approval.tool}: ${problems.join('; ')}`);
  const who = edit.edited_by;
  if (sameIdentity(who, approval.requested_by)) {
    if ((approval.decisions?.length ?? 0) > 0) {
      return refuse(
        DecisionErrorType.Forbidden,
        `${who} requested this step and may edit it only before any decision (${approval.decisions!.length} made)`,
      );
    }
    return { allowed: true, args: edit.args };
  }
  const quorum = quorumOfRecord(approval);
  if (quorum) {
    const verdict = judgeQuorumDecision(quorum, approval.requested_by, {
      approver_id: who,
      approved: true,
      groups: edit.groups,
    });
    if (verdict.kind === 'refuse')
      return refuse(DecisionErrorType.Forbidden, `${who} may not edit: ${verdict.message}`);
  } else {
    const check = checkDecider({ tool: approval.tool }, approval.requested_by, who, true);
    if (!check.allowed) return refuse(DecisionErrorType.Forbidden, `${who} may not edit: ${check.reason}`);
  }
  return { allowed: true, args: edit.args };
}

/** The exact bytes an edit's signature covers (ASCII JSON, so the workflow needs no text encoder). */
export function editSigningBytes(edit: UnsignedEdit, proof: Omit<DecisionProof, 'signature'>): Uint8Array {
  const { approval_id, args, edited_by, reason, groups, action_hash } = edit;
  return signedFieldsBytes(
    EDIT_PAYLOAD_VERSION,
    [approval_id, args, edited_by, reason ?? null, groups ?? null, action_hash ?? null],
    proof,
  );
}

export function signEdit(edit: UnsignedEdit, signer: DecisionSigner, issuedAt: string, nonce: string): ApprovalEdit {
  const unsigned = withoutProof(edit as ApprovalEdit);
  return { ...unsigned, proof: signProof(signer, issuedAt, nonce, (proof) => editSigningBytes(unsigned, proof)) };
}

/** The trusted key that signed `edit`, or why none did; never throws. */
export function checkEditProof(edit: ApprovalEdit, trustedKeys: readonly TrustedDecisionKey[]): ProofCheck {
  return checkProof('Edit', edit.proof, (proof) => editSigningBytes(withoutProof(edit), proof), trustedKeys);
}
