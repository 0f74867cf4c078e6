/**
 * What engineers see and use: the `temporal` CLI's signal and query on our names, search
 * attributes kept current, and human summaries on runs and activities.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it, inject } from 'vitest';
import type { RunView } from '../../src/shared/contracts.js';
import {
  timelineQuery,
  REQUEST_WORKFLOW_TYPE,
  runQuery,
  SearchAttributes,
  waitSettledUpdate,
} from '../../src/shared/messages.js';
import { waitFor } from '../../dev/ports.js';
import { realActivities, uniqueId } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';
import { startSignedAsGateway, testSecretsEnv } from '../../dev/stack-secrets.js';

const run = promisify(execFile);
const sandbox = useSandbox();
const client = useClient();
const worker = useWorker(() => realActivities(sandbox.url));

async function temporalCli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.env.TEMPORAL_BIN ?? 'temporal', [
    ...args,
    '--address',
    inject('temporalAddress'),
  ]);
  return stdout;
}

describe('engineer tools', () => {
  it("a run is queried with the temporal CLI as through the client; the CLI's unsigned signal is ignored, the operator's decide applies", async () => {
    const workflowId = uniqueId('req');
    const handle = await client.workflow.start(REQUEST_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: worker.taskQueue,
      args: [
        startSignedAsGateway(workflowId, {
          user_id: 'default_user',
          session_id: uniqueId('s'),
          message: 'Transfer 6000 to Kiran',
        }),
      ],
      staticSummary: 'Transfer 6000 to Kiran',
    });
    const pending = await handle.executeUpdate(waitSettledUpdate);
    const approvalId = pending.approvals[0]!.approval_id;

    const queried = JSON.parse(
      await temporalCli('workflow', 'query', '--workflow-id', workflowId, '--name', 'run', '--output', 'json'),
    ) as { queryResult: RunView[] };
    expect(queried.queryResult[0]).toMatchObject({
      workflow_id: workflowId,
      status: 'WAITING_APPROVAL',
      approvals: [{ approval_id: approvalId }],
    });

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(SearchAttributes.RunStatus)).toBe('WAITING_APPROVAL');
    expect(description.typedSearchAttributes.get(SearchAttributes.PendingApprovalIds)).toEqual([approvalId]);
    expect(description.typedSearchAttributes.get(SearchAttributes.Intent)).toBe('money_transfer');
    expect(await description.staticSummary()).toBe('Transfer 6000 to Kiran');

    const listed = await waitFor(
      async () => {
        const out = await temporalCli(
          'workflow',
          'list',
          '--query',
          `RunStatus='WAITING_APPROVAL' AND WorkflowId='${workflowId}'`,
          '--output',
          'json',
        );
        return out.includes(workflowId) ? out : undefined;
      },
      { what: 'the run to appear in a visibility list by RunStatus' },
    );
    expect(listed).toContain(workflowId);

    const decision = JSON.stringify({ approval_id: approvalId, approved: true, approver_id: 'manager@bank.com' });
    await temporalCli(
      'workflow',
      'signal',
      '--workflow-id',
      workflowId,
      '--name',
      'approvalDecision',
      '--input',
      decision,
    );
    const ignored = await waitFor(
      async () => (await handle.query(timelineQuery, 0)).find((e) => e.event === 'approval_ignored'),
      {
        what: 'the unsigned CLI decision to be recorded',
      },
    );
    expect(ignored.metadata).toMatchObject({ reason: 'unsigned', approver_id: 'manager@bank.com' });
    expect((await handle.query(runQuery)).approvals[0]!.status).toBe('pending');

    await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/decide.ts', approvalId, 'approve', '--as', 'manager@bank.com'],
      {
        env: { ...process.env, ...testSecretsEnv(), TEMPORAL_ADDRESS: inject('temporalAddress') },
      },
    );
    const final = (await handle.result()) as RunView;
    expect(final.status).toBe('COMPLETED');
    expect(final.approvals[0]).toMatchObject({ status: 'approved', decided_by: 'manager@bank.com' });

    const history = await handle.fetchHistory();
    const summaries = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => Buffer.from(e.userMetadata?.summary?.data ?? new Uint8Array()).toString('utf8'));
    expect(summaries).toEqual([JSON.stringify('Transfer $6,000.00 → kiran')]);
    expect((await handle.describe()).typedSearchAttributes.get(SearchAttributes.RunStatus)).toBe('COMPLETED');
  });
});
