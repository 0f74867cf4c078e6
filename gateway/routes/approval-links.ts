/** One-click approval links: GET shows what would be decided, POST to the same URL decides. */
import { $ } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { decisionMessage } from '../chat-replies.js';
import type { RouteDeps } from '../context.js';
import { apiRouter, content, errors, PUBLIC, routesTagged } from '../openapi.js';
import { ApprovalLinkParamSchema } from '../webhook-schemas.js';
import { confirmationPage, outcomePage } from '../approval-link-page.js';
import { LinkDecisions, LinkRefusal } from '../approvals/link-decisions.js';
import { acceptedReply } from '../approvals/decision-replies.js';

function refusalPage(c: Context, err: unknown): Response {
  if (!(err instanceof LinkRefusal)) throw err;
  return c.html(outcomePage(err.title, err.message), err.status);
}

const route = routesTagged({ tags: ['webhooks'], ...PUBLIC });
const params = ApprovalLinkParamSchema;

const show = route.get('/{token}', {
  summary:
    'A one-click approval link: an HTML page showing the action and a form that POSTs to the same URL. Never ' +
    'decides. A link is a bearer credential for its person; a request that proves someone else is signed in (a ' +
    'bearer token, or a JWT under GATEWAY_AUTH=jwt) is 403. 400 tampered, 409 already used, decided or the ' +
    'action changed, 410 expired (each an HTML page)',
  request: { params },
  responses: { 200: content('text/html', 'Confirmation page'), ...errors(400, 403, 404, 409, 410) },
});

const decide = route.post('/{token}', {
  summary:
    "Decides as the link's person (form field reason optional), with the out-of-office, role, four-eyes and " +
    'policy checks of any decision; answers an HTML page. While no worker runs the decision is checked against ' +
    "the approval record in the run's memo and kept in the run's history: 202 and a page saying it applies when " +
    'processing resumes. The same refusals as GET, and a link that was used changes nothing',
  request: { params },
  responses: { 200: content('text/html', 'What was decided'), ...errors(400, 403, 404, 409, 410, 503) },
});

export function approvalLinkRoutes(deps: RouteDeps) {
  const links = new LinkDecisions(deps.approvals, deps.delegations, deps.config.APPROVAL_LINK_SECRET);
  return $(
    apiRouter().use(async (c, next) => {
      await next();
      // A link is a credential: keep it out of caches and out of the Referer of anything the page loads.
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
    }),
  )
    .openapi(show, async (c) => {
      try {
        const link = await links.open(c.req.valid('param').token, c.get('identity'), Date.now());
        return c.html(confirmationPage(link.found.approval, link.claims.p, link.claims.d));
      } catch (err) {
        return refusalPage(c, err);
      }
    })
    .openapi(decide, async (c) => {
      try {
        const link = await links.open(c.req.valid('param').token, c.get('identity'), Date.now());
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
