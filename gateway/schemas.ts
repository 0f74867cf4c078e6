/**
 * The gateway's request and response schemas: validation at the edge and the OpenAPI document
 * are both generated from these, so they cannot drift apart.
 */
// Through @hono/zod-openapi, so that schemas made here carry .openapi() whatever module loads first.
import { z } from '@hono/zod-openapi';
import {
  ApprovalRecordSchema,
  IdentitySchema,
  RunStatusSchema,
  RunViewSchema,
  TimelineEventSchema,
} from '../src/shared/contracts.js';

const optionalId = IdentitySchema.nullish().transform((v) => v ?? undefined);
const messageText = z.string().trim().min(1, 'must not be empty').max(2000);
const reasonText = z
  .string()
  .max(1000)
  .nullish()
  .transform((v) => v ?? undefined);
const actionHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "must be an approval's action_hash: 64 lowercase hex characters")
  .nullish()
  .transform((v) => v ?? undefined)
  .describe(
    'The action_hash of the approval as you saw it: if the action changed since (409 stale_approval), nothing ' +
      'is decided',
  );
/**
 * The original Life-OS client sends the person who decides as a number; both forms are accepted and read as a string.
 */
const personIdOrNumber = z
  .union([IdentitySchema, z.number().int().nonnegative().transform(String)])
  .nullish()
  .transform((v) => v ?? undefined);

export const ChatRequestSchema = z.object({
  message: messageText,
  user_id: optionalId,
  session_id: optionalId,
});

export const ApproveRequestSchema = z.object({
  /** Required when auth is off; with a token it may be left out (the token names the approver). */
  approver_id: optionalId,
  approved: z.boolean(),
  reason: reasonText,
  /**
   * Which approval of the session. Left out, the only pending one; with more than one pending, 409 ambiguous_approval.
   */
  approval_id: z
    .string()
    .min(3)
    .max(300)
    .nullish()
    .transform((v) => v ?? undefined)
    .describe(
      'The approval to decide. Always send it: without it the route decides only when exactly one approval is ' +
        'pending in the session (else 409 ambiguous_approval)',
    ),
  action_hash: actionHash,
});

export const SubmitRequestSchema = z.object({
  /** The request in words, as in the Life-OS API's `intent=` parameter. */
  intent: messageText,
  user_id: optionalId,
  session_id: optionalId,
});

export const DecisionRequestSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  decided_by: personIdOrNumber,
  reason: reasonText,
  action_hash: actionHash,
});

export const EditRequestSchema = z.object({
  args: z
    .record(z.string(), z.unknown())
    .describe("The tool's complete new arguments, checked against its schema (400 names the field)"),
  edited_by: personIdOrNumber,
  reason: reasonText,
  action_hash: actionHash,
});

export const WorkflowIdParamSchema = z.object({ id: IdentitySchema });
export const SessionIdParamSchema = z.object({ session_id: IdentitySchema });
export const ApprovalIdParamSchema = z.object({
  id: z
    .string()
    .min(3)
    .max(300)
    .regex(/^[\p{L}\p{N}@._+:-]+$/u, 'not an approval id'),
});
export const SessionsQuerySchema = z.object({ user_id: optionalId });
/** Documentation only: the stream's optional query parameters (the header wins over last_event_id). */
export const StreamQuerySchema = z.object({
  last_event_id: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional()
    .describe('Resume after this seq, for clients that cannot set Last-Event-ID'),
  ticket: z
    .string()
    .optional()
    .describe(
      'A ticket from POST /api/workflows/{id}/stream-ticket, for EventSource clients that cannot send ' +
        'Authorization (single use, 60 s)',
    ),
});
/** The SSE `Last-Event-ID` header (or `last_event_id` query): a timeline seq. */
export const LastEventIdSchema = z
  .string()
  .regex(/^\d{1,9}$/, 'Last-Event-ID must be a timeline seq (digits only)')
  .transform(Number);

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    pending_approvals: z
      .array(ApprovalRecordSchema)
      .optional()
      .describe('With ambiguous_approval: the approvals the request could mean'),
    current_approval: ApprovalRecordSchema.optional().describe(
      'With stale_approval: the approval as it waits now (its action and action_hash), to look at before deciding',
    ),
  }),
});

export const ReplyStatusSchema = z.enum([
  'RUNNING',
  'PENDING_APPROVAL',
  'COMPLETED',
  'FAILED',
  'REJECTED',
  'CANCELLED',
]);
export type ReplyStatus = z.infer<typeof ReplyStatusSchema>;

/**
 * The reply to a question (balance, transfer history, request status, pending approvals) or a
 * cancel: the tool's result as `data`, its sentence as `message`; on failure only the message.
 */
export const AssistantReplySchema = z
  .object({
    intent: z.enum(['balance', 'transfer_history', 'request_status', 'pending_approvals', 'cancel_request']),
    status: z.enum(['success', 'failed']),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'balance: {account_id, balance_cents}; transfer_history: {account_id, since?, transfers}; ' +
          'request_status: {request}; pending_approvals: {approvals}; cancel_request: {request, cancel_requested}',
      ),
    message: z
      .string()
      .describe('e.g. "Your balance is $50,000.00."; on failure, why (e.g. "You have no request req-1.")'),
  })
  .describe('Reply to a question or a cancel');

