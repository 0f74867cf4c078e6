/**
 * Short-lived, single-use tickets for the SSE stream, so a browser's EventSource (which cannot
 * send headers) never carries the bearer token in a URL, where logs, history and Referer keep it.
 * A ticket names one run and the identity that asked for it; it is kept in this process's memory
 * (one gateway per page: behind a load balancer, route a page's calls to one gateway).
 */
import { randomBytes } from 'node:crypto';
import type { Identity } from './caller-identity.js';

export const STREAM_TICKET_TTL_MS = 60_000;
/** A bound on memory: issuing past it first drops expired tickets, then refuses. */
const MAX_OPEN_TICKETS = 10_000;

interface Issued {
  workflowId: string;
  identity: Identity;
  expiresAt: number;
}

export class StreamTickets {
  private readonly open = new Map<string, Issued>();

  constructor(
    private readonly ttlMs = STREAM_TICKET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new ticket for this run and identity; undefined when too many are open. */
  issue(workflowId: string, identity: Identity): { ticket: string; expires_at: string } | undefined {
    if (this.open.size >= MAX_OPEN_TICKETS) this.dropExpired();
    if (this.open.size >= MAX_OPEN_TICKETS) return undefined;
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.open.set(ticket, { workflowId, identity, expiresAt });
    return { ticket, expires_at: new Date(expiresAt).toISOString() };
  }

  /** The identity the ticket was issued to, once: undefined when unknown, used, expired or for another run. */
  redeem(ticket: string, workflowId: string): Identity | undefined {
    const issued = this.open.get(ticket);
    if (!issued) return undefined;
    this.open.delete(ticket);
    if (issued.expiresAt <= this.now() || issued.workflowId !== workflowId) return undefined;
    return issued.identity;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [ticket, issued] of this.open) if (issued.expiresAt <= now) this.open.delete(ticket);
  }
}
