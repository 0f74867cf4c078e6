/**
 * What one tool call takes: each sandbox-backed activity called through the real activity code
 * against a real sandbox process (fresh database), sequentially and then 8 at once. The figures
 * behind the activity timeouts in src/shared/timeouts.ts (docs/decisions/timeouts.md).
 *
 *   node --import tsx bench/tool-latency.ts [calls per tool, 200]
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLimitActivities } from '../activities/limits.js';
import { createToolActivities } from '../activities/tools.js';
import { startSandboxProcess } from '../dev/sandbox-process.js';
import { TEST_SANDBOX_TOKEN } from '../dev/stack-secrets.js';
import { summarize, timed } from './stats.js';

const calls = Number(process.argv[2] ?? 200);
const CONCURRENCY = 8;

async function main(): Promise<void> {
  const sandbox = await startSandboxProcess();
  const deps = { sandboxUrl: sandbox.url, sandboxToken: TEST_SANDBOX_TOKEN };
  const tools = createToolActivities(deps);
  const limits = createLimitActivities(deps);
  const env = new MockActivityEnvironment();
  let week = 0;
  // Each booking in a week of its own: a full week is refused (a business error, not a latency).
  const nextWeek = () => new Date(Date.UTC(2030, 0, 7) + 7 * 86_400_000 * week++).toISOString().slice(0, 10);
  const call = <A>(args: A) => ({ idempotency_key: randomUUID(), user_id: 'default_user', args, inputs: {} });
  const cases: Record<string, () => Promise<unknown>> = {
    bank_transfer: () =>
      env.run(tools.bankTransfer, call({ from_account: '123', to_account: 'kiran', amount_cents: 1 })),
    job_search: () => env.run(tools.jobSearch, call({ query: 'backend', count: 2 })),
    calendar_create: () =>
      env.run(tools.calendarCreate, call({ title: 'Gym', count: 1, week_start: nextWeek(), duration_minutes: 60 })),
    grocery_plan: () => env.run(tools.groceryPlan, call({ days: 7, people: 2 })),
    'policy: paid before': () => env.run(limits.recipientPaidBefore, { from_account: '123', to_account: 'kiran' }),
  };
  try {
    console.log(`calls per tool: ${calls}; milliseconds (p50 / p99 / max)`);
    for (const [name, run] of Object.entries(cases)) {
      for (let i = 0; i < 20; i++) await run();
      const sequential: number[] = [];
      for (let i = 0; i < calls; i++) sequential.push(await timed(run));
      const concurrent: number[] = [];
      for (let i = 0; i < calls / CONCURRENCY; i++)
        concurrent.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, () => timed(run)))));
      const show = (samples: number[]) => {
        const s = summarize(samples);
        return `${s.median.toFixed(1)} / ${s.p99.toFixed(1)} / ${Math.max(...samples).toFixed(1)}`;
      };
      console.log(
        `${name.padEnd(22)} one at a time ${show(sequential).padEnd(22)} ${CONCURRENCY} at once ${show(concurrent)}`,
      );
    }
  } finally {
    await sandbox.dispose();
  }
}

main().catch((err: unknown) => {
  console.error('tool-latency:', err);
  process.exit(1);
});
