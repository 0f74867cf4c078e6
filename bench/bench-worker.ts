/** A process running the benchmark's own workers: the bare baseline and the DAG probe. */
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadTrustedKeys } from '../src/runtime/decision-keys.js';
import { bundleWorkflows } from '../worker/workflow-bundle.js';
import { runPolicyOf } from '../src/runtime/config.js';
import { defaultPolicy } from '../src/shared/policy/evaluate.js';
import { createBaselineActivities, createDagProbeActivities } from './bench-activities.js';

const address = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
const sandboxUrl = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8081';
const connection = await NativeConnection.connect({ address });
const baseline = await Worker.create({
  connection,
  taskQueue: 'bench-baseline',
  workflowsPath: path.resolve('bench/baseline-workflow.ts'),
  activities: createBaselineActivities(sandboxUrl, process.env.SANDBOX_TOKEN ?? ''),
});
const dag = await Worker.create({
  connection,
  taskQueue: 'bench-dag',
  workflowBundle: (await bundleWorkflows()).bundle,
  activities: createDagProbeActivities({
    hil_threshold_cents: 500_000,
    approval_timeout_ms: 3_600_000,
    approve_l2: false,
    local_tool_calls: process.env.LOCAL_TOOL_CALLS === 'true',
    policy: runPolicyOf(defaultPolicy({ hil_threshold_cents: 500_000, approve_l2: false })),
    // The benchmark signs its starts with the key its stack shares (dev/stack-secrets.ts).
    decision_keys: loadTrustedKeys(
      (process.env.DECISION_PUBLIC_KEY_FILES ?? '').split(',').filter((file) => file !== ''),
      'gateway',
    ),
  }),
});
console.log('bench workers polling');
await Promise.all([baseline.run(), dag.run()]);
await connection.close();
