/** bench/report.ts renders a small results fixture into an HTML page with three SVG charts. */
import { describe, expect, it } from 'vitest';
import { renderCharts, renderReport } from '../../bench/report.js';
import type { BenchResults } from '../../bench/results.js';

const FIXTURE: BenchResults = {
  meta: {
    date: '2026-12-01T21:00:00.000Z',
    quick: true,
    local_tool_calls: false,
    cpus: 2,
    cpu_model: 'AMD EPYC <test>',
    mem_gib: 24,
    node: 'v20.20.2',
    seconds: 61,
  },
  first_chat_ms: 212,
  chat: { ours: [101, 104, 108, 111, 130, 164], baseline: [140, 145, 146, 149, 150, 152] },
  approval: [70, 74, 80],
  throughput: {
    clients: 8,
    seconds: 30,
    ours_per_s: 16.4,
    baseline_per_s: 32,
    cpu_ms_per_transfer: { ours: { worker: 12 }, baseline: { worker: 6 } },
  },
  load: {
    rate_per_s: 12,
    seconds: 3,
    started: 36,
    completed: 35,
    errors: ['timeout'],
    latencies: [110, 120, 130],
    per_second: [
      { second: 0, completed: 11, p50_ms: 115 },
      { second: 1, completed: 12, p50_ms: 121 },
      { second: 2, completed: 12, p50_ms: 140 },
    ],
  },
  dag: [
    {
      label: 'DAG 50 wide x 200 ms',
      shape: 'wide',
      count: 50,
      step_ms: 200,
      critical_path_ms: 200,
      ours: [379, 400, 488],
      baseline: [299, 310, 344],
    },
    {
      label: 'DAG 20 deep x 20 ms',
      shape: 'chain',
      count: 20,
      step_ms: 20,
      critical_path_ms: 400,
      ours: [886, 900, 1094],
      baseline: [1049, 1050, 1054],
    },
  ],
  inbox: { waiting: 1000, ms: [271, 300] },
  memory: { waiting: 1000, worker_mb: 495, gateway_mb: 205 },
  breakdown: [],
};

describe('bench report', () => {
  it('draws the three charts from the samples', async () => {
    const charts = await renderCharts(FIXTURE);
    expect(charts.map((c) => c.id)).toEqual(['chat-latency', 'dag-wall-time', 'load-phase']);
    for (const chart of charts) expect(chart.svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const [chat, dag, load] = charts as [(typeof charts)[number], (typeof charts)[number], (typeof charts)[number]];
    expect(chat.svg).toContain('chat-to-settled, low-value transfer (ms)');
    expect(chat.svg).toContain('baseline (bare workflow)');
    expect(chat.caption).toBe('Distribution of 6 and 6 samples; dashed lines are the medians (ours/baseline 0.74).');
    for (const row of [
      'DAG 50 wide x 200 ms: ours',
      'DAG 50 wide x 200 ms: baseline',
      'DAG 20 deep x 20 ms: ours',
      'DAG 20 deep x 20 ms: baseline',
    ])
      expect(dag.svg).toContain(row);
    // One dot per run (12 in the fixture), one critical-path tick per row (4).
    expect(dag.svg.match(/aria-roledescription="point"/g)?.length).toBe(12);
    expect(dag.svg.match(/aria-roledescription="tick"/g)?.length).toBe(4);
    expect(load.svg).toContain('median latency (ms)');
    expect(load.caption).toBe('35 of 36 chats completed over 3 s at 12/s (open loop), 1 error.');
  });

  it('is a standalone page without scripts, with the machine escaped', async () => {
    const html = await renderReport(FIXTURE);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).not.toContain('<script');
    expect(html).toContain('AMD EPYC &#60;test&#62;');
    expect(html).toContain('quick run, tools as activities');
  });
});
