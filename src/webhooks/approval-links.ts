/**
 * One-click approval links: a token naming one approval, the action it was requested for
 * (`action_hash`), one person and one verdict, with an expiry, signed with HMAC-SHA256 under
 * APPROVAL_LINK_SECRET. The worker makes them (for approval.requested), the gateway checks them.
 * Single use comes from the run: a person decides an approval once, so a link that was used finds
 * its person's decision already recorded.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ApprovalRecord } from '../shared/contracts.js';

export const LINK_PATH_PREFIX = '/approval-links/';

const LinkClaimsSchema = z.strictObject({
  /** approval id */
  a: z.string().min(1),
  /** the approval's action_hash when the link was made; null for records without one */
  h: z.string().nullable(),
  /** the person the link is for */
  p: z.string().min(1),
  d: z.enum(['approve', 'reject']),
  /** expiry, Unix seconds */
  e: z.number().int(),
  /** the person's role and groups as the tokens file said when the link was made */
  r: z.enum(['requester', 'approver', 'admin']).optional(),
  g: z.array(z.string()).optional(),
});
export type LinkClaims = z.infer<typeof LinkClaimsSchema>;

/**
 * The approval's action hash, when its record carries one. Hook for action-bound approvals: once
 * approval records carry `action_hash`, links bind to it and a changed action makes them stale.
 */
export function actionHashOf(approval: ApprovalRecord): string | null {
  const record: Record<string, unknown> = approval;
  return typeof record['action_hash'] === 'string' ? record['action_hash'] : null;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`approval-link.v1.${payload}`).digest();
}

export function signLink(secret: string, claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'tampered' | 'expired' };

/** The claims of a token this secret signed and that has not expired at `nowMs`. */
export function verifyLink(secret: string, token: string, nowMs: number): LinkCheck {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return { ok: false, reason: 'tampered' };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'tampered' };
  let parsed;
  try {
    parsed = LinkClaimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'tampered' };
  }
  if (!parsed.success) return { ok: false, reason: 'tampered' };
  if (nowMs >= parsed.data.e * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, claims: parsed.data };
}

export interface LinkDecider {
  user_id: string;
  role?: 'requester' | 'approver' | 'admin';
  groups?: string[];
}

export interface ApprovalLinks {
  person: string;
  approve_url: string;
  reject_url: string;
  expires_at: string;
}

/** Approve and reject links for one person; they expire with the approval. */
export function linksFor(
  secret: string,
  baseUrl: string,
  approval: ApprovalRecord,
  decider: LinkDecider,
): ApprovalLinks {
  const base = {
    a: approval.approval_id,
    h: actionHashOf(approval),
    p: decider.user_id,
    e: Math.floor(Date.parse(approval.expires_at) / 1000),
    ...(decider.role && { r: decider.role }),
    ...(decider.groups && decider.groups.length > 0 && { g: decider.groups }),
  };
  const url = (d: 'approve' | 'reject') =>
    `${baseUrl.replace(/\/$/, '')}${LINK_PATH_PREFIX}${signLink(secret, { ...base, d })}`;
  return {
    person: decider.user_id,
    approve_url: url('approve'),
    reject_url: url('reject'),
    expires_at: approval.expires_at,
  };
}
