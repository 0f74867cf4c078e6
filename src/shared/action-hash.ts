/**
 * What an approval approves: a SHA-256 over the step's tool, its arguments and the policy decision
 * that asked for the approval (the rule and its stages). A decision may carry the hash the
 * approver saw; when the action changed since (edited arguments, a new policy decision) the hash
 * no longer matches and the decision is refused as stale. Pure and deterministic (@noble/hashes,
 * no Node crypto, no text encoder), so the workflow bundle, the gateway and tests share it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { asciiBytes, canonicalJson } from './canonical-json.js';
import { bytesToHex } from './decision-signature.js';

const ACTION_HASH_VERSION = 'action-v1';

export interface BoundAction {
  tool: string;
  args: Record<string, unknown>;
  /** The policy rule that asked for approval; absent for runs without a policy. */
  rule?: string | undefined;
  /** The rule's stages as asked for (group and count), in order. */
  stages?: readonly { group: string; count: number }[] | undefined;
}

/** 64 lowercase hex characters. */
export const ACTION_HASH_PATTERN = /^[0-9a-f]{64}$/;

export function actionHashOf(action: BoundAction): string {
  const stages = action.stages?.map((s) => ({ group: s.group, count: s.count })) ?? null;
  const text = canonicalJson([ACTION_HASH_VERSION, action.tool, action.args, action.rule ?? null, stages]);
  return bytesToHex(sha256(asciiBytes(text)));
}
