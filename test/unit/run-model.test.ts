/** The page's pure run facts (public/assets/run-model.js): skips, lanes, critical path. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error The page's modules are plain JS checked by `tsc -p public`, not by this project.
import { criticalPath, lanesOf, skippedBy } from '../../public/assets/run-model.js';

type Step = { id: string; depends_on: string[]; state?: string; started_at?: string; finished_at?: string };
type Event = { seq: number; event: string; timestamp: string; step_id?: string; metadata?: Record<string, unknown> };

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
type Approval = { step_id: string; requested_at: string; decided_at?: string };
const run = (steps: Step[], approvals: Approval[] = []) => ({
  created_at: at(0),
  steps: steps.map((s) => ({ name: s.id, state: 'PENDING', ...s })),
  approvals,
});
const event = (
  seq: number,
  name: string,
  ms: number,
  step_id?: string,
  metadata: Record<string, unknown> = {},
): Event => ({ seq, event: name, timestamp: at(ms), step_id, metadata });

describe('criticalPath', () => {
  const cases: { name: string; steps: Step[]; cost: Record<string, number>; path: string[]; length: number }[] = [
    { name: 'no steps', steps: [], cost: {}, path: [], length: 0 },
    { name: 'one step', steps: [{ id: 'a', depends_on: [] }], cost: { a: 5 }, path: ['a'], length: 5 },
    {
      name: 'a chain',
      steps: [
        { id: 'a', depends_on: [] },
        { id: 'b', depends_on: ['a'] },
        { id: 'c', depends_on: ['b'] },
      ],
      cost: { a: 1, b: 2, c: 3 },
      path: ['a', 'b', 'c'],
      length: 6,
    },
    {
      name: 'the longer branch of a diamond',
      steps: [
        { id: 'a', depends_on: [] },
        { id: 'b', depends_on: ['a'] },
        { id: 'c', depends_on: ['a'] },
        { id: 'd', depends_on: ['b', 'c'] },
      ],
      cost: { a: 1, b: 1, c: 4, d: 1 },
      path: ['a', 'c', 'd'],
      length: 6,
    },
    {
      name: 'an independent step longer than the chain',
      steps: [
        { id: 'a', depends_on: [] },
        { id: 'b', depends_on: ['a'] },
        { id: 'gym', depends_on: [] },
      ],
      cost: { a: 1, b: 1, gym: 3 },
      path: ['gym'],
      length: 3,
    },
    {
      name: 'ties go to the earlier step',
      steps: [
        { id: 'a', depends_on: [] },
        { id: 'b', depends_on: [] },
      ],
      cost: { a: 2, b: 2 },
      path: ['a'],
      length: 2,
    },
    {
      name: 'unknown dependencies are ignored',
      steps: [{ id: 'a', depends_on: ['ghost'] }],
      cost: { a: 1 },
      path: ['a'],
      length: 1,
    },
  ];
  it.each(cases)('$name', ({ steps, cost, path, length }) => {
    expect(criticalPath(steps, (id: string) => cost[id] ?? 0)).toEqual({ path, length });
  });
});

describe('skippedBy', () => {
  it('takes blocked_by from the step_skipped event', () => {
    const view = run([
      { id: 'a', depends_on: [], state: 'FAILED' },
      { id: 'b', depends_on: [], state: 'REJECTED' },
      { id: 'c', depends_on: ['a', 'b'], state: 'SKIPPED' },
    ]);
    expect(skippedBy(view, [event(1, 'step_skipped', 10, 'c', { blocked_by: ['b'] })])).toEqual(
      new Map([['c', ['b']]]),
    );
  });
  it('falls back to the dependencies that ended without success before the event arrives', () => {
    const view = run([
      { id: 'a', depends_on: [], state: 'FAILED' },
      { id: 'ok', depends_on: [], state: 'SUCCEEDED' },
      { id: 'c', depends_on: ['a', 'ok'], state: 'SKIPPED' },
    ]);
    expect(skippedBy(view, [])).toEqual(new Map([['c', ['a']]]));
  });
  it('says nothing of steps that were not skipped', () => {
    expect(skippedBy(run([{ id: 'a', depends_on: [], state: 'RUNNING' }]), [])).toEqual(new Map());
  });
});

describe('lanesOf', () => {
  it('an approved step: ready, waiting for approval, ready again, running; on the critical path', () => {
    const view = run(
      [{ id: 'transfer', depends_on: [], state: 'SUCCEEDED', started_at: at(5100), finished_at: at(5300) }],
      [{ step_id: 'transfer', requested_at: at(120), decided_at: at(5000) }],
    );
    const lanes = lanesOf(
      view,
      [
        event(1, 'plan_created', 50),
        event(2, 'step_ready', 100, 'transfer'),
        event(3, 'step_blocked', 120, 'transfer'),
        event(4, 'approval_required', 120, 'transfer'),
        event(5, 'approval_approved', 5000, 'transfer'),
        event(6, 'step_ready', 5000, 'transfer'),
        event(7, 'step_running', 5100, 'transfer'),
        event(8, 'step_succeeded', 5300, 'transfer'),
      ],
      T0 + 9999,
    );
    expect(lanes.start).toBe(T0);
    expect(lanes.end).toBe(T0 + 5300);
    expect(
      lanes.lanes[0].segments.map((s: { kind: string; from: number; to: number; open: boolean }) => [
        s.kind,
        s.from - T0,
        s.to - T0,
        s.open,
      ]),
    ).toEqual([
      ['queued', 100, 120, false],
      ['approval', 120, 5000, false],
      ['queued', 5000, 5100, false],
      ['running', 5100, 5300, false],
    ]);
    expect(lanes.criticalPath).toEqual(['transfer']);
    expect(lanes.criticalMs).toBe(5200);
  });

  it('while the run goes on, open segments end at now', () => {
    const view = run(
      [
        { id: 'submit', depends_on: [], state: 'BLOCKED' },
        { id: 'gym', depends_on: [], state: 'RUNNING', started_at: at(200) },
        { id: 'groceries', depends_on: [], state: 'READY' },
      ],
      [{ step_id: 'submit', requested_at: at(150) }],
    );
    const lanes = lanesOf(
      view,
      [
        event(1, 'step_ready', 100, 'submit'),
        event(2, 'step_ready', 100, 'gym'),
        event(3, 'step_ready', 300, 'groceries'),
      ],
      T0 + 1000,
    );
    expect(lanes.end).toBe(T0 + 1000);
    const [submit, gym, groceries] = lanes.lanes;
    expect(submit.segments).toEqual([
      { kind: 'queued', from: T0 + 100, to: T0 + 150, open: false },
      { kind: 'approval', from: T0 + 150, to: T0 + 1000, open: true },
    ]);
    expect(gym.segments.at(-1)).toEqual({ kind: 'running', from: T0 + 200, to: T0 + 1000, open: true });
    expect(groceries.segments).toEqual([{ kind: 'queued', from: T0 + 300, to: T0 + 1000, open: true }]);
  });

  it('the approval wait shows from the run view alone, before its timeline events arrive', () => {
    const view = run(
      [{ id: 'transfer', depends_on: [], state: 'BLOCKED' }],
      [{ step_id: 'transfer', requested_at: at(80) }],
    );
    const [lane] = lanesOf(view, [], T0 + 500).lanes;
    expect(lane.readyAt).toBe(T0 + 80);
    expect(lane.segments).toEqual([{ kind: 'approval', from: T0 + 80, to: T0 + 500, open: true }]);
  });

  it('a skipped step has no bars, only its end', () => {
    const view = run([{ id: 'c', depends_on: [], state: 'SKIPPED', finished_at: at(700) }]);
    const [lane] = lanesOf(view, [event(1, 'step_skipped', 700, 'c', { blocked_by: ['a'] })], T0 + 900).lanes;
    expect(lane).toEqual({ stepId: 'c', readyAt: undefined, finishedAt: T0 + 700, segments: [] });
  });
});
