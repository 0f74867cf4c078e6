/**
 * What a chat needs to know of the session it names before it records a run there: who owns it,
 * and, when the session closed while idle, its view, so that the run which opens it again carries
 * its earlier runs over (signal-with-start starts a new execution under the same id).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { SearchAttributes, sessionWorkflowIdFor, type SessionView } from '../src/shared/messages.js';

export interface SessionLookup {
  /** Undefined for a session never seen. */
  owner: string | undefined;
  /** The view the session closed with; undefined while it is open or when it never existed. */
  closedView: SessionView | undefined;
}

/**
 * Describe and, for a session that closed idle, its result: both read from the server's history,
 * so no worker is needed. A session closed any other way (terminated by hand) opens empty again.
 */
export async function lookUpSession(client: Client, sessionId: string): Promise<SessionLookup> {
  const handle = client.workflow.getHandle<(input: unknown) => Promise<SessionView>>(sessionWorkflowIdFor(sessionId));
  try {
    const description = await handle.describe();
    const owner = description.typedSearchAttributes.get(SearchAttributes.UserId);
    if (description.status.name !== 'COMPLETED') return { owner, closedView: undefined };
    const closed = client.workflow.getHandle<(input: unknown) => Promise<SessionView>>(
      sessionWorkflowIdFor(sessionId),
      description.runId,
    );
    return { owner, closedView: await closed.result() };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { owner: undefined, closedView: undefined };
    throw err;
  }
}
