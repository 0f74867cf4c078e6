/**
 * The run a signed message names: the approval's workflow id and its run's first execution run id,
 * read from the approval record the signer judged, so a signature made for one run moves nothing
 * in another (an earlier or later run under the same workflow id). Pure.
 */
import type { ApprovalRecord } from '../contracts.js';

export interface RunBinding {
  workflow_id: string;
  run_id?: string;
}

export function runBindingOf(approval: Pick<ApprovalRecord, 'workflow_id' | 'run_id'>): RunBinding {
  return { workflow_id: approval.workflow_id, ...(approval.run_id !== undefined && { run_id: approval.run_id }) };
}
