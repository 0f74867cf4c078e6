/**
 * A later build of the workflow code that cannot replay runs of the released one: its request run
 * starts a timer before planning, so its first command differs. Only the Worker Versioning test
 * bundles it (WORKFLOW_BUNDLE of its "build B" worker).
 */
import { setWorkflowOptions, sleep } from '@temporalio/workflow';
import { pinnedWhenVersioned, requestWorkflow as releasedRequestWorkflow } from '../../workflows/request-workflow.js';

export { sessionWorkflow } from '../../workflows/session-workflow.js';

export async function requestWorkflow(
  ...args: Parameters<typeof releasedRequestWorkflow>
): ReturnType<typeof releasedRequestWorkflow> {
  await sleep('1 ms');
  return releasedRequestWorkflow(...args);
}
setWorkflowOptions(pinnedWhenVersioned, requestWorkflow);
