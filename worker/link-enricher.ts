/**
 * Adds one-click links to approval.requested before delivery: for each person who may approve the
 * approval now (role, four eyes, the stage's group, or standing in for someone out of office), an
 * approve and a reject link. People come from the gateway's tokens file (with their roles and
 * groups) or, otherwise, from APPROVAL_LINK_DECIDERS (ids only: no role, no groups).
 */
import type { Config } from '../src/runtime/config.js';
import { mayApprove } from '../gateway/approvals/inbox.js';
import { TokenTable, type Identity, type TokenFile } from '../gateway/auth.js';
import { ApprovalRecordSchema, type ApprovalRecord } from '../src/shared/contracts.js';
import { normalizeIdentity } from '../src/shared/identity.js';
import { standInsFor, type StandIn } from '../gateway/approvals/stand-ins.js';
import { NotificationEventType, type NotificationEvent } from '../src/shared/notifications.js';
import { linksFor, type LinkDecider } from '../src/webhooks/approval-links.js';

export function gatewayPublicUrl(config: Config): string {
  return config.GATEWAY_PUBLIC_URL ?? `http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}`;
}

function decidersOf(config: Config): LinkDecider[] {
  if (config.GATEWAY_AUTH === 'token' && config.GATEWAY_TOKENS_FILE) {
    const entries: TokenFile[string][] = TokenTable.entriesOf(config.GATEWAY_TOKENS_FILE);
    // Auditors read the trail; they never decide, so they get no links.
    const byId = new Map(
      entries.flatMap((e) =>
        e.role === 'auditor'
          ? []
          : [[e.user_id, { user_id: e.user_id, role: e.role, ...(e.groups && { groups: e.groups }) }] as const],
      ),
    );
    return [...byId.values()];
  }
  return config.APPROVAL_LINK_DECIDERS.map((user_id) => ({ user_id }));
}

function identityOf(decider: LinkDecider): Identity {
  return decider.role
    ? { kind: 'token', user_id: decider.user_id, role: decider.role, groups: decider.groups }
    : { kind: 'anonymous' };
}

/**
 * In their own right, or as the stand-in of someone away (the decision then hands that part over first, as any
 * decision does).
 */
function mayApproveNow(approval: ApprovalRecord, decider: LinkDecider, standIns: StandIn[]): boolean {
  const caller = {
    identity: identityOf(decider),
    deciderId: decider.user_id,
    groups: decider.groups,
    standIns: standIns.map((s) => s.groups),
  };
  return mayApprove(approval, caller);
}

/** Undefined without APPROVAL_LINK_SECRET: events go out without links. */
export function linkEnricher(config: Config): ((event: NotificationEvent) => NotificationEvent) | undefined {
  const secret = config.APPROVAL_LINK_SECRET;
  if (secret === undefined) return undefined;
  const deciders = decidersOf(config);
  const baseUrl = gatewayPublicUrl(config);
  const groupsById = new Map(deciders.map((d) => [normalizeIdentity(d.user_id), d.groups]));
  const outOfOffice = config.POLICY.document.out_of_office ?? [];
  const standIns = (userId: string) =>
    standInsFor(outOfOffice, userId, (id) => groupsById.get(normalizeIdentity(id)), Date.now());
  return (event) => {
    if (event.type !== NotificationEventType.ApprovalRequested) return event;
    const approval = ApprovalRecordSchema.safeParse(event.data['approval']);
    if (!approval.success) return event;
    const links = deciders
      .filter((d) => mayApproveNow(approval.data, d, standIns(d.user_id)))
      .map((d) => linksFor(secret, baseUrl, approval.data, d));
    return { ...event, data: { ...event.data, links } };
  };
}
