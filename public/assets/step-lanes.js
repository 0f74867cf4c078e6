// @ts-check
/**
 * Step lanes: a time chart of the run, one lane per step. A thin line while a step is ready but
 * not started, a hatched amber bar while it waits for approval, a solid bar while it runs (coloured
 * by its state); the steps on the critical path (the chain the run's wall time followed) are
 * outlined and named in the caption. Each lane says the same in words for screen readers.
 */
import { STATE_LABELS } from './format.js';
import { lanesOf } from './run-model.js';

/** @typedef {import('./api-contract.js').RunView} RunView */
/** @typedef {import('./api-contract.js').TimelineEvent} TimelineEvent */
/** @typedef {import('./run-model.js').Segment} Segment */

const SVG = 'http://www.w3.org/2000/svg';
const LANE_HEIGHT = 24;
const AXIS_HEIGHT = 20;

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {...(Node | string)} children
 */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/**
 * "0.4 s", "12 s", "3 min 5 s"
 * @param {number} ms
 */
export function formatSpan(ms) {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/**
 * A tick spacing of 1, 2 or 5 times a power of ten that gives at most `count` ticks.
 * @param {number} spanMs
 * @param {number} count
 */
export function tickStep(spanMs, count) {
  const raw = Math.max(spanMs, 1) / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power;
}

/** @type {Record<Segment['kind'], string>} */
const SEGMENT_WORDS = { queued: 'ready', approval: 'waiting for approval', running: 'running' };

/**
 * @param {{ host: HTMLElement, caption: HTMLElement }} options
 */
export function createStepLanes({ host, caption }) {
  /** @type {{ run: RunView, events: readonly TimelineEvent[] } | undefined} */
  let last;
  let drawnWidth = 0;
  let hasOpen = false;
  new ResizeObserver(() => {
    if (last && host.clientWidth !== drawnWidth) draw(last.run, last.events);
  }).observe(host);
  // Bars still growing (a wait for approval, a long step) grow between updates too.
  setInterval(() => {
    if (last && hasOpen && !document.hidden) draw(last.run, last.events);
  }, 1000);

  /**
   * @param {RunView} run
   * @param {readonly TimelineEvent[]} events
   */
  function draw(run, events) {
    last = { run, events };
    if (run.steps.length === 0) {
      host.replaceChildren();
      caption.textContent = '';
      return;
    }
    const model = lanesOf(run, events, Date.now());
    hasOpen = model.lanes.some((lane) => lane.segments.some((segment) => segment.open));
    const width = Math.max(300, host.clientWidth);
    drawnWidth = host.clientWidth;
    const labelWidth = width < 520 ? 104 : 170;
    const plotWidth = width - labelWidth - 12;
    const span = Math.max(model.end - model.start, 1);
    const x = (/** @type {number} */ t) => labelWidth + ((t - model.start) / span) * plotWidth;
    const height = AXIS_HEIGHT + model.lanes.length * LANE_HEIGHT + 4;
    const critical = new Set(model.criticalPath);
    const names = new Map(run.steps.map((s) => [s.id, s]));

    const axis = svg('g', { class: 'lane-axis', 'aria-hidden': 'true' });
    const step = tickStep(span, Math.max(2, Math.floor(plotWidth / 70)));
    for (let t = 0; t <= span; t += step) {
      const at = x(model.start + t);
      axis.append(
        svg('line', { x1: at, x2: at, y1: AXIS_HEIGHT - 4, y2: height }),
        svg('text', { x: at, y: AXIS_HEIGHT - 7, 'text-anchor': t === 0 ? 'start' : 'middle' }, formatSpan(t)),
      );
    }
    const lanes = svg('g', { class: 'lanes', role: 'list' });
    model.lanes.forEach((lane, index) => {
      const stepView = names.get(lane.stepId);
      if (!stepView) return;
      const top = AXIS_HEIGHT + index * LANE_HEIGHT;
      const onPath = critical.has(lane.stepId);
      const words = lane.segments.map(
        (s) => `${SEGMENT_WORDS[s.kind]} ${formatSpan(s.to - s.from)}${s.open ? ' so far' : ''}`,
      );
      const label =
        `${stepView.name}: ${STATE_LABELS[stepView.state] ?? stepView.state}` +
        (words.length ? `; ${words.join(', ')}` : '') +
        (onPath ? '; on the critical path' : '');
      const row = svg(
        'g',
        {
          class: `lane${onPath ? ' critical' : ''}`,
          role: 'listitem',
          'aria-label': label,
          'data-step-id': lane.stepId,
          'data-state': stepView.state,
        },
        svg('title', {}, label),
        svg('text', { class: 'lane-name', x: 0, y: top + LANE_HEIGHT / 2 + 4 }, clipTo(stepView.name, labelWidth)),
      );
      for (const segment of lane.segments) {
        const from = x(segment.from);
        const w = Math.max(2, x(segment.to) - from);
        if (segment.kind === 'queued') {
          row.append(
            svg('rect', {
              class: 'seg seg-queued',
              x: from,
              y: top + LANE_HEIGHT / 2 - 1.5,
              width: w,
              height: 3,
              'data-kind': 'queued',
            }),
          );
        } else {
          row.append(
            svg('rect', {
              class: `seg seg-${segment.kind}${segment.open ? ' open' : ''}`,
              x: from,
              y: top + 4,
              width: w,
              height: LANE_HEIGHT - 8,
              rx: 3,
              'data-kind': segment.kind,
              ...(segment.kind === 'approval' && { fill: 'url(#lane-hatch)' }),
            }),
          );
        }
      }
      if (stepView.state === 'SKIPPED' && lane.finishedAt !== undefined) {
        const skipAt = x(lane.finishedAt);
        const fitsAfter = skipAt + 60 < width;
        row.append(
          svg(
            'text',
            {
              class: 'lane-skip',
              x: fitsAfter ? skipAt + 3 : skipAt - 3,
              y: top + LANE_HEIGHT / 2 + 4,
              'text-anchor': fitsAfter ? 'start' : 'end',
            },
            'skipped',
          ),
        );
      }
      lanes.append(row);
    });
    const chart = svg(
      'svg',
      {
        class: 'lanes-svg',
        width,
        height,
        viewBox: `0 0 ${width} ${height}`,
        role: 'group',
        'aria-label': 'Step lanes',
      },
      svg(
        'defs',
        {},
        svg(
          'pattern',
          { id: 'lane-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
          svg('rect', { width: 6, height: 6, class: 'hatch-bg' }),
          svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }),
        ),
      ),
      axis,
      lanes,
    );
    host.replaceChildren(chart);
    const path = model.criticalPath.map((id) => names.get(id)?.name ?? id).join(' → ');
    const wall = formatSpan(model.end - model.start);
    const soFar = run.steps.every((s) => s.finished_at) ? 'Wall time' : 'So far';
    caption.textContent = `${soFar} ${wall}; critical path ${formatSpan(model.criticalMs)}${path ? `: ${path}` : ''}.`;
  }

  return {
    render: draw,
    clear() {
      last = undefined;
      hasOpen = false;
      host.replaceChildren();
      caption.textContent = '';
    },
  };
}

/** @param {string} text @param {number} width pixels, at about 7 px a character */
function clipTo(text, width) {
  const max = Math.floor(width / 7.2) - 1;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
