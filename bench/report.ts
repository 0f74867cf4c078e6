/**
 * The bench's results as an HTML page of SVG charts, drawn by Vega-Lite (compiled to Vega and
 * rendered to SVG strings in Node, no browser): chat-to-settled distributions of ours against the
 * baseline, DAG wall times against their critical paths, and the open-loop load phase second by
 * second. The page has no script; the charts are static.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchResults } from './results.js';
import { summarize } from './stats.js';

const OURS = 'ours';
const BASELINE = 'baseline (bare workflow)';
const SERIES_COLOURS = { domain: [OURS, BASELINE], range: ['#0969da', '#8c959f'] };

export interface Chart {
  id: string;
  title: string;
  /** One sentence under the chart: what to read from it. */
  caption: string;
  svg: string;
}

/** Vega-Lite specification → SVG markup. */
async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function chatChart(results: BenchResults): TopLevelSpec {
  const values = [
    ...results.chat.ours.map((ms) => ({ series: OURS, ms })),
    ...results.chat.baseline.map((ms) => ({ series: BASELINE, ms })),
  ];
  const medians = [
    { series: OURS, ms: summarize(results.chat.ours).median },
    { series: BASELINE, ms: summarize(results.chat.baseline).median },
  ];
  const colour = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: SERIES_COLOURS,
    legend: { orient: 'top', labelLimit: 300 },
  } as const;
  return {
    width: 560,
    height: 200,
    layer: [
      {
        data: { values },
        transform: [{ density: 'ms', groupby: ['series'], extent: [0, Math.max(1, ...values.map((v) => v.ms)) * 1.1] }],
        mark: { type: 'area', opacity: 0.45, line: true },
        encoding: {
          x: { field: 'value', type: 'quantitative', title: 'chat-to-settled, low-value transfer (ms)' },
          y: { field: 'density', type: 'quantitative', title: 'share of chats', axis: { labels: false, ticks: false } },
          color: colour,
        },
      },
      {
        data: { values: medians },
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 2 },
        encoding: { x: { field: 'ms', type: 'quantitative' }, color: colour },
      },
    ],
  };
}

function dagChart(results: BenchResults): TopLevelSpec {
  // One row per DAG and series, so the two sets of dots never hide each other.
  const row = (label: string, series: string) => `${label}: ${series === OURS ? 'ours' : 'baseline'}`;
  const samples = results.dag.flatMap((d) => [
    ...d.ours.map((ms) => ({ row: row(d.label, OURS), series: OURS, ms })),
    ...d.baseline.map((ms) => ({ row: row(d.label, BASELINE), series: BASELINE, ms })),
  ]);
  const critical = results.dag.flatMap((d) =>
    [OURS, BASELINE].map((series) => ({ row: row(d.label, series), ms: d.critical_path_ms })),
  );
  const y = { field: 'row', type: 'nominal', title: null, sort: null, axis: { labelLimit: 300 } } as const;
  return {
    width: 560,
    height: { step: 30 },
    layer: [
      {
        data: { values: critical },
        mark: { type: 'tick', color: '#cf222e', thickness: 3 },
        encoding: { x: { field: 'ms', type: 'quantitative' }, y },
      },
      {
        data: { values: samples },
        mark: { type: 'point', filled: true, size: 60, opacity: 0.8 },
        encoding: {
          x: {
            field: 'ms',
            type: 'quantitative',
            title: 'wall time of one DAG run (ms); red: its critical path',
            scale: { zero: true },
          },
          y,
          color: { field: 'series', type: 'nominal', title: null, scale: SERIES_COLOURS, legend: null },
        },
      },
    ],
  };
}

function loadChart(results: BenchResults): TopLevelSpec {
  const load = results.load;
  const x = {
    field: 'second',
    type: 'ordinal',
    title: `second of the load phase (${load.rate_per_s}/s arriving)`,
    axis: { labelAngle: 0 },
  } as const;
  return {
    width: 560,
    height: 200,
    data: { values: load.per_second },
    layer: [
      {
        mark: { type: 'bar', color: '#8c959f', opacity: 0.6 },
        encoding: {
          x,
          y: {
            field: 'completed',
            type: 'quantitative',
            title: 'chats completed in that second',
            axis: { titleColor: '#57606a' },
          },
        },
      },
      {
        mark: { type: 'line', color: '#0969da', point: true },
        encoding: {
          x,
          y: { field: 'p50_ms', type: 'quantitative', title: 'median latency (ms)', axis: { titleColor: '#0969da' } },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}

/** The three charts, in the report's order. */
export async function renderCharts(results: BenchResults): Promise<Chart[]> {
  const ratio = summarize(results.chat.ours).median / summarize(results.chat.baseline).median;
  return [
    {
      id: 'chat-latency',
      title: 'Chat-to-settled: ours against the bare workflow',
      caption:
        `Distribution of ${results.chat.ours.length} and ${results.chat.baseline.length} samples; ` +
        `dashed lines are the medians (ours/baseline ${Number.isFinite(ratio) ? ratio.toFixed(2) : '–'}).`,
      svg: await toSvg(chatChart(results)),
    },
    {
      id: 'dag-wall-time',
      title: 'DAG wall time against its critical path',
      caption: 'Each dot is one run; the closer to the red tick, the less the engine added to the critical path.',
      svg: await toSvg(dagChart(results)),
    },
    {
      id: 'load-phase',
      title: 'Throughput over the load phase',
      caption:
        `${results.load.completed} of ${results.load.started} chats completed over ${results.load.seconds} s ` +
        `at ${results.load.rate_per_s}/s (open loop), ` +
        `${results.load.errors.length} ${results.load.errors.length === 1 ? 'error' : 'errors'}.`,
      svg: await toSvg(loadChart(results)),
    },
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A standalone HTML page: what was measured where, and the charts. */
export async function renderReport(results: BenchResults): Promise<string> {
  const charts = await renderCharts(results);
  const { meta } = results;
  const machine = `${meta.cpus} x ${meta.cpu_model}, ${meta.mem_gib} GiB, Node ${meta.node}`;
  const tools = meta.local_tool_calls ? 'local activities' : 'activities';
  const mode = `${meta.quick ? 'quick' : 'full'} run, tools as ${tools}`;
  const figures = charts
    .map(
      (c) => `<figure id="${c.id}">
<h2>${escapeHtml(c.title)}</h2>
${c.svg}
<figcaption>${escapeHtml(c.caption)}</figcaption>
</figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Bench ${escapeHtml(meta.date)}</title>
<style>
body { font-family: system-ui, sans-serif; color: #1f2328; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption, .meta { color: #57606a; font-size: 0.9rem; }
</style>
</head>
<body>
<h1>Bench results</h1>
<p class="meta">${escapeHtml(meta.date)}: ${escapeHtml(mode)}, on ${escapeHtml(machine)}; ${meta.seconds} s in all.</p>
${figures}
</body>
</html>
`;
}
