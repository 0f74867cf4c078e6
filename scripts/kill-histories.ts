/**
 * After the kill test: every run's and session's history replayed with the workers' bundle (a run
 * the killed worker left unreplayable would be stranded), the task times the report needs, and
 * the open workflows by type.
 */
import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time.js';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { RunTaskTimes } from './kill-report.js';

export interface HistoryFindings {
  replayed: number;
  unreplayable: string[];
  /** Runs and sessions with at least one task that timed out. */
  lostTasks: number;
  taskTimes: RunTaskTimes[];
}

export async function readHistories(client: Client, query: string, workflowBundle: string): Promise<HistoryFindings> {
  const findings: HistoryFindings = { replayed: 0, unreplayable: [], lostTasks: 0, taskTimes: [] };
  const histories = client.workflow.list({ query }).intoHistories();
  async function* noting(): AsyncIterable<HistoryAndWorkflowId> {
    for await (const entry of histories) {
      const events = (entry.history as temporal.api.history.v1.IHistory).events ?? [];
      const times: RunTaskTimes = { workflowId: entry.workflowId, timeouts: [], workflowTaskStarts: [] };
      for (const event of events) {
        const at = tsToMs(event.eventTime);
        if (event.workflowTaskTimedOutEventAttributes || event.activityTaskTimedOutEventAttributes)
          times.timeouts.push(at);
        if (event.workflowTaskStartedEventAttributes) times.workflowTaskStarts.push(at);
      }
      if (times.timeouts.length > 0) findings.lostTasks++;
      findings.taskTimes.push(times);
      yield entry;
    }
  }
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: workflowBundle } }, noting())) {
    findings.replayed++;
    if (result.error) findings.unreplayable.push(`${result.workflowId}: ${result.error.message.slice(0, 300)}`);
  }
  return findings;
}

export const WORKFLOW_TYPES = ['requestWorkflow', 'sessionWorkflow'] as const;

/** Open executions of each of our workflow types in the namespace (what the Web UI lists by default). */
export async function openWorkflowsByType(client: Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const type of WORKFLOW_TYPES) {
    counts[type] = (await client.workflow.count(`WorkflowType = '${type}' AND ExecutionStatus = 'Running'`)).count;
  }
  return counts;
}
