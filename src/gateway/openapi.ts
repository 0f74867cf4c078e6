/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests
 * (`z.toJSONSchema`), so the documentation cannot drift from the code.
 */
import { z } from 'zod';
import { ApprovalRecordSchema, RunViewSchema } from '../shared/contracts.js';
import {
  ApprovalIdParamSchema,
  ApprovalsResponseSchema,
  ApproveRequestSchema,
  ApproveResponseSchema,
  BulkDecisionRequestSchema,
  BulkDecisionResponseSchema,
  ChatRequestSchema,
  ChatResponseSchema,
  DecisionAcceptedSchema,
  DecisionRequestSchema,
  EditAcceptedSchema,
  EditRequestSchema,
  DecisionResponseSchema,
  ErrorBodySchema,
  HealthResponseSchema,
  PageConfigSchema,
  SessionIdParamSchema,
  SessionsQuerySchema,
  SessionsResponseSchema,
  SessionStatusResponseSchema,
  StreamQuerySchema,
  StreamTicketResponseSchema,
  SubmitRequestSchema,
  SubmitResponseSchema,
  TimelineResponseSchema,
  WorkflowApprovalsResponseSchema,
  WorkflowIdParamSchema,
} from './schemas.js';
import { InboxQuerySchema } from './approvals/inbox.js';
import { ATTENTION_ROUTE_DOCS } from './attention-schemas.js';
import { DELEGATION_ROUTE_DOCS } from './delegation-schemas.js';
import { WEBHOOK_ROUTE_DOCS } from './webhook-schemas.js';
import { AUDIT_ROUTE_DOCS } from './audit-schemas.js';
import { webhookEventDocs } from './webhook-events-doc.js';

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

export interface RouteDoc {
  method: 'get' | 'post';
  /** OpenAPI style: `/api/workflows/{id}`. */
  path: string;
  summary: string;
  tag: string;
  params?: ObjectSchema;
  query?: ObjectSchema;
  body?: z.ZodType;
  /** Status → schema (JSON) or a content type with a description. */
  ok: z.ZodType | { contentType: string; description: string };
  /** 202: the request is kept for the run, which acts on it when a worker runs. */
  accepted?: z.ZodType;
  errors?: number[];
  idempotencyKey?: boolean;
  lastEventId?: boolean;
  public?: boolean;
}

const IDS = [400, 401, 403, 404];

