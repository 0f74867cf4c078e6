/** The answers to a decision or an edit no worker took yet: accepted, kept in the run's history, not applied. */
import type { z } from 'zod';
import type { DecisionAcceptedSchema, EditAcceptedSchema } from '../schemas.js';
import type { DecisionResult } from './approvals.js';
import type { FoundApproval } from '../run-description.js';

export function acceptedReply({
  view,
  approval,
  approved,
  deciderId,
}: DecisionResult): z.input<typeof DecisionAcceptedSchema> {
  const verb = approved ? 'approval' : 'rejection';
  return {
    status: 'accepted',
    applied: false,
    approval_id: approval.approval_id,
    workflow_id: view.workflow_id,
    session_id: view.session_id,
    decision: approved ? 'approve' : 'reject',
    decided_by: deciderId,
    message:
      `${approval.step_name}: ${verb} by ${deciderId} accepted; ` +
      'no worker is running, so the run applies it as soon as processing resumes',
  };
}

export function editAcceptedReply(
  { view, approval }: FoundApproval,
  editorId: string,
  takenByWorker: boolean,
): z.input<typeof EditAcceptedSchema> {
  const when = takenByWorker
    ? 'the run took it and is judging the edited step again'
    : 'no worker is running, so the run applies it as soon as processing resumes';
  return {
    status: 'accepted',
    applied: false,
    taken_by_worker: takenByWorker,
    approval_id: approval.approval_id,
    workflow_id: view.workflow_id,
    session_id: view.session_id,
    edited_by: editorId,
    message:
      `${approval.step_name}: edit by ${editorId} accepted; ${when}. ` +
      'Read the approval again for its new action_hash before deciding',
  };
}
