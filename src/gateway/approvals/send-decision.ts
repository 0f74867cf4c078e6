/**
 * The one place a decision leaves the gateway for Temporal: the decideApproval update, waited on
 * within a budget. Anything that must travel with every decision (a signature) wraps this call.
 */
import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { ApprovalDecision } from '../../shared/contracts.js';
import { decideApprovalUpdate, type DecisionOutcome } from '../../shared/definitions.js';
import { withinBudget } from '../budget.js';
import { ApiError, ErrorCode } from '../errors.js';

/**
 * Sends the decision and waits, within the budget, until the run acted on it (undefined when the
 * budget ran out after the run accepted it). Refusals by the workflow (unknown, already decided,
 * four eyes) throw and map to 404/409/403 in onError; an unaccepted update is a 503.
 */
export async function sendDecision(client: Client, workflowId: string, decision: ApprovalDecision, budgetMs: number): Promise<DecisionOutcome | undefined> {
  const deadline = Date.now() + budgetMs;
  const abort = new AbortController();
  const handle = client.workflow.getHandle(workflowId);
  const accepted = client.withAbortSignal(abort.signal, () =>
    handle.startUpdate(decideApprovalUpdate, { args: [decision], waitForStage: WorkflowUpdateStage.ACCEPTED }),
  );
  const acceptance = await withinBudget(accepted, budgetMs);
  if (!acceptance.done) {
    // Only an accepted update is durable; say so rather than claim the decision was recorded.
    abort.abort();
    accepted.catch(() => undefined);
    throw new ApiError(
      503,
      ErrorCode.RunUnresponsive,
      `The run did not take the decision within ${budgetMs} ms (is a worker running?). It may still apply it: check the approval before deciding again.`,
    );
  }
  const result = client.withAbortSignal(abort.signal, () => acceptance.value.result());
  const raced = await withinBudget(result, Math.max(0, deadline - Date.now()));
  if (raced.done) return raced.value;
  abort.abort();
  result.catch(() => undefined);
  return undefined;
}
