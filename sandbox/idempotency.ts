/**
 * The one implementation of idempotent writes, shared by every write endpoint.
 *
 * A record per (scope, key) holds the hash of the normalised request and the response that was
 * given. Inside one IMMEDIATE transaction: the same key with the same request returns the stored
 * response and changes nothing; the same key with another request is a conflict (409); a new key
 * runs the write and stores its response, success or business refusal alike, so a retry gets the
 * same answer. If the write throws, the transaction rolls back and nothing is stored.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { canonicalJson } from '../src/shared/canonical-json.js';
import type { SandboxDb } from './db.js';
import { errorBody } from './http.js';

export interface StoredResponse {
  status: ContentfulStatusCode;
  body: unknown;
}

export interface IdempotentOutcome extends StoredResponse {
  /** True when the response is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

interface RecordRow {
  request_hash: string;
  status: number;
  body: string;
}

/** Runs `write` at most once per (scope, key); see the module comment. */
export type IdempotentWrite = (
  scope: string,
  key: string,
  request: unknown,
  write: () => StoredResponse,
) => IdempotentOutcome;

/** Prepares the statements once and returns the idempotent-write function for `db`. */
export function createIdempotentWrite(db: SandboxDb): IdempotentWrite {
  const select = db.prepare<[string, string], RecordRow>(
    'SELECT request_hash, status, body FROM idempotency_records WHERE scope = ? AND key = ?',
  );
  const insert = db.prepare(
    'INSERT INTO idempotency_records (scope, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const run = db.transaction(
    (scope: string, key: string, hash: string, write: () => StoredResponse): IdempotentOutcome => {
      const existing = select.get(scope, key);
      if (existing) {
        if (existing.request_hash !== hash) {
          return {
            status: 409,
            body: errorBody(`Idempotency-Key ${key} was already used with a different request`),
            replayed: false,
          };
        }
        return {
          status: existing.status as ContentfulStatusCode,
          body: JSON.parse(existing.body) as unknown,
          replayed: true,
        };
      }
      const response = write();
      insert.run(scope, key, hash, response.status, JSON.stringify(response.body), new Date().toISOString());
      return { ...response, replayed: false };
    },
  );
  return (scope, key, request, write) => run.immediate(scope, key, requestHash(request), write);
}

/** SHA-256 of the request in a canonical JSON form (object keys sorted). */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

/** Sends an idempotent outcome; a replay is marked with `Idempotent-Replayed: true`. */
export function sendOutcome(c: Context, outcome: IdempotentOutcome): Response {
  if (outcome.replayed) c.header('Idempotent-Replayed', 'true');
  return c.json(outcome.body, outcome.status);
}
