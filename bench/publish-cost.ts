/**
 * `node --import tsx bench/publish-cost.ts`: the workflow code's CPU for publishing a 50-wide DAG
 * run (plan, 50 steps ready and started in one task, their results over 5 tasks, finish), with the
 * publisher called on every change against once per workflow task. In-process and alternating, so
 * the ratio holds on a loaded machine where the end-to-end bench cannot resolve a few ms.
 */
import { performance } from 'node:perf_hooks';
import { RunState, type PublishHook } from '../workflows/run-state.js';
import { publisher } from '../workflows/run-publication.js';
import { CoalescedPublication } from '../workflows/task-publication.js';
import { dagPlan } from './dag-plans.js';
import { summarize } from './stats.js';

const WIDTH = 50;
const COMPLETION_TASKS = 5;
const ROUNDS = 200;
const plan = dagPlan('wide', WIDTH, 200);
const policy = { id: 'bench', hash: 'b'.repeat(64) };

/** Counts the writes a workflow would send: search-attribute and memo upserts (details are free). */
function countingPublisher(writes: { count: number }): PublishHook {
  return publisher({
    details: () => undefined,
    searchAttributes: () => (writes.count += 1),
    pendingApprovals: () => (writes.count += 1),
    heldSteps: () => (writes.count += 1),
  });
}

function oneRun(oncePerTask: boolean, writes: { count: number }): void {
  const publish = countingPublisher(writes);
  const coalesced = new CoalescedPublication(publish);
  const hook: PublishHook = oncePerTask ? coalesced.hook : publish;
  const endTask = () => coalesced.flush();
  let tick = Date.UTC(2026, 0, 1);
  const run = new RunState(
    { user_id: 'bench', session_id: 'bench', message: 'wide 50 200' },
    'bench-run',
    () => new Date((tick += 1)).toISOString(),
    hook,
  );
  run.adoptPlan(plan, policy);
  for (const step of plan.steps) run.markReady(step.id);
  for (const step of plan.steps) run.startAttempt(step.id);
  endTask();
  const perTask = WIDTH / COMPLETION_TASKS;
  for (let task = 0; task < COMPLETION_TASKS; task++) {
    for (const step of plan.steps.slice(task * perTask, (task + 1) * perTask)) run.recordSuccess(step.id, {});
    endTask();
  }
  run.finish();
  endTask();
}

const samples = { perChange: [] as number[], perTask: [] as number[] };
const writes = { perChange: { count: 0 }, perTask: { count: 0 } };
for (let i = 0; i < 20; i++) oneRun(i % 2 === 0, { count: 0 });
for (let i = 0; i < ROUNDS; i++) {
  for (const oncePerTask of i % 2 === 0 ? [false, true] : [true, false]) {
    const start = performance.now();
    oneRun(oncePerTask, oncePerTask ? writes.perTask : writes.perChange);
    (oncePerTask ? samples.perTask : samples.perChange).push(performance.now() - start);
  }
}
const perChange = summarize(samples.perChange);
const perTask = summarize(samples.perTask);
const row = (label: string, s: ReturnType<typeof summarize>, count: number) =>
  `| ${label} | ${s.median.toFixed(2)} / ${s.p95.toFixed(2)} | ${(count / ROUNDS).toFixed(0)} |`;
console.log(`| publication of a ${WIDTH}-wide DAG run | ms per run: median / p95 (n=${ROUNDS}) | upserts per run |`);
console.log('| --- | --- | --- |');
console.log(row('on every change', perChange, writes.perChange.count));
console.log(row('once per workflow task', perTask, writes.perTask.count));
console.log(`ratio of medians: ${(perTask.median / perChange.median).toFixed(2)}`);
