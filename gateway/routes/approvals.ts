/** The Life-OS API's approvals: the inbox, one run's approvals, one approval, and a decision on it. */
import { deciderIdOf } from '../auth.js';
import { decideMany } from '../approvals/bulk-decisions.js';
import { inboxCallerOf, inboxPage, InboxQuerySchema } from '../approvals/inbox.js';
import { acceptedReply, editAcceptedReply } from '../approvals/decision-replies.js';
import { decisionMessage } from '../chat-replies.js';
import type { RouteDeps } from '../context.js';
import { accepted, apiRouter, errors, json, jsonBody, plainSchema, readJsonFirst, routesTagged } from '../openapi.js';
import {
  ApprovalIdParamSchema,
  ApprovalsResponseSchema,
  BulkDecisionEnvelopeSchema,
  BulkDecisionItemSchema,
  BulkDecisionResponseSchema,
  DecisionAcceptedSchema,
  DecisionRequestSchema,
  DecisionResponseSchema,
  EditAcceptedSchema,
  EditRequestSchema,
  WorkflowApprovalsResponseSchema,
  WorkflowIdParamSchema,
} from '../schemas.js';
import { ApprovalRecordSchema } from '../../src/shared/contracts.js';
import { DelegationRequestSchema, DelegationResponseSchema } from '../delegation-schemas.js';
import { mayDecide } from '../approvals/may-decide.js';
import { RevokeRequestSchema, RevokeResponseSchema } from '../revoke-schemas.js';

const route = routesTagged({ tags: ['approvals'] });
const IDS = [400, 401, 403, 404] as const;
const CHANGES = [...IDS, 409, 413, 415, 503] as const;
const KEPT_FOR_THE_RUN =
  "When no worker takes the decision within 2 s it is checked against the approval record in the run's memo " +
  "and kept in the run's history: 202 accepted, applied when a worker returns";

const inbox = route.get('/', {
  summary:
    'Pending approvals across runs, one page at a time: filters, sort, opaque cursor and total (from visibility: ' +
    'eventually consistent). A bad parameter is 400 naming it',
  request: { query: InboxQuerySchema },
  responses: { 200: json(ApprovalsResponseSchema), ...errors(400, 401) },
});

/** Items are parsed one by one (bulk-decisions.ts); the document shows what each item must be. */
const BulkEnvelope = BulkDecisionEnvelopeSchema.extend({
  decisions: BulkDecisionEnvelopeSchema.shape.decisions.openapi({
    items: plainSchema(BulkDecisionItemSchema, 'input'),
  }),
});

const bulkDecisions = route.post('/decisions', {
  summary:
    'Decide several approvals at once (at most 100). Each item is found, checked and delivered as POST ' +
    '/api/approvals/{id}/decision would, and answered on its own in results, in the order sent: one bad item ' +
    'spoils nothing else. A retried list changes nothing more (items already carrying that decision by that ' +
    'person answer already_applied)',
  middleware: [readJsonFirst()] as const,
  request: { body: jsonBody(BulkEnvelope) },
  responses: { 200: json(BulkDecisionResponseSchema), ...errors(400, 401, 403, 413, 415, 503) },
});

const ofRun = route.get('/workflow/{id}', {
  summary: "One run's approvals",
  request: { params: WorkflowIdParamSchema },
  responses: { 200: json(WorkflowApprovalsResponseSchema), ...errors(...IDS) },
});

const one = route.get('/{id}', {
  summary: 'One approval record',
  request: { params: ApprovalIdParamSchema },
  responses: { 200: json(ApprovalRecordSchema), ...errors(...IDS) },
});

const edit = route.post('/{id}/edit', {
  summary:
    "Edit before approve: replace a waiting step's arguments (checked against the tool's schema, 400 names the " +
    'field). Allowed to the requester before any decision and to anyone who could approve it now. The run judges ' +
    'the edited step again under its policy: the approval waits again with a new action_hash (decisions sent ' +
    'with the old one are 409 stale_approval, earlier stage approvals no longer count), or closes as cancelled ' +
    'and the step runs or is refused. Recorded as approval_edited with before, after and who. When no worker ' +
    "takes the edit within 2 s it is checked against the approval record in the run's memo and kept in the " +
    "run's history: 202 accepted, applied when a worker returns (the run judges it again and records a refusal " +
    'as approval_ignored). The same edit sent again applies once',
  middleware: [readJsonFirst(ApprovalIdParamSchema)] as const,
  request: { params: ApprovalIdParamSchema, body: jsonBody(EditRequestSchema) },
  responses: { 200: json(DecisionResponseSchema), 202: accepted(EditAcceptedSchema), ...errors(...CHANGES) },
});

