/**
 * Adds one-click links to approval.requested before delivery: for each person who may approve the
 * approval now (role, four eyes, the stage's group), an approve and a reject link. People come
 * from the gateway's tokens file (with their roles and groups) or, with auth off, from
 * APPROVAL_LINK_DECIDERS.
 */
import type { Config } from '../config.js';
import { mayApprove } from '../gateway/approvals/inbox.js';
import { TokenTable, type Identity, type TokenFile } from '../gateway/auth.js';
import { ApprovalRecordSchema } from '../shared/contracts.js';
import { NotificationEventType, type NotificationEvent } from '../shared/notifications.js';
import { linksFor, type LinkDecider } from './approval-links.js';

export function gatewayPublicUrl(config: Config): string {
  return config.GATEWAY_PUBLIC_URL ?? `http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}`;
}

function decidersOf(config: Config): LinkDecider[] {
  if (config.GATEWAY_AUTH === 'token' && config.GATEWAY_TOKENS_FILE) {
    const entries: TokenFile[string][] = TokenTable.entriesOf(config.GATEWAY_TOKENS_FILE);
    const byId = new Map(entries.map((e) => [e.user_id, { user_id: e.user_id, role: e.role, ...(e.groups && { groups: e.groups }) }]));
    return [...byId.values()];
  }
  return config.APPROVAL_LINK_DECIDERS.map((user_id) => ({ user_id }));
}

function identityOf(decider: LinkDecider): Identity {
  return decider.role ? { kind: 'token', user_id: decider.user_id, role: decider.role, groups: decider.groups } : { kind: 'anonymous' };
}

/** Undefined without APPROVAL_LINK_SECRET: events go out without links. */
export function linkEnricher(config: Config): ((event: NotificationEvent) => NotificationEvent) | undefined {
  const secret = config.APPROVAL_LINK_SECRET;
  if (secret === undefined) return undefined;
  const deciders = decidersOf(config);
  const baseUrl = gatewayPublicUrl(config);
  return (event) => {
    if (event.type !== NotificationEventType.ApprovalRequested) return event;
    const approval = ApprovalRecordSchema.safeParse(event.data['approval']);
    if (!approval.success) return event;
    const links = deciders
      .filter((d) => mayApprove(approval.data, { identity: identityOf(d), deciderId: d.user_id, groups: d.groups }))
      .map((d) => linksFor(secret, baseUrl, approval.data, d));
    return { ...event, data: { ...event.data, links } };
  };
}