export const ROUTES: RouteDoc[] = [
  {
    method: 'post',
    path: '/chat',
    tag: 'chat',
    summary: 'Send a chat message: starts a request run and answers when it settles (or RUNNING after the wait budget)',
    body: ChatRequestSchema,
    ok: ChatResponseSchema,
    errors: [400, 401, 403, 409, 413, 503],
    idempotencyKey: true,
  },
  {
    method: 'post',
    path: '/workflow/{session_id}/approve',
    tag: 'chat',
    summary:
      "Decide an approval of the session; answers once the run acted on it. Name it with approval_id: without it, the session's only pending approval is decided, and more than one pending is 409 ambiguous_approval (error.pending_approvals lists them). When no worker takes the decision within 2 s it is checked against the approval record in the run's memo and kept in the run's history: 202 accepted, applied when a worker returns",
    params: SessionIdParamSchema,
    body: ApproveRequestSchema,
    ok: ApproveResponseSchema,
    accepted: DecisionAcceptedSchema,
    errors: [...IDS, 409, 413, 503],
  },
  {
    method: 'get',
    path: '/workflow/{session_id}/status',
    tag: 'chat',
    summary:
      "The session's latest run with its pending approvals. When no worker answers within the query budget (or the worker fails the query), a finished run from its result, an open one as its memo view (`stale: true`: status and pending approvals, message and steps empty)",
    params: SessionIdParamSchema,
    ok: SessionStatusResponseSchema,
    errors: IDS,
  },
  {
    method: 'get',
    path: '/sessions',
    tag: 'chat',
    summary: "A user's sessions (from visibility: eventually consistent)",
    query: SessionsQuerySchema,
    ok: SessionsResponseSchema,
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/workflows/submit',
    tag: 'workflows',
    summary: 'Submit a request (query parameters or JSON body); answers at once',
    query: SubmitRequestSchema,
    body: SubmitRequestSchema,
    ok: SubmitResponseSchema,
    errors: [400, 401, 403, 409, 413, 503],
    idempotencyKey: true,
  },
  {
    method: 'get',
    path: '/api/workflows/{id}',
    tag: 'workflows',
    summary:
      'The run view (the `run` query). When no worker answers within the query budget (or the worker fails the query): a finished run from its result, an open one from its memo and search attributes, marked `stale: true` (status and pending approvals; message and steps empty)',
    params: WorkflowIdParamSchema,
    ok: RunViewSchema,
    errors: IDS,
  },
  {
    method: 'post',
    path: '/api/workflows/{id}/cancel',
    tag: 'workflows',
    summary:
      'Cancel a run that has not finished. 409 already_finished when the run had finished, or finished with nothing left to cancel (a decision or its last step won the race)',
    params: WorkflowIdParamSchema,
    ok: RunViewSchema,
    errors: [...IDS, 409],
  },
  {
    method: 'post',
    path: '/api/workflows/{id}/stream-ticket',
    tag: 'workflows',
    summary:
      "A single-use ticket (60 s) for this run's stream, bound to the caller: EventSource cannot send Authorization, and a bearer token in a URL leaks into logs",
    params: WorkflowIdParamSchema,
    ok: StreamTicketResponseSchema,
    errors: [...IDS, 503],
  },
  {
    method: 'get',
    path: '/api/workflows/{id}/timeline',
    tag: 'workflows',
    summary: "The run's whole timeline",
    params: WorkflowIdParamSchema,
    ok: TimelineResponseSchema,
    errors: IDS,
  },
  {
    method: 'get',
    path: '/api/workflows/{id}/stream',
    tag: 'workflows',
    summary:
      'Server-Sent Events: one event per timeline event (id = seq), resumable with Last-Event-ID, closed after the final event. Authenticate with the Authorization header or ?ticket= (401 for an unknown, used or expired ticket)',
    params: WorkflowIdParamSchema,
    query: StreamQuerySchema,
    ok: {
      contentType: 'text/event-stream',
      description: 'id: <seq>\\nevent: <name>\\ndata: <timeline event JSON>; `: ping` comments every 15 s',
    },
    errors: IDS,
    lastEventId: true,
  },
  {
    method: 'get',
    path: '/api/approvals',
    tag: 'approvals',
    summary:
      'Pending approvals across runs, one page at a time: filters, sort, opaque cursor and total (from visibility: eventually consistent). A bad parameter is 400 naming it',
    query: InboxQuerySchema,
    ok: ApprovalsResponseSchema,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/approvals/workflow/{id}',
    tag: 'approvals',
    summary: "One run's approvals",
    params: WorkflowIdParamSchema,
    ok: WorkflowApprovalsResponseSchema,
    errors: IDS,
  },
  {
    method: 'get',
    path: '/api/approvals/{id}',
    tag: 'approvals',
    summary: 'One approval record',
    params: ApprovalIdParamSchema,
    ok: ApprovalRecordSchema,
    errors: IDS,
  },
  {
    method: 'post',
    path: '/api/approvals/decisions',
    tag: 'approvals',
    summary:
      'Decide several approvals at once (at most 100). Each item is found, checked and delivered as POST /api/approvals/{id}/decision would, and answered on its own in results, in the order sent: one bad item spoils nothing else. A retried list changes nothing more (items already carrying that decision by that person answer already_applied)',
    body: BulkDecisionRequestSchema,
    ok: BulkDecisionResponseSchema,
    errors: [400, 401, 413, 503],
  },
  {
    method: 'post',
    path: '/api/approvals/{id}/decision',
    tag: 'approvals',
    summary:
      "Approve or reject; answers once the run acted on the decision, or at once when an approval only counted towards a stage of the policy (403 when it does not count: outside the stage's group, the requester, or a second approval by the same person). When no worker takes the decision within 2 s it is checked against the approval record in the run's memo and kept in the run's history: 202 accepted, applied when a worker returns",
    params: ApprovalIdParamSchema,
    body: DecisionRequestSchema,
    ok: DecisionResponseSchema,
    accepted: DecisionAcceptedSchema,
    errors: [...IDS, 409, 413, 503],
  },
  {
    method: 'post',
    path: '/api/approvals/{id}/edit',
    tag: 'approvals',
    summary:
      "Edit before approve: replace a waiting step's arguments (checked against the tool's schema, 400 names the field). Allowed to the requester before any decision and to anyone who could approve it now. The run judges the edited step again under its policy: the approval waits again with a new action_hash (decisions sent with the old one are 409 stale_approval, earlier stage approvals no longer count), or closes as cancelled and the step runs or is refused. Recorded as approval_edited with before, after and who. When no worker takes the edit within 2 s it is checked against the approval record in the run's memo and kept in the run's history: 202 accepted, applied when a worker returns (the run judges it again and records a refusal as approval_ignored). The same edit sent again applies once",
    params: ApprovalIdParamSchema,
    body: EditRequestSchema,
    ok: DecisionResponseSchema,
    accepted: EditAcceptedSchema,
    errors: [...IDS, 409, 413, 503],
  },
  ...ATTENTION_ROUTE_DOCS,
  ...DELEGATION_ROUTE_DOCS,
  ...WEBHOOK_ROUTE_DOCS,
  ...AUDIT_ROUTE_DOCS,
  {
    method: 'get',
    path: '/api/config',
    tag: 'web',
    summary: "The web page's settings: Temporal Web UI base URL, namespace, whether tokens are required",
    ok: PageConfigSchema,
    public: true,
  },
  {
    method: 'get',
    path: '/healthz',
    tag: 'health',
    summary: 'The process is up',
    ok: HealthResponseSchema,
    public: true,
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'health',
    summary: 'Temporal is reachable and the inbox listed once',
    ok: HealthResponseSchema,
    errors: [503],
    public: true,
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'docs',
    summary: 'This document',
    ok: { contentType: 'application/json', description: 'OpenAPI 3.1' },
    public: true,
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'docs',
    summary: 'Swagger UI',
    ok: { contentType: 'text/html', description: 'Swagger UI page' },
    public: true,
  },
  {
    method: 'get',
    path: '/',
    tag: 'web',
    summary: 'The web page',
    ok: { contentType: 'text/html', description: 'The chat, inbox and timeline page' },
    public: true,
  },
];

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input (invalid_request, invalid_json)',
  401: 'Missing or unknown bearer token or stream ticket (unauthorized)',
  403: 'Not allowed for this caller (forbidden), or a state change sent from a page on another origin (forbidden_origin)',
  404: 'Unknown id, or one the caller may not see: the same answer for both (not_found)',
  409: 'Not in a state that allows it (conflict, ambiguous_approval, already_finished), or a decision on an action that changed since it was seen (stale_approval)',
  410: 'The approval link has expired (an HTML page)',
  413: 'Body too large (payload_too_large)',
  415: 'Body is not application/json (unsupported_media_type)',
  503: 'Temporal unreachable, the run unresponsive, or too many stream tickets open (temporal_unavailable, run_unresponsive, too_many_tickets)',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(where: 'path' | 'query', schema: ObjectSchema | undefined): unknown[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
    schema: jsonSchema(field as z.ZodType, 'input'),
  }));
}

