/**
 * What a worker does before it polls, phase by phase, for its start-up line: a restart costs every
 * client this long, so the line says where the time went (docs/performance.md, "Worker start").
 */

export interface StartPhase {
  name: string;
  /** Milliseconds since the process started when the phase ended. */
  endedAtMs: number;
}

/** Records the end of each phase against a clock that counts from the process's start. */
export class StartPhases {
  private readonly ended: StartPhase[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Ends the phase that ran since the previous one (the first one since the process started). */
  end(name: string): void {
    if (!name) throw new Error('a start phase needs a name');
    this.ended.push({ name, endedAtMs: this.now() });
  }

  list(): readonly StartPhase[] {
    return this.ended;
  }
}

/** `1840 ms after the process started: modules 620 ms, config 12 ms, ...`: each phase's own duration. */
export function describeStartPhases(phases: readonly StartPhase[]): string {
  const last = phases.at(-1);
  if (!last) return 'no start phases recorded';
  const durations = phases.map((phase, i) => {
    const since = i === 0 ? 0 : phases[i - 1]!.endedAtMs;
    if (phase.endedAtMs < since) throw new Error(`start phase "${phase.name}" ends before the one before it`);
    return `${phase.name} ${Math.round(phase.endedAtMs - since)} ms`;
  });
  return `${Math.round(last.endedAtMs)} ms after the process started: ${durations.join(', ')}`;
}

const PHASES_LINE = /\((\d+) ms after the process started: ([^)]*)\)/;
const PHASE = /^(\S+) (\d+) ms$/;

/** The phases back out of a start-up line: each phase's milliseconds, and `total`; undefined without one. */
export function parseStartPhases(line: string): Record<string, number> | undefined {
  const found = PHASES_LINE.exec(line);
  if (!found) return undefined;
  const phases: Record<string, number> = {};
  for (const part of found[2]!.split(', ')) {
    const phase = PHASE.exec(part);
    if (!phase) throw new Error(`start phase "${part}" is not "<name> <ms> ms"`);
    phases[phase[1]!] = Number(phase[2]);
  }
  return { ...phases, total: Number(found[1]) };
}
