/** POLICY_FILE: the approval policy read from JSON, validated, and fingerprinted for each run. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { issueLines } from '../shared/zod-issues.js';
import { PolicyDocumentSchema, type PolicyDocument, type RunPolicy } from '../shared/policy/schema.js';
import { ConfigError } from './config-error.js';

/** Reads and validates a policy file; the error names the file and each bad field. */
export function readPolicyFile(path: string): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(
      `invalid configuration:\n  POLICY_FILE ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const parsed = PolicyDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = issueLines(parsed.error.issues, '(root)').map((line) => `  POLICY_FILE ${path}: ${line}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The policy with its id and the SHA-256 of its JSON as parsed, which each run records. */
export function runPolicyOf(document: PolicyDocument): RunPolicy {
  return { id: document.id, hash: createHash('sha256').update(JSON.stringify(document)).digest('hex'), document };
}
