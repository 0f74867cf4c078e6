/** What the planner answers for a message, and the assistant's own tools it may plan. */
import { z } from 'zod';
import { PlanSchema, type ToolName } from './workflow-contracts.js';

/**
 * The assistant's own tools and the intent of a request made of one of them: questions answered
 * from the user's own data (L0, no approval) and cancelling one of their requests.
 */
export const ASSISTANT_TOOL_INTENTS = {
  account_balance: 'balance',
  transfer_history: 'transfer_history',
  request_status: 'request_status',
  pending_approvals: 'pending_approvals',
  cancel_request: 'cancel_request',
} as const satisfies Partial<Record<ToolName, string>>;
export type AssistantTool = keyof typeof ASSISTANT_TOOL_INTENTS;

export function isAssistantTool(tool: ToolName): tool is AssistantTool {
  return tool in ASSISTANT_TOOL_INTENTS;
}

export const PlannerOutcomeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('plan'), plan: PlanSchema }),
  z.strictObject({ kind: z.literal('not_understood'), message: z.string() }),
]);
export type PlannerOutcome = z.infer<typeof PlannerOutcomeSchema>;
