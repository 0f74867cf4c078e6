/**
 * Deciding through a one-click link: the link is checked (signature, expiry, the person signed in,
 * the action it was made for, not used yet) before anything is shown or sent, and the decision
 * then takes the ordinary path (out-of-office stand-ins, role, four eyes, the policy's stages, and
 * the run as final judge).
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sameIdentity } from '../../src/shared/identity.js';
import { actionHashOf, verifyLink, type LinkClaims } from '../../src/webhooks/approval-links.js';
import type { Identity } from '../auth.js';
import { ApiError, classifyError } from '../errors.js';
import type { Approvals, DecisionResult } from './approvals.js';
import type { FoundApproval } from '../run-description.js';
import type { Delegations } from './delegations.js';

/** Why a link did nothing, as a page says it. */
export class LinkRefusal extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenedLink {
  claims: LinkClaims;
  /** Whom the decision is made as: the person with the role and groups the link carries. */
  identity: Identity;
  found: FoundApproval;
}

export class LinkDecisions {
  constructor(
    private readonly approvals: Approvals,
    private readonly delegations: Delegations,
    private readonly secret: string | undefined,
  ) {}

  async open(token: string, caller: Identity, nowMs: number): Promise<OpenedLink> {
    if (this.secret === undefined)
      throw new LinkRefusal(
        404,
        'Links are off',
        'This gateway does not accept approval links (APPROVAL_LINK_SECRET is not set).',
      );
    const check = verifyLink(this.secret, token, nowMs);
    if (!check.ok) {
      throw check.reason === 'expired'
        ? new LinkRefusal(
            410,
            'This link has expired',
            'The approval link is past its deadline. Open the approvals inbox to see whether the request still waits.',
          )
        : new LinkRefusal(
            400,
            'This link is not valid',
            'The link was changed or cut short. Use the link exactly as it was sent, or open the approvals inbox.',
          );
    }
    const { claims } = check;
    if (caller.kind === 'token' && !sameIdentity(caller.user_id, claims.p)) {
      throw new LinkRefusal(
        403,
        'This link is for someone else',
        `This link was sent to ${claims.p}; you are signed in as ${caller.user_id}. Links cannot be handed over.`,
      );
    }
    const identity: Identity = claims.r
      ? { kind: 'token', user_id: claims.p, role: claims.r, groups: claims.g }
      : { kind: 'anonymous' };
    let found: FoundApproval;
    try {
      // From the run's memo while the approval waits, so a link works while no worker runs.
      found = await this.approvals.findForDecision(claims.a, identity);
    } catch (err) {
      throw refusalOf(err);
    }
    const { approval } = found;
    if (actionHashOf(approval) !== claims.h) {
      throw new LinkRefusal(
        409,
        'The request has changed',
        'The action was changed after this link was sent, so the link no longer applies. ' +
          'Open the approvals inbox to see the request as it is now.',
      );
    }
    const decidedByPerson =
      (approval.decided_by !== undefined && sameIdentity(approval.decided_by, claims.p)) ||
      (approval.decisions ?? []).some((d) => sameIdentity(d.by, claims.p));
    if (decidedByPerson)
      throw new LinkRefusal(
        409,
        'This link was already used',
        `${claims.p} has already decided this request; nothing was changed.`,
      );
    if (approval.status !== 'pending')
      throw new LinkRefusal(409, 'Already decided', `This request is already ${approval.status}; nothing was changed.`);
    return { claims, identity, found };
  }

  async decide(link: OpenedLink, reason: string | undefined): Promise<DecisionResult> {
    try {
      // As any decision: when the link's person stands in for someone away, that part is handed over first.
      const found = await this.delegations.applyOutOfOffice(link.found, link.identity, link.claims.p);
      return await this.approvals.decide(found, link.identity, {
        approved: link.claims.d === 'approve',
        deciderId: link.claims.p,
        reason,
        // The run checks the hash too: an edit between opening the link and deciding makes it stale.
        ...(link.claims.h !== null && { actionHash: link.claims.h }),
      });
    } catch (err) {
      throw refusalOf(err);
    }
  }
}

function refusalOf(err: unknown): LinkRefusal | unknown {
  const known = err instanceof ApiError ? err : classifyError(err);
  if (!known) return err;
  const title =
    known.status === 404
      ? 'No such request'
      : known.status === 403
        ? 'Not allowed'
        : known.status === 503
          ? 'Try again shortly'
          : 'Nothing was changed';
  return new LinkRefusal(known.status, title, known.message);
}
