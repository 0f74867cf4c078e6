/**
 * Records the event histories of representative real runs into test/histories/, for the replay
 * test. Run it after a deliberate change to the workflow: `npm run record-histories`;
 * with names (`npm run record-histories -- policy-refused`) it records only those, keeping the rest.
 * It starts its own dev server, sandbox and worker, so it never touches a running stack.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { bundleWorkflows } from '../worker/workflow-bundle.js';
import {
  approvalDecisionUpdate,
  approvalDelegationUpdate,
  REQUEST_WORKFLOW_TYPE,
  runQuery,
  waitSettledUpdate,
} from '../src/shared/messages.js';
import { startDevServer } from '../dev/temporal-server.js';
import { startSandboxProcess } from '../dev/sandbox-process.js';
import {
  delegationSignedAsGateway,
  runBindingFor,
  signedForRun,
  startSignedAsGateway,
  TEST_DECISION_KEYS,
  TEST_SANDBOX_TOKEN,
} from '../dev/stack-secrets.js';
import { waitFor } from '../dev/ports.js';
import type { PolicyDocument } from '../src/shared/policy/schema.js';
import { defaultPolicy } from '../src/shared/policy/evaluate.js';
import type { RunSettings } from '../src/shared/contracts.js';
import { readPolicyFile, runPolicyOf } from '../src/runtime/config.js';
import { decide, editedDurably, heldThenRetried, heldThenRevoked, type Scenario } from './history-steps.js';

const OUT_DIR = path.resolve('test/histories');
const LIFE_OS = 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries';

const scenarios: Record<string, Scenario> = {
  'transfer-auto': async (start) => start('Transfer 2000 to Kiran'),
  'transfer-approved': async (start) => {
    const handle = await start('Transfer 6000 to Kiran');
    await decide(handle, true, 'manager@bank.com', true);
    return handle;
  },
  'transfer-rejected': async (start) => {
    const handle = await start('send $7,500 to kiran');
    await decide(handle, false, 'manager@bank.com');
    return handle;
  },
  'life-os-approved': async (start) => {
    const handle = await start(LIFE_OS);
    await decide(handle, true, 'default_user');
    return handle;
  },
  // Tools as local activities: the independent reads run together and hand their outcomes over together.
  'life-os-local-calls': async (start) => {
    const handle = await start(LIFE_OS, 'local-calls');
    await decide(handle, true, 'default_user');
    return handle;
  },
  'transfer-expired': async (start) => start('Transfer 6000 to Kiran', 'short-timeout'),
  // Runs planned with policies/bank.json: two approvers from a group, and a refusal over the hard maximum.
  'policy-two-approvers': async (start) => {
    const handle = await start('Transfer 10000 to Kiran', 'bank-policy', 'manager@bank.com');
    await decide(handle, true, 'alice', false, ['approvers']);
    await decide(handle, true, 'bob', false, ['approvers']);
    return handle;
  },
  'policy-refused': async (start) => start('Transfer 100000 to Kiran', 'bank-policy', 'manager@bank.com'),
  'attention-retried': heldThenRetried,
  'transfer-edited-durably': editedDurably,
  // The gate reads the ledger: a first payment asks an approver (bank.json); a transfer reserves its room
  // in the window (daily-limit.json).
  'policy-first-payment': heldThenRevoked,
  'policy-window': async (start) => {
    await (await start('Transfer 3000 to Kiran', 'daily-limit', 'alice')).result();
    return start('Transfer 1000 to Kiran', 'daily-limit', 'alice');
  },
  // A reminder and an escalation fire, an approver hands the approval to a person, who approves on their behalf.
  'policy-escalated-delegated': async (start) => {
    const handle = await start('Transfer 1000 to Kiran', 'follow-up-policy', 'manager@bank.com');
    const view = await handle.executeUpdate(waitSettledUpdate);
    const approval_id = view.approvals[0]!.approval_id;
    await waitFor(async () => (await handle.query(runQuery)).approvals[0]?.escalated_to, {
      timeoutMs: 20_000,
      what: 'the escalation',
    });
    await handle.executeUpdate(approvalDelegationUpdate, {
      args: [
        delegationSignedAsGateway({
          ...(await runBindingFor(handle, approval_id)),
          approval_id,
          delegated_by: 'alice',
          groups: ['approvers'],
          to: 'frank',
          to_kind: 'person',
          reason: 'frank knows this payee',
        }),
      ],
    });
    await handle.executeUpdate(approvalDecisionUpdate, {
      args: [await signedForRun(handle, { approval_id, approved: true, approver_id: 'frank' })],
    });
    return handle;
  },
};

/** Short follow-ups, so the recording waits seconds. */
const FOLLOW_UP_POLICY: PolicyDocument = {
  id: 'follow-ups-recording',
  rules: [
    {
      name: 'escalating',
      match: { tools: ['bank_transfer'] },
      outcome: {
        stages: [{ group: 'approvers', count: 1 }],
        remind_after: '1s',
        escalate_after: '2s',
        escalate_to: 'managers',
        expire_after: '10m',
      },
    },
    { name: 'everything-else', match: {}, outcome: { allow: true } },
  ],
};