function operation(route: RouteDoc): Record<string, unknown> {
  const ok =
    route.ok instanceof z.ZodType
      ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.ok, 'output') } } }
      : { description: route.ok.description, content: { [route.ok.contentType]: {} } };
  const responses: Record<string, unknown> = { 200: ok };
  if (route.accepted)
    responses[202] = {
      description: 'Accepted: kept for the run, not yet applied',
      content: { 'application/json': { schema: jsonSchema(route.accepted, 'output') } },
    };
  // Every state change is origin-checked, and every JSON body must say it is JSON.
  const implied = [...(route.method === 'post' ? [403] : []), ...(route.body ? [415] : [])];
  for (const status of [...new Set([...(route.errors ?? []), ...implied])].sort()) {
    responses[status] = {
      description: STATUS_TEXT[status] ?? 'Error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  const headers = [
    ...(route.idempotencyKey
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'The same key (per user) returns the same run',
            schema: { type: 'string', maxLength: 200 },
          },
        ]
      : []),
    ...(route.lastEventId
      ? [
          {
            name: 'Last-Event-ID',
            in: 'header',
            required: false,
            description: 'Resume after this seq',
            schema: { type: 'string', pattern: '^\\d{1,9}$' },
          },
        ]
      : []),
  ];
  return {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
    parameters: [...parameters('path', route.params), ...parameters('query', route.query), ...headers],
    ...(route.body && {
      requestBody: {
        required: route.method === 'post' && !route.query,
        content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
      },
    }),
    responses,
    ...(route.public ? { security: [] } : {}),
  };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    paths[route.path]![route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Approval workflow gateway',
      version: '0.1.0',
      description:
        'Chat and workflow API of the approval-gated workflow engine on Temporal. Errors are `{ "error": { "code", "message" } }`.',
    },
    paths,
    webhooks: webhookEventDocs((schema) => jsonSchema(schema, 'output')),
    components: {
      schemas: { Error: jsonSchema(ErrorBodySchema, 'output') },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'Only when the gateway runs with GATEWAY_AUTH=token (a token from GATEWAY_TOKENS_FILE) or GATEWAY_AUTH=jwt (a JWT signed by JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE)',
        },
      },
    },
    security: [{ bearer: [] }, {}],
  };
}
