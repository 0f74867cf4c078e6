/**
 * The webhook events a subscriber receives, for the OpenAPI document's `webhooks` section: each
 * event's JSON body (as the notify activity sends it) and the Standard Webhooks headers that sign it.
 * Documentation only: the workflow builds the events (run-notifications.ts, approval-follow-ups.ts).
 */
import { z } from 'zod';
import { ApprovalRecordSchema, RunStatusSchema } from '../src/shared/contracts.js';
import { NotificationEventType } from '../src/shared/notifications.js';

const LinksSchema = z
  .array(z.object({ person: z.string(), approve_url: z.string(), reject_url: z.string(), expires_at: z.string() }))
  .describe(
    'With APPROVAL_LINK_SECRET: for each person who may approve now (a stand-in for someone out of office too), ' +
      'signed single-use links bound to the approval, its action_hash and that person',
  );

const ApprovalDataSchema = z.object({ approval: ApprovalRecordSchema });

const FollowUpDataSchema = z.object({
  approval_id: z.string(),
  step_name: z.string(),
  effect: z.string().optional().describe("What the step will do, in plain words (the approval record's `effect`)"),
  requested_by: z.string(),
  amount: z.number().optional(),
  recipient: z.string().optional(),
  progress: z.string().optional(),
  who_may_decide: z.object({ groups: z.array(z.string()), people: z.array(z.string()) }).optional(),
  escalated_to: z.string().optional().describe('approval.escalated only: the group it was escalated to'),
  expires_at: z.string(),
});

const RunDataSchema = z.object({
  session_id: z.string(),
  user_id: z.string(),
  intent: z.string(),
  status: RunStatusSchema,
  error: z.string().optional(),
  failure_kind: z.string().optional(),
  steps: z.array(z.object({ id: z.string(), name: z.string(), tool: z.string(), state: z.string() })),
});

const EVENTS: [NotificationEventType, string, z.ZodType][] = [
  [
    NotificationEventType.ApprovalRequested,
    'A step waits for approval (also after an edit asks again)',
    ApprovalDataSchema.extend({ links: LinksSchema.optional() }),
  ],
  [NotificationEventType.ApprovalReminder, "An approval still waits at the policy's reminder time", FollowUpDataSchema],
  [
    NotificationEventType.ApprovalEscalated,
    "An approval still waits at the policy's escalation time and was escalated to a group",
    FollowUpDataSchema,
  ],
  [NotificationEventType.ApprovalDecided, 'An approval was approved or rejected', ApprovalDataSchema],
  [
    NotificationEventType.ApprovalExpired,
    'No decision came in time: the approval expired and its step is rejected',
    ApprovalDataSchema,
  ],
  [
    NotificationEventType.ApprovalHolding,
    "Approved under a rule's cooling_off: the step runs at approval.hold_until unless revoked first",
    ApprovalDataSchema,
  ],
  [
    NotificationEventType.ApprovalRevoked,
    'A holding approval was revoked before its step started: the step is rejected and never runs',
    ApprovalDataSchema,
  ],
  [NotificationEventType.RunCompleted, 'A run completed: every step succeeded', RunDataSchema],
  [NotificationEventType.RunFailed, 'A run failed', RunDataSchema],
];

const SIGNATURE_HEADERS = [
  { name: 'webhook-id', description: 'The event_id: the same on every retry, so a subscriber can drop duplicates' },
  { name: 'webhook-timestamp', description: 'Unix seconds when this attempt was sent' },
  {
    name: 'webhook-signature',
    description:
      'v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>"> under WEBHOOK_SECRET ' +
      '(whsec_ + base64 key), as the Standard Webhooks specification says',
  },
].map((h) => ({ ...h, in: 'header', required: true, schema: { type: 'string' } }));

/** `webhooks` of the OpenAPI 3.1 document: one POST to WEBHOOK_URL per event type. */
export function webhookEventDocs(jsonSchema: (schema: z.ZodType) => Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    EVENTS.map(([type, summary, data]) => {
      const body = z.object({
        event_id: z.string(),
        type: z.literal(type),
        workflow_id: z.string(),
        occurred_at: z.string(),
        data,
      });
      return [
        type,
        {
          post: {
            tags: ['webhooks'],
            summary:
              `${type}: ${summary}. Retried with backoff until the subscriber answers 2xx; ` +
              'each attempt is listed at GET /api/webhooks/deliveries',
            operationId: `webhook${type.replace(/(^|\.)(\w)/g, (_m, _dot: string, ch: string) => ch.toUpperCase())}`,
            parameters: SIGNATURE_HEADERS,
            requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } },
            responses: { '2XX': { description: 'Delivered' } },
          },
        },
      ];
    }),
  );
}
