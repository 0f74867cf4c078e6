/**
 * CPU time spent by each process of a stack during a phase, per request: on two cores, what one
 * request costs in CPU bounds how many a second the stack can serve.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function cpuMsOfPid(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

export type ProcessIds = Record<string, () => number | undefined>;

/** Runs `phase` and returns its result with the CPU ms per request of each named process. */
export async function cpuPerRequest<T extends { requests: number }>(
  processes: ProcessIds,
  phase: () => Promise<T>,
): Promise<T & { cpu_ms_per_request: Record<string, number> }> {
  const own = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const read = (): Record<string, number> => ({
    ...Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMsOfPid(pid())])),
    client: own(),
  });
  const before = read();
  const result = await phase();
  const after = read();
  const cpu_ms_per_request = Object.fromEntries(
    Object.keys(after).map((name) => [
      name,
      Math.round(((after[name]! - before[name]!) / Math.max(1, result.requests)) * 100) / 100,
    ]),
  );
  return { ...result, cpu_ms_per_request };
}
