/**
 * Where a run's time goes: the client's send and answer times around the run's history events,
 * as one segment per consecutive pair, the median of each over many runs of the same shape.
 * Every process runs on this machine, so the client's clock and the server's are the same clock.
 */
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { Segment } from './results.js';
import { percentile } from './stats.js';

export interface TimedRun {
  workflowId: string;
  /** Epoch ms when the client sent the request, and when it had the answer. */
  sentAt: number;
  answeredAt: number;
}

interface HistoryEventJson {
  eventType: string;
  eventTime: string;
}

const shortName = (eventType: string): string =>
  eventType
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The run's points in time: the request, each history event, the answer. */
async function pointsOf(client: Client, run: TimedRun): Promise<{ name: string; at: number }[]> {
  const history = await client.workflow.getHandle(run.workflowId).fetchHistory();
  const events = (JSON.parse(historyToJSON(history)) as { events: HistoryEventJson[] }).events;
  const points = [
    { name: 'request sent', at: run.sentAt },
    ...events.map((e) => ({ name: shortName(e.eventType), at: Date.parse(e.eventTime) })),
    { name: 'answer received', at: run.answeredAt },
  ];
  // Stable: events recorded in the same millisecond keep their history order.
  return points.sort((a, b) => a.at - b.at);
}

/**
 * Medians of each segment, for runs whose histories have the same shape as the first one's (runs
 * of another shape, e.g. one whose tool call was retried, or whose answer came before its last
 * events, are left out).
 */
export async function breakdown(client: Client, runs: readonly TimedRun[]): Promise<Segment[]> {
  const all = await Promise.all(runs.map((run) => pointsOf(client, run)));
  const shape = all[0]?.map((p) => p.name).join(',');
  const alike = all.filter((points) => points.map((p) => p.name).join(',') === shape);
  if (alike.length === 0) return [];
  const first = alike[0]!;
  return first.slice(1).map((point, i) => {
    const deltas = alike.map((points) => points[i + 1]!.at - points[i]!.at).sort((a, b) => a - b);
    return { segment: `${first[i]!.name} → ${point.name}`, median_ms: percentile(deltas, 50) };
  });
}
