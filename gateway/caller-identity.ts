/**
 * Who is calling: the roles a token may carry and the identity the auth middleware sets. Kept apart
 * from auth.ts so the token, JWT and stream-ticket modules share these types without importing each other.
 */
/** `auditor` reads the audit trail and simulates policies; it may not start or decide requests. */
export const ROLES = ['requester', 'approver', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export type Identity =
  { kind: 'anonymous' } | { kind: 'token'; user_id: string; role: Role; groups?: string[] | undefined };
