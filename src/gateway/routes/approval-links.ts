/** One-click approval links: GET shows what would be decided, POST to the same URL decides. */
import { Hono, type Context } from 'hono';
import { decisionMessage } from '../chat-replies.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { confirmationPage, outcomePage } from '../approval-link-page.js';
import { LinkDecisions, LinkRefusal } from '../approvals/link-decisions.js';
import { acceptedReply } from '../approvals/decision-replies.js';

function refusalPage(c: Context, err: unknown): Response {
  if (!(err instanceof LinkRefusal)) throw err;
  return c.html(outcomePage(err.title, err.message), err.status);
}

export function approvalLinkRoutes(deps: RouteDeps) {
  const links = new LinkDecisions(deps.approvals, deps.delegations, deps.config.APPROVAL_LINK_SECRET);
  return new Hono<GatewayEnv>()
    .use(async (c, next) => {
      await next();
      // A link is a credential: keep it out of caches and out of the Referer of anything the page loads.
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
    })
    .get('/:token', async (c) => {
      try {
        const link = await links.open(c.req.param('token'), c.get('identity'), Date.now());
        return c.html(confirmationPage(link.found.approval, link.claims.p, link.claims.d));
      } catch (err) {
        return refusalPage(c, err);
      }
    })
    .post('/:token', async (c) => {
      try {
        const link = await links.open(c.req.param('token'), c.get('identity'), Date.now());
        const form = await c.req.parseBody();
        const reason =
          typeof form['reason'] === 'string' && form['reason'].trim() !== ''
            ? form['reason'].trim().slice(0, 1000)
            : undefined;
        const decided = await links.decide(link, reason);
        if (!decided.applied) return c.html(outcomePage('Accepted', acceptedReply(decided).message), 202);
        return c.html(outcomePage(link.claims.d === 'approve' ? 'Approved' : 'Rejected', decisionMessage(decided)));
      } catch (err) {
        return refusalPage(c, err);
      }
    });
}