export const ChatResponseSchema = z.object({
  reply: z
    .union([AssistantReplySchema, z.record(z.string(), z.unknown())])
    .describe(
      "The banking assistant's reply: PENDING_APPROVAL, a transfer result, not_understood, a per-step summary, " +
        'or the answer to a question or cancel',
    ),
  session_id: z.string(),
  workflow_id: z.string(),
  status: ReplyStatusSchema,
});

export const ApproveResponseSchema = z.object({
  status: z.enum(['approved', 'rejected']),
  session_id: z.string(),
  workflow_id: z.string(),
  approval_id: z.string(),
  result: z.record(z.string(), z.unknown()),
  approved_by: z.string().nullable(),
  decided_by: z.string(),
});

export const SessionStatusResponseSchema = RunViewSchema.extend({ pending_approvals: z.array(ApprovalRecordSchema) });

export const SessionsResponseSchema = z.object({
  sessions: z.array(
    z.object({
      session_id: z.string(),
      user_id: z.string(),
      status: z.string(),
      created_at: z.string(),
      updated_at: z.string(),
    }),
  ),
});

export const SubmitResponseSchema = z.object({
  workflow_id: z.string(),
  session_id: z.string(),
  status: RunStatusSchema,
  intent: z.string(),
});

export const TimelineResponseSchema = z.object({
  workflow_id: z.string(),
  status: RunStatusSchema,
  events: z.array(TimelineEventSchema),
});
export const ApprovalsResponseSchema = z.object({
  approvals: z.array(ApprovalRecordSchema),
  next_cursor: z
    .string()
    .optional()
    .describe('Pass as ?cursor= (with the same filters and sort) for the next page; absent on the last page'),
  total: z.number().int().describe('How many pending approvals match the filters'),
  listed_at: z
    .string()
    .optional()
    .describe(
      'When the visibility read behind this page began; changes made through this gateway since then are ' +
        'already applied',
    ),
});
export const WorkflowApprovalsResponseSchema = z.object({
  workflow_id: z.string(),
  approvals: z.array(ApprovalRecordSchema),
});
export const DecisionResponseSchema = z.object({
  success: z.literal(true),
  message: z.string(),
  approval: ApprovalRecordSchema,
  step_state: z.string(),
});
export const StreamTicketResponseSchema = z.object({
  ticket: z.string().describe('Pass as ?ticket= to GET /api/workflows/{id}/stream; single use'),
  expires_at: z.string().describe('ISO time after which the ticket is refused'),
});
export const HealthResponseSchema = z.object({ status: z.string() });

/** What the web page needs to know about this gateway before it signs anyone in. */
export const PageConfigSchema = z.object({
  temporal_ui_url: z.string(),
  namespace: z.string(),
  auth: z.enum(['off', 'token', 'jwt']),
});

/** 202: no worker took the decision in time; it is kept in the run's history and applied when one returns. */
export const DecisionAcceptedSchema = z
  .object({
    status: z.literal('accepted'),
    applied: z.literal(false),
    approval_id: z.string(),
    workflow_id: z.string(),
    session_id: z.string(),
    decision: z.enum(['approve', 'reject']),
    decided_by: z.string(),
    message: z.string(),
  })
  .describe(
    'The gateway checked the decision against the approval record the run keeps in its memo; the run judges it ' +
      'again when a worker returns and records a refusal in its timeline',
  );

/** 202: the edit is kept for the run (no worker took it, or the policy's answer did not come in time). */
export const EditAcceptedSchema = z
  .object({
    status: z.literal('accepted'),
    applied: z.literal(false),
    taken_by_worker: z
      .boolean()
      .describe(
        "false: no worker answered, the edit waits in the run's history as a signal; true: a worker took it and" +
          ' the policy is judging the edited step',
      ),
    approval_id: z.string(),
    workflow_id: z.string(),
    session_id: z.string(),
    edited_by: z.string(),
    message: z.string(),
  })
  .describe(
    'The gateway checked the edit against the approval record the run keeps in its memo; the run judges it ' +
      'again when it takes it, applies one edit once however often it was sent, and records a refusal in its ' +
      'timeline',
  );

/** One decision of a bulk request, as `POST /api/approvals/{id}/decision` takes it plus the approval's id. */
export const BulkDecisionItemSchema = DecisionRequestSchema.extend({ approval_id: ApprovalIdParamSchema.shape.id });

export const BULK_DECISIONS_MAX = 100;
/** Items are parsed one by one, so one malformed item is answered on its own and spoils nothing else. */
export const BulkDecisionEnvelopeSchema = z.object({ decisions: z.array(z.unknown()).min(1).max(BULK_DECISIONS_MAX) });
/** Documentation: the envelope with its items' schema. */
export const BulkDecisionRequestSchema = z.object({
  decisions: z.array(BulkDecisionItemSchema).min(1).max(BULK_DECISIONS_MAX),
});

export const BulkDecisionResultSchema = z
  .object({
    approval_id: z.string().optional().describe('Absent when the item did not name a valid one'),
    ok: z.boolean(),
    status: z
      .number()
      .int()
      .describe(
        'The status this item would have had on its own: 200 applied, 202 accepted (kept until a worker ' +
          'returns), 4xx/5xx refused',
      ),
    outcome: z
      .enum(['applied', 'accepted', 'already_applied'])
      .optional()
      .describe('already_applied: the approval already carries this decision by this person (a retried list)'),
    approval: ApprovalRecordSchema.optional(),
    step_state: z.string().optional(),
    message: z.string().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .describe("One item's answer; items are answered in the order sent");
export const BulkDecisionResponseSchema = z.object({ results: z.array(BulkDecisionResultSchema) });
