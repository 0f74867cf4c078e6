/** The Life-OS API's approvals: the inbox, one run's approvals, one approval, and a decision on it. */
import { Hono } from 'hono';
import { deciderIdOf } from '../auth.js';
import { decideMany } from '../approvals/bulk-decisions.js';
import { inboxCallerOf, inboxPage, InboxQuerySchema } from '../approvals/inbox.js';
import { acceptedReply, editAcceptedReply } from '../approvals/decision-replies.js';
import { decisionMessage } from '../chat-replies.js';
import type { GatewayEnv, RouteDeps } from '../context.js';
import { reply } from '../reply.js';
import {
  ApprovalIdParamSchema,
  ApprovalsResponseSchema,
  BulkDecisionEnvelopeSchema,
  BulkDecisionResponseSchema,
  DecisionAcceptedSchema,
  DecisionRequestSchema,
  DecisionResponseSchema,
  EditAcceptedSchema,
  EditRequestSchema,
  WorkflowApprovalsResponseSchema,
  WorkflowIdParamSchema,
} from '../schemas.js';
import { ApprovalRecordSchema } from '../../shared/contracts.js';
import { parseJsonBody, parseParams, parseQuery } from '../validation.js';
import { DelegationRequestSchema, DelegationResponseSchema } from '../delegation-schemas.js';
import { mayDecide } from '../approvals/may-decide.js';

export function approvalRoutes({ approvals, delegations }: RouteDeps) {
  return new Hono<GatewayEnv>()
    .get('/', async (c) => {
      const query = parseQuery(c, InboxQuerySchema);
      const identity = c.get('identity');
      const standIns = delegations.standInGroups(identity);
      const caller = inboxCallerOf(identity, query.decider, standIns);
      const { records, listedAt } = await approvals.pending(identity);
      const page = inboxPage(records, query, caller, Date.now());
      // Only the page's records are returned, so only they are judged for the flag.
      const flagged = page.approvals.map((a) => ({ ...a, may_decide: mayDecide(a, identity, standIns) }));
      return reply(c, ApprovalsResponseSchema, {
        ...page,
        approvals: flagged,
        listed_at: new Date(listedAt).toISOString(),
      });
    })
    .post('/decisions', async (c) => {
      const body = await parseJsonBody(c, BulkDecisionEnvelopeSchema);
      return reply(c, BulkDecisionResponseSchema, {
        results: await decideMany(approvals, delegations, c.get('identity'), body.decisions),
      });
    })
    .get('/workflow/:id', async (c) => {
      const { id } = parseParams(c, WorkflowIdParamSchema);
      return reply(c, WorkflowApprovalsResponseSchema, {
        workflow_id: id,
        approvals: await approvals.ofRun(id, c.get('identity')),
      });
    })
    .get('/:id', async (c) => {
      const { id } = parseParams(c, ApprovalIdParamSchema);
      const { approval } = await approvals.find(id, c.get('identity'));
      return reply(c, ApprovalRecordSchema, approval);
    })
    .post('/:id/edit', async (c) => {
      const { id } = parseParams(c, ApprovalIdParamSchema);
      const body = await parseJsonBody(c, EditRequestSchema);
      const identity = c.get('identity');
      const editorId = deciderIdOf(identity, body.edited_by, 'edited_by');
      const found = await approvals.findForDecision(id, identity);
      const edited = await approvals.edit(found, identity, {
        args: body.args,
        editorId,
        reason: body.reason,
        actionHash: body.action_hash,
      });
      if (!edited.applied)
        return reply(c, EditAcceptedSchema, editAcceptedReply(found, editorId, edited.takenByWorker), 202);
      return reply(c, DecisionResponseSchema, {
        success: true,
        message: `${edited.approval.step_name} edited by ${editorId}; ${edited.approval.status === 'pending' ? 'it waits for approval again' : `approval ${edited.approval.status}`}`,
        approval: edited.approval,
        step_state: edited.step?.state ?? 'BLOCKED',
      });
    })
    .post('/:id/decision', async (c) => {
      const { id } = parseParams(c, ApprovalIdParamSchema);
      const body = await parseJsonBody(c, DecisionRequestSchema);
      const identity = c.get('identity');
      const deciderId = deciderIdOf(identity, body.decided_by, 'decided_by');
      const found = await delegations.applyOutOfOffice(
        await approvals.findForDecision(id, identity),
        identity,
        deciderId,
      );
      const decided = await approvals.decide(found, identity, {
        approved: body.decision === 'approve',
        deciderId,
        reason: body.reason,
        actionHash: body.action_hash,
      });
      if (!decided.applied) return reply(c, DecisionAcceptedSchema, acceptedReply(decided), 202);
      return reply(c, DecisionResponseSchema, {
        success: true,
        message: decisionMessage(decided),
        approval: decided.approval,
        step_state: decided.step?.state ?? (decided.approved ? 'RUNNING' : 'REJECTED'),
      });
    })
    .post('/:id/delegate', async (c) => {
      const { id } = parseParams(c, ApprovalIdParamSchema);
      const body = await parseJsonBody(c, DelegationRequestSchema);
      const identity = c.get('identity');
      const delegatorId = deciderIdOf(identity, body.delegated_by, 'delegated_by');
      const [to, toKind] =
        body.to_person !== undefined ? [body.to_person, 'person' as const] : [body.to_group!, 'group' as const];
      const approval = await delegations.delegate(await approvals.find(id, identity), identity, {
        delegatorId,
        to,
        toKind,
        reason: body.reason,
      });
      approvals.noteHandedOver(approval);
      return reply(c, DelegationResponseSchema, {
        success: true,
        message: `${delegatorId} handed ${approval.step_name} to ${toKind} ${to}`,
        approval,
      });
    });
}