async function main(): Promise<void> {
  const server = await startDevServer();
  const sandbox = await startSandboxProcess();
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const settings: RunSettings = {
    hil_threshold_cents: 500_000,
    approval_timeout_ms: 86_400_000,
    approve_l2: false,
    local_tool_calls: false,
    decision_keys: TEST_DECISION_KEYS,
    policy: runPolicyOf(defaultPolicy({ hil_threshold_cents: 500_000, approve_l2: false })),
  };
  // The SDK takes a bundle as code only; the inline source map keeps stack traces readable.
  const workflowBundle = (await bundleWorkflows('inline')).bundle;
  const workers = await Promise.all([
    Worker.create({
      connection: nativeConnection,
      taskQueue: 'requests',
      workflowBundle,
      activities: createActivities({ sandboxUrl: sandbox.url, sandboxToken: TEST_SANDBOX_TOKEN, settings }),
    }),
    Worker.create({
      connection: nativeConnection,
      taskQueue: 'short-timeout',
      workflowBundle,
      activities: createActivities({
        sandboxUrl: sandbox.url,
        sandboxToken: TEST_SANDBOX_TOKEN,
        settings: { ...settings, approval_timeout_ms: 1000 },
      }),
    }),
    Worker.create({
      connection: nativeConnection,
      taskQueue: 'local-calls',
      workflowBundle,
      activities: createActivities({
        sandboxUrl: sandbox.url,
        sandboxToken: TEST_SANDBOX_TOKEN,
        settings: { ...settings, local_tool_calls: true },
      }),
    }),
    Worker.create({
      connection: nativeConnection,
      taskQueue: 'attention',
      workflowBundle,
      activities: createActivities({
        sandboxUrl: sandbox.url,
        sandboxToken: TEST_SANDBOX_TOKEN,
        settings: {
          ...settings,
          attention_on_exhausted: true,
          step_retry_budget_ms: 1000,
          attention_deadline_ms: 600_000,
        },
      }),
    }),
    Worker.create({
      connection: nativeConnection,
      taskQueue: 'bank-policy',
      workflowBundle,
      activities: createActivities({
        sandboxUrl: sandbox.url,
        sandboxToken: TEST_SANDBOX_TOKEN,
        settings: { ...settings, policy: runPolicyOf(readPolicyFile('policies/bank.json')) },
      }),
    }),
    Worker.create({
      connection: nativeConnection,
      taskQueue: 'daily-limit',
      workflowBundle,
      activities: createActivities({
        sandboxUrl: sandbox.url,
        sandboxToken: TEST_SANDBOX_TOKEN,
        settings: { ...settings, policy: runPolicyOf(readPolicyFile('policies/daily-limit.json')) },
      }),
    }),
    Worker.create({
      connection: nativeConnection,
      taskQueue: 'follow-up-policy',
      workflowBundle,
      activities: createActivities({
        sandboxUrl: sandbox.url,
        sandboxToken: TEST_SANDBOX_TOKEN,
        settings: { ...settings, policy: runPolicyOf(FOLLOW_UP_POLICY) },
      }),
    }),
  ]);
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  const start = (message: string, taskQueue = 'requests', user_id = 'default_user') => {
    const workflowId = `req-${randomUUID()}`;
    return client.workflow.start(REQUEST_WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [startSignedAsGateway(workflowId, { user_id, session_id: randomUUID(), message })],
    });
  };
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !(name in scenarios));
  if (unknown.length > 0)
    throw new Error(`no scenario ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  try {
    const recording = (async () => {
      mkdirSync(OUT_DIR, { recursive: true });
      for (const [name, scenario] of Object.entries(scenarios).filter(
        ([name]) => only.length === 0 || only.includes(name),
      )) {
        const handle = await scenario(start, sandbox);
        await handle.result();
        // The workflow id is part of what the code computes (approval ids), so replay needs the original.
        const history = JSON.parse(historyToJSON(await handle.fetchHistory())) as unknown;
        writeFileSync(path.join(OUT_DIR, `${name}.json`), JSON.stringify({ workflowId: handle.workflowId, history }));
        console.log(`recorded ${name}`);
      }
    })();
    await Promise.all(workers.map((w) => w.runUntil(recording)));
  } finally {
    await sandbox.stop();
    await server.stop();
  }
}

/** The histories a recording writes, one per scenario; the replay test checks each is present. */
export const SCENARIO_NAMES = Object.keys(scenarios);

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
