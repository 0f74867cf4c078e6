/** CoalescedPublication: many changes in a task, one publication of the run as it ended. */
import { describe, expect, it } from 'vitest';
import type { RunState } from '../../workflows/run-state.js';
import { CoalescedPublication } from '../../workflows/task-publication.js';

const run = (name: string) => ({ name }) as unknown as RunState;

describe('CoalescedPublication', () => {
  const cases: { title: string; changes: string[][]; published: string[] }[] = [
    { title: 'publishes nothing when nothing changed', changes: [[]], published: [] },
    { title: 'publishes 50 changes in one task once', changes: [Array(50).fill('run')], published: ['run'] },
    { title: 'publishes the run as the last change left it', changes: [['first', 'last']], published: ['last'] },
    { title: 'publishes once per flush that follows a change', changes: [['a'], [], ['b']], published: ['a', 'b'] },
  ];
  it.each(cases)('$title', ({ changes, published }) => {
    const written: string[] = [];
    const publication = new CoalescedPublication((state) => written.push((state as unknown as { name: string }).name));
    for (const task of changes) {
      for (const name of task) publication.hook(run(name));
      expect(publication.pending).toBe(task.length > 0);
      publication.flush();
      expect(publication.pending).toBe(false);
    }
    expect(written).toEqual(published);
  });
});
