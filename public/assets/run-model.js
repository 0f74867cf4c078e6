// @ts-check
/**
 * Pure facts about a run for its pictures: why a step was skipped, when each step waited and ran
 * (from its started_at/finished_at and the timeline), and which chain of steps the run waited on.
 * No DOM here, so unit tests import it directly.
 */

/** @typedef {import('./api-contract.js').RunView} RunView */
/** @typedef {import('./api-contract.js').StepView} StepView */
/** @typedef {import('./api-contract.js').TimelineEvent} TimelineEvent */

/**
 * @typedef {object} Segment
 * @property {'queued'|'approval'|'running'} kind queued: ready, not started; approval: blocked on a decision
 * @property {number} from ms since the epoch
 * @property {number} to
 * @property {boolean} open still going at `to` (the latest time known)
 *
 * @typedef {object} Lane
 * @property {string} stepId
 * @property {number | undefined} readyAt
 * @property {number | undefined} finishedAt
 * @property {Segment[]} segments in time order
 *
 * @typedef {object} Lanes
 * @property {number} start the run's creation
 * @property {number} end the last finish, or the latest time known while the run goes on
 * @property {Lane[]} lanes one per step, in plan order
 * @property {string[]} criticalPath step ids, first to last
 * @property {number} criticalMs the critical path's length, each step counted from ready to finished (or now)
 */

/** Final states other than SUCCEEDED: a dependency in one of them stops its dependents. */
const UNSUCCESSFUL = ['FAILED', 'REJECTED', 'SKIPPED', 'CANCELLED'];

/**
 * Each skipped step's dependencies that did not succeed: the step_skipped event's `blocked_by`,
 * else (events not seen yet) the dependencies whose state is final and not SUCCEEDED.
 * @param {RunView} run
 * @param {readonly TimelineEvent[]} events
 * @returns {Map<string, string[]>}
 */
export function skippedBy(run, events) {
  /** @type {Map<string, string[]>} */
  const stoppedBy = new Map();
  for (const event of events) {
    if (event.event !== 'step_skipped' || !event.step_id) continue;
    const blockers = event.metadata?.blocked_by;
    if (Array.isArray(blockers))
      stoppedBy.set(
        event.step_id,
        blockers.filter((b) => typeof b === 'string'),
      );
  }
  const stateOf = new Map(run.steps.map((s) => [s.id, s.state]));
  for (const step of run.steps) {
    if (step.state !== 'SKIPPED' || stoppedBy.has(step.id)) continue;
    stoppedBy.set(
      step.id,
      step.depends_on.filter((d) => UNSUCCESSFUL.includes(stateOf.get(d) ?? 'PENDING')),
    );
  }
  return stoppedBy;
}

/** @param {string | undefined} iso */
function ms(iso) {
  if (iso === undefined) return undefined;
  const value = Date.parse(iso);
  return Number.isNaN(value) ? undefined : value;
}

/**
 * One lane per step: ready from its step_ready event until it starts, waiting for approval from
 * each approval's requested_at to decided_at, running from started_at to finished_at.
 * @param {RunView} run
 * @param {readonly TimelineEvent[]} events
 * @param {number} now the latest time known; open segments end here
 * @returns {Lanes}
 */
export function lanesOf(run, events, now) {
  const start = ms(run.created_at) ?? Math.min(now, ...events.map((e) => ms(e.timestamp) ?? now));
  /** @type {Map<string, TimelineEvent[]>} */
  const byStep = new Map();
  for (const event of events) {
    if (!event.step_id) continue;
    const list = byStep.get(event.step_id) ?? [];
    list.push(event);
    byStep.set(event.step_id, list);
  }
  const lanes = run.steps.map((step) =>
    laneOf(
      step,
      byStep.get(step.id) ?? [],
      run.approvals.filter((a) => a.step_id === step.id),
      now,
    ),
  );
  const finishes = lanes.map((l) => l.finishedAt).filter((t) => t !== undefined);
  const settled = run.steps.every((s) => s.finished_at !== undefined);
  const end = settled && finishes.length > 0 ? Math.max(...finishes) : Math.max(now, ...finishes);
  // A step still going counts until now, so a wait for approval shows on the path while it lasts.
  const spanOf = new Map(
    lanes.map((l) => [l.stepId, l.readyAt !== undefined ? Math.max(0, (l.finishedAt ?? now) - l.readyAt) : 0]),
  );
  const { path, length } = criticalPath(run.steps, (id) => spanOf.get(id) ?? 0);
  return { start, end: Math.max(end, start), lanes, criticalPath: path, criticalMs: length };
}

