/**
 * Local tool calls that end one by one while running, but replay together: on replay the SDK
 * resolves every local call whose marker is in the same workflow task at once, so a run must
 * write the same commands whichever calls ended in the same activation.
 */
import { describe, expect, it } from 'vitest';
import type { RunView } from '../../src/shared/contracts.js';
import { waitSettledUpdate } from '../../src/shared/messages.js';
import { realActivities, replaysOnSuiteBundle, startRequestRun } from '../support/temporal.js';
import { useClient, useSandbox, useWorker } from '../support/fixtures.js';
import { decideByUpdate } from '../support/decisions.js';

const sandbox = useSandbox();
const client = useClient();

let cvTailored: () => void = () => undefined;
const tailored = new Promise<void>((resolve) => {
  cvTailored = resolve;
});

/**
 * The grocery plan ends last: once the CV was tailored (at most 3 s, since a run that hands
 * outcomes over together tailors only after it), and then a while later, so that the run has
 * requested the submit's approval by then and the plan's outcome wakes it in an activation of its own.
 */
async function afterTheCvWasTailored(): Promise<void> {
  await Promise.race([tailored, delay(3_000)]);
  await delay(1_000);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const worker = useWorker(() => {
  const real = realActivities(sandbox.url, { local_tool_calls: true });
  return {
    ...real,
    cvTailor: async (call) => {
      const result = await real.cvTailor(call);
      cvTailored();
      return result;
    },
    groceryPlan: async (call) => {
      await afterTheCvWasTailored();
      return real.groceryPlan(call);
    },
  } satisfies typeof real;
});

describe('local tool calls that end in separate activations', () => {
  it('a Life-OS run whose last read ends after the approval was requested replays', async () => {
    const handle = await startRequestRun(
      client,
      worker.taskQueue,
      'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries',
    );
    const settled: RunView = await handle.executeUpdate(waitSettledUpdate);
    expect(settled.status).toBe('WAITING_APPROVAL');
    await replaysOnSuiteBundle(handle);
    await decideByUpdate(handle, settled.approvals[0]!, { approved: true, approver_id: 'default_user' });
    expect(((await handle.result()) as RunView).status).toBe('COMPLETED');
    await replaysOnSuiteBundle(handle);
  });
});
