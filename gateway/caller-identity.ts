/**
 * Who is calling: the roles a token may carry and the identity the auth middleware sets. Kept apart
 * from auth.ts so the token, JWT and stream-ticket modules share these types without importing each other.
 */
export const ROLES = ['requester', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Identity =
  { kind: 'anonymous' } | { kind: 'token'; user_id: string; role: Role; groups?: string[] | undefined };