/**
 * @param {StepView} step
 * @param {readonly TimelineEvent[]} events this step's, in seq order (only the first step_ready is used)
 * @param {readonly import('./api-contract.js').ApprovalRecord[]} approvals this step's
 * @param {number} now
 * @returns {Lane}
 */
function laneOf(step, events, approvals, now) {
  const startedAt = ms(step.started_at);
  const finishedAt = ms(step.finished_at);
  /** @type {Segment[]} */
  const waits = [];
  // Approvals come from the run view, not the timeline, so the wait shows even while the stream is down.
  for (const approval of approvals) {
    const from = ms(approval.requested_at);
    if (from === undefined) continue;
    const decided = ms(approval.decided_at);
    const to = decided ?? finishedAt ?? now;
    waits.push({
      kind: 'approval',
      from,
      to: Math.max(from, to),
      open: decided === undefined && finishedAt === undefined,
    });
  }
  waits.sort((a, b) => a.from - b.from);
  const readyEvent = events.find((e) => e.event === 'step_ready');
  const readyAt = ms(readyEvent?.timestamp) ?? waits[0]?.from ?? startedAt;
  /** @type {Segment[]} */
  const segments = [];
  if (readyAt !== undefined) {
    // Ready until it started (or ended, or now), except while it waited for a decision.
    const until = startedAt ?? finishedAt ?? now;
    const open = startedAt === undefined && finishedAt === undefined;
    let from = readyAt;
    for (const wait of waits) {
      if (wait.from > from) segments.push({ kind: 'queued', from, to: Math.min(wait.from, until), open: false });
      segments.push(wait);
      from = Math.max(from, wait.to);
    }
    if (until > from || (open && waits.every((w) => !w.open)))
      segments.push({ kind: 'queued', from, to: Math.max(from, until), open: open && waits.every((w) => !w.open) });
  }
  if (startedAt !== undefined) {
    segments.push({
      kind: 'running',
      from: startedAt,
      to: Math.max(finishedAt ?? now, startedAt),
      open: finishedAt === undefined,
    });
  }
  return { stepId: step.id, readyAt, finishedAt, segments };
}

/**
 * The longest dependency chain, each step weighted by `cost(id)` (the same measure as
 * criticalPathLength in src/shared/dag.ts, with the chain itself). Ties go to the earlier step.
 * @param {readonly Pick<StepView, 'id' | 'depends_on'>[]} steps
 * @param {(id: string) => number} cost
 * @returns {{ path: string[], length: number }}
 */
export function criticalPath(steps, cost) {
  const byId = new Map(steps.map((s) => [s.id, s]));
  /** @type {Map<string, { length: number, via: string | undefined }>} */
  const memo = new Map();
  /** @type {Set<string>} */
  const visiting = new Set();
  /** @param {string} id */
  const finish = (id) => {
    const known = memo.get(id);
    if (known) return known.length;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let via;
    let before = 0;
    for (const dep of byId.get(id)?.depends_on ?? []) {
      if (!byId.has(dep)) continue;
      const length = finish(dep);
      if (via === undefined || length > before) {
        via = dep;
        before = length;
      }
    }
    visiting.delete(id);
    const length = before + Math.max(0, cost(id));
    memo.set(id, { length, via });
    return length;
  };
  let last;
  let longest = 0;
  for (const step of steps) {
    const length = finish(step.id);
    if (last === undefined || length > longest) {
      last = step.id;
      longest = length;
    }
  }
  const path = [];
  for (let id = last; id !== undefined; id = memo.get(id)?.via) path.unshift(id);
  return { path, length: longest };
}
