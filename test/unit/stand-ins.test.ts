/** standInsFor: whom a person stands in for at a moment, with which groups (the entry's own, else the absent person's). */
import { describe, expect, it } from 'vitest';
import { standInsFor } from '../../gateway/approvals/stand-ins.js';
import type { OutOfOffice } from '../../src/shared/policy/schema.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const ENTRIES: OutOfOffice[] = [
  { from: 'bob', to: 'frank', until: '2026-12-03T00:00:00Z' },
  { from: 'alice', to: 'frank', until: '2026-12-02T12:00:00Z' },
  { from: 'carol', to: 'Frank', until: '2027-01-01T00:00:00Z', groups: ['managers'] },
  { from: 'dave', to: 'eve', until: '2027-01-01T00:00:00Z' },
];
const groupsOfUser = (id: string) => (({ bob: ['approvers'], alice: ['approvers'] }) as Record<string, string[]>)[id];

describe('standInsFor', () => {
  it.each<[string, string, { from: string; groups: string[] }[]]>([
    [
      'a stand-in for two, one entry ended at this very moment',
      'frank',
      [
        { from: 'bob', groups: ['approvers'] },
        { from: 'carol', groups: ['managers'] },
      ],
    ],
    ['someone whose absent person has no known groups', 'eve', [{ from: 'dave', groups: [] }]],
    ['someone who stands in for nobody', 'bob', []],
  ])('%s', (_name, person, expected) => {
    expect(
      standInsFor(ENTRIES, person, groupsOfUser, NOW).map((s) => ({ from: s.entry.from, groups: s.groups })),
    ).toEqual(expected);
  });
});
