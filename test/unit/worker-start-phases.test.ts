import { describe, expect, it } from 'vitest';
import { StartPhases, describeStartPhases, parseStartPhases, type StartPhase } from '../../worker/start-phases.js';

describe('describeStartPhases', () => {
  const cases: { phases: StartPhase[]; line: string }[] = [
    { phases: [], line: 'no start phases recorded' },
    { phases: [{ name: 'modules', endedAtMs: 612.4 }], line: '612 ms after the process started: modules 612 ms' },
    {
      phases: [
        { name: 'modules', endedAtMs: 600 },
        { name: 'config', endedAtMs: 612.6 },
        { name: 'connection', endedAtMs: 650 },
        { name: 'worker', endedAtMs: 1840 },
      ],
      line: '1840 ms after the process started: modules 600 ms, config 13 ms, connection 37 ms, worker 1190 ms',
    },
  ];
  it.each(cases)('$line', ({ phases, line }) => expect(describeStartPhases(phases)).toBe(line));

  it('refuses a phase that ends before the one before it', () => {
    const phases = [
      { name: 'modules', endedAtMs: 600 },
      { name: 'config', endedAtMs: 500 },
    ];
    expect(() => describeStartPhases(phases)).toThrow('start phase "config" ends before the one before it');
  });
});

describe('StartPhases', () => {
  it('ends each phase at the clock of its end', () => {
    const ticks = [100, 130, 400];
    const phases = new StartPhases(() => ticks.shift()!);
    phases.end('modules');
    phases.end('config');
    phases.end('worker');
    expect(describeStartPhases(phases.list())).toBe(
      '400 ms after the process started: modules 100 ms, config 30 ms, worker 270 ms',
    );
  });

  it('refuses a phase without a name', () => {
    expect(() => new StartPhases().end('')).toThrow('a start phase needs a name');
  });
});

describe('parseStartPhases', () => {
  const cases: { line: string; phases: Record<string, number> | undefined }[] = [
    {
      line: 'worker polling task queue "q" on h:1 (1840 ms after the process started: modules 600 ms, worker 1240 ms)',
      phases: { modules: 600, worker: 1240, total: 1840 },
    },
    { line: 'worker polling task queue "q" on h:1', phases: undefined },
    { line: 'some other line', phases: undefined },
  ];
  it.each(cases)('$line', ({ line, phases }) => expect(parseStartPhases(line)).toEqual(phases));

  it('reads back what describeStartPhases wrote', () => {
    const line = `(${describeStartPhases([
      { name: 'modules', endedAtMs: 600 },
      { name: 'config', endedAtMs: 612 },
    ])})`;
    expect(parseStartPhases(line)).toEqual({ modules: 600, config: 12, total: 612 });
  });

  it('names a phase it cannot read', () => {
    expect(() => parseStartPhases('(10 ms after the process started: modules ten ms)')).toThrow(
      'start phase "modules ten ms" is not "<name> <ms> ms"',
    );
  });
});
