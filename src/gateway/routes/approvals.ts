/** Seed 2's approvals: the inbox, one run's approvals, one approval, and a decision on it. */
import { Hono } from 'hono';
import type { RunView } from '../../shared/contracts.js';
import { parseApprovalId } from '../../shared/definitions.js';
import { assertCanRead, canSeeAllUsers } from '../auth.js';
import { decisionMessage } from '../chat-replies.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { decide } from '../decisions.js';
import { ApiError } from '../errors.js';
import { ApprovalIdParamSchema, ApprovalsQuerySchema, DecisionRequestSchema, WorkflowIdParamSchema } from '../schemas.js';
import { deciderIdOf } from './chat.js';
import { parseJsonBody, parseParams, parseQuery } from '../validation.js';
import type { Runs } from '../runs.js';

/** The run an approval id names, and the record in it; 404 when either is unknown. */
export async function findApproval(runs: Runs, approvalId: string) {
  const ids = parseApprovalId(approvalId);
  if (!ids) throw ApiError.notFound(`No approval ${approvalId}`);
  let view: RunView;
  try {
    view = await runs.getRun(ids.workflowId);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) throw ApiError.notFound(`No approval ${approvalId}`);
    throw err;
  }
  const approval = view.approvals.find((a) => a.approval_id === approvalId);
  if (!approval) throw ApiError.notFound(`No approval ${approvalId}`);
  return { view, approval };
}

export function approvalRoutes(deps: RouteDeps) {
  return new Hono<GatewayEnv>()
    .get('/', async (c) => {
      parseQuery(c, ApprovalsQuerySchema);
      const identity = c.get('identity');
      const owner = canSeeAllUsers(identity) || identity.kind !== 'token' ? undefined : identity.user_id;
      return c.json({ approvals: await deps.listings.pendingApprovals(owner) });
    })
    .get('/workflow/:id', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      const view = await deps.runs.getRun(id);
      assertCanRead(c.get('identity'), view.user_id);
      return c.json({ workflow_id: id, approvals: view.approvals });
    })
    .get('/:id', async (c) => {
      const { id } = parseParams(c, ApprovalIdParamSchema);
      const { view, approval } = await findApproval(deps.runs, id);
      assertCanRead(c.get('identity'), view.user_id, 'this approval');
      return c.json(approval);
    })
    .post('/:id/decision', async (c) => {
      const { id } = parseParams(c, ApprovalIdParamSchema);
      const body = await parseJsonBody(c, DecisionRequestSchema);
      const identity = c.get('identity');
      const deciderId = deciderIdOf(identity, body.decided_by, 'decided_by');
      const { view, approval } = await findApproval(deps.runs, id);
      const decided = await decide(
        deps.runs,
        identity,
        { view, approval, approved: body.decision === 'approve', deciderId, reason: body.reason },
        deps.config.CHAT_WAIT_MS,
      );
      return c.json({
        success: true as const,
        message: decisionMessage(decided),
        approval: decided.approval,
        step_state: decided.outcome?.step.state ?? (decided.approved ? 'RUNNING' : 'REJECTED'),
      });
    });
}
