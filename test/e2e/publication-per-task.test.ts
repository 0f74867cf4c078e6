/**
 * What a run writes to history for the Web UI and the inbox (search attributes, memo) is written
 * once per workflow task, however many of its steps change in that task. The subject is the
 * workflow's publication, so only the plan activity is replaced: 30 L3 steps that all block on
 * approval in the same task.
 */
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { PlanRequestResult } from '../../activities/plan.js';
import type { PlanStep, RunView } from '../../src/shared/contracts.js';
import { approvalDecisionSignal, waitSettledUpdate } from '../../src/shared/messages.js';
import { signedForRun } from '../../dev/stack-secrets.js';
import { realActivities, startRequestRun, TEST_SETTINGS } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';

const EventType = temporal.api.enums.v1.EventType;
// Wide enough to show the difference, narrow enough for PendingApprovalIds (2048 bytes at most).
const WIDTH = 30;

const steps: PlanStep[] = Array.from({ length: WIDTH }, (_, i) => ({
  id: `plan_${i}`,
  name: `Plan groceries ${i}, confirmed first`,
  tool: 'grocery_plan',
  args: { days: 7, people: 2 },
  risk_level: 'L3',
  depends_on: [],
}));

const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => ({
  ...realActivities(sandbox.url),
  // The message names how many of the steps the plan holds.
  planRequest: async ({ message }): Promise<PlanRequestResult> => ({
    outcome: { kind: 'plan', plan: { intent: 'wide_approvals', steps: steps.slice(0, Number(message)) } },
    settings: TEST_SETTINGS,
  }),
}));

async function publicationsPerTask(handle: WorkflowHandle): Promise<{ upserts: number[]; memos: number[] }> {
  const tasks = commandsPerTask((await handle.fetchHistory()).events ?? []);
  const count = (commands: temporal.api.enums.v1.EventType[], type: temporal.api.enums.v1.EventType) =>
    commands.filter((c) => c === type).length;
  return {
    upserts: tasks.map((c) => count(c, EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)),
    memos: tasks.map((c) => count(c, EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED)),
  };
}

/**
 * The commands of each completed workflow task, as the history holds them: the events after its
 * WorkflowTaskCompleted.
 */
function commandsPerTask(events: temporal.api.history.v1.IHistoryEvent[]): temporal.api.enums.v1.EventType[][] {
  const tasks: temporal.api.enums.v1.EventType[][] = [];
  let current: temporal.api.enums.v1.EventType[] | undefined;
  for (const event of events) {
    const type = event.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED;
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) tasks.push((current = []));
    else if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) current = undefined;
    else current?.push(type);
  }
  return tasks;
}

describe('publication', () => {
  it(`writes search attributes and memo once per workflow task while ${WIDTH} steps block`, async () => {
    const handle = await startRequestRun(client, worker.taskQueue, String(WIDTH));
    const waiting = await handle.executeUpdate(waitSettledUpdate);
    expect(waiting.status).toBe('WAITING_APPROVAL');
    expect(waiting.approvals).toHaveLength(WIDTH);
    await handle.cancel();
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);

    const { upserts, memos } = await publicationsPerTask(handle);
    // The run published twice: once waiting on every approval, once cancelled.
    expect(upserts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    expect(memos.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...upserts)).toBe(1);
    expect(Math.max(...memos)).toBe(1);
  });

  it('writes them once in the task where an approval lets its step run', async () => {
    const handle = await startRequestRun(client, worker.taskQueue, '1');
    const waiting = await handle.executeUpdate(waitSettledUpdate);
    expect(waiting.status).toBe('WAITING_APPROVAL');
    await handle.signal(
      approvalDecisionSignal,
      await signedForRun(handle, {
        approval_id: waiting.approvals[0]!.approval_id,
        approved: true,
        approver_id: 'reviewer',
      }),
    );
    expect(((await handle.result()) as RunView).status).toBe('COMPLETED');

    const { upserts, memos } = await publicationsPerTask(handle);
    expect(Math.max(...upserts)).toBe(1);
    expect(Math.max(...memos)).toBe(1);
  });
});
