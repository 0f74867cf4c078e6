/**
 * The run's first execution run id, which signed decisions, edits, delegations and operator actions
 * must name (unique across every run under the same workflow id); none outside a workflow (unit
 * tests of the run's books).
 */
import { inWorkflowContext, workflowInfo } from '@temporalio/workflow';

export function firstRunIdNow(): { run_id?: string } {
  return inWorkflowContext() ? { run_id: workflowInfo().firstExecutionRunId } : {};
}
