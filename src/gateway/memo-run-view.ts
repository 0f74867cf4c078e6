/**
 * A running run as Temporal keeps it without a worker: describe's search attributes and memo, as
 * the run's last workflow task left them. The gateway answers a status read from this when the
 * run's query does not answer in time (its worker died with the run cached, or none polls), and
 * marks the view `stale` so the caller knows it may lag behind the run.
 */
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { RunStatus, RunView } from '../shared/contracts.js';
import { SearchAttributes } from '../shared/messages.js';
import { RUN_STATUSES } from '../shared/workflow-contracts.js';
import { inboxFromMemos } from './visibility.js';

function runStatusOf(value: string | undefined): RunStatus {
  return RUN_STATUSES.find((s) => s === value) ?? 'QUEUED';
}

/** The view of an open run from its describe; message and steps are not kept there, so they are empty. */
export function memoRunView(
  workflowId: string,
  description: Pick<WorkflowExecutionDescription, 'typedSearchAttributes' | 'memo' | 'startTime'>,
): RunView {
  const attributes = description.typedSearchAttributes;
  const created = description.startTime.toISOString();
  return {
    workflow_id: workflowId,
    session_id: attributes.get(SearchAttributes.SessionId) ?? '',
    user_id: attributes.get(SearchAttributes.UserId) ?? '',
    message: '',
    intent: attributes.get(SearchAttributes.Intent) ?? 'unknown',
    status: runStatusOf(attributes.get(SearchAttributes.RunStatus)),
    steps: [],
    approvals: inboxFromMemos([description.memo]),
    created_at: created,
    updated_at: created,
    stale: true,
  };
}
