/** The answer to a decision no worker took yet: accepted, kept in the run's history, not applied. */
import type { z } from 'zod';
import type { DecisionAcceptedSchema } from '../schemas.js';
import type { DecisionResult } from './approvals.js';

export function acceptedReply({ view, approval, approved, deciderId }: DecisionResult): z.input<typeof DecisionAcceptedSchema> {
  const verb = approved ? 'approval' : 'rejection';
  return {
    status: 'accepted',
    applied: false,
    approval_id: approval.approval_id,
    workflow_id: view.workflow_id,
    session_id: view.session_id,
    decision: approved ? 'approve' : 'reject',
    decided_by: deciderId,
    message: `${approval.step_name}: ${verb} by ${deciderId} accepted; no worker is running, so the run applies it as soon as processing resumes`,
  };
}