const decision = route.post('/{id}/decision', {
  summary:
    'Approve or reject; answers once the run acted on the decision, or at once when an approval only counted ' +
    "towards a stage of the policy (403 when it does not count: outside the stage's group, the requester, or a " +
    `second approval by the same person). ${KEPT_FOR_THE_RUN}`,
  middleware: [readJsonFirst(ApprovalIdParamSchema)] as const,
  request: { params: ApprovalIdParamSchema, body: jsonBody(DecisionRequestSchema) },
  responses: { 200: json(DecisionResponseSchema), 202: accepted(DecisionAcceptedSchema), ...errors(...CHANGES) },
});

const delegate = route.post('/{id}/delegate', {
  summary:
    'Hand a pending approval to a person or group, with a reason. Only someone who may decide the stage now, and ' +
    'has not approved it, may hand it over; the recipient decides what the delegator could, and four eyes still ' +
    'apply (handing it to the requester is 403)',
  middleware: [readJsonFirst(ApprovalIdParamSchema)] as const,
  request: { params: ApprovalIdParamSchema, body: jsonBody(DelegationRequestSchema) },
  responses: { 200: json(DelegationResponseSchema), ...errors(...CHANGES) },
});

const revoke = route.post('/{id}/revoke', {
  summary:
    "Take back an approval while its step waits out the rule's cooling_off (APPROVED_HOLDING). Allowed to the " +
    'requester and to anyone who could have decided the step. The run answers: revoked (the step is rejected ' +
    'and never runs; its dependents are skipped) or too_late with started_at (the window had ended and the step ' +
    'runs once). 409 when the approval is not holding',
  middleware: [readJsonFirst(ApprovalIdParamSchema)] as const,
  request: { params: ApprovalIdParamSchema, body: jsonBody(RevokeRequestSchema) },
  responses: { 200: json(RevokeResponseSchema), ...errors(...CHANGES) },
});

function afterEdit(status: string): string {
  return status === 'pending' ? 'it waits for approval again' : `approval ${status}`;
}

export function approvalRoutes({ approvals, delegations }: RouteDeps) {
  return apiRouter()
    .openapi(inbox, async (c) => {
      const query = c.req.valid('query');
      const identity = c.get('identity');
      const standIns = delegations.standInGroups(identity);
      const caller = inboxCallerOf(identity, query.decider, standIns);
      const { records, listedAt } = await approvals.pending(identity);
      const page = inboxPage(records, query, caller, Date.now());
      // Only the page's records are returned, so only they are judged for the flag.
      const flagged = page.approvals.map((a) => ({ ...a, may_decide: mayDecide(a, identity, standIns) }));
      return c.json(
        {
          ...page,
          approvals: flagged,
          listed_at: new Date(listedAt).toISOString(),
        },
        200,
      );
    })
    .openapi(bulkDecisions, async (c) => {
      const body = c.req.valid('json');
      return c.json(
        {
          results: await decideMany(approvals, delegations, c.get('identity'), body.decisions),
        },
        200,
      );
    })
    .openapi(ofRun, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(
        {
          workflow_id: id,
          approvals: await approvals.ofRun(id, c.get('identity')),
        },
        200,
      );
    })
    .openapi(one, async (c) => {
      const { id } = c.req.valid('param');
      const { approval } = await approvals.find(id, c.get('identity'));
      return c.json(approval, 200);
    })
    .openapi(edit, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const identity = c.get('identity');
      const editorId = deciderIdOf(identity, body.edited_by, 'edited_by');
      const found = await approvals.findForDecision(id, identity);
      const edited = await approvals.edit(found, identity, {
        args: body.args,
        editorId,
        reason: body.reason,
        actionHash: body.action_hash,
      });
      if (!edited.applied) return c.json(editAcceptedReply(found, editorId, edited.takenByWorker), 202);
      return c.json(
        {
          success: true as const,
          message: `${edited.approval.step_name} edited by ${editorId}; ${afterEdit(edited.approval.status)}`,
          approval: edited.approval,
          step_state: edited.step?.state ?? 'BLOCKED',
        },
        200,
      );
    })
    .openapi(decision, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
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
      if (!decided.applied) return c.json(acceptedReply(decided), 202);
      return c.json(
        {
          success: true as const,
          message: decisionMessage(decided),
          approval: decided.approval,
          step_state: decided.step?.state ?? (decided.approved ? 'RUNNING' : 'REJECTED'),
        },
        200,
      );
    })
    .openapi(revoke, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const identity = c.get('identity');
      const revokerId = deciderIdOf(identity, body.revoked_by, 'revoked_by');
      const found = await approvals.find(id, identity);
      const answer = await approvals.revoke(found, identity, { revokerId, reason: body.reason });
      const message =
        answer.outcome === 'revoked'
          ? `${answer.approval.step_name} revoked by ${revokerId}: it will not run`
          : `too_late: ${answer.approval.step_name} started at ${answer.started_at}`;
      return c.json({ ...answer, message }, 200);
    })
    .openapi(delegate, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
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
      return c.json(
        {
          success: true as const,
          message: `${delegatorId} handed ${approval.step_name} to ${toKind} ${to}`,
          approval,
        },
        200,
      );
    });
}
