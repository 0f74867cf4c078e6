// @ts-check
/**
 * The plan as a graph: one SVG node per step and one edge per dependency, laid out left to right
 * by dagre. The layout is computed once per plan; later renders only change each node's state, so
 * keyboard focus and scroll position survive live updates. Nodes are focusable buttons with their
 * state in words; arrow keys move between them, Enter or Space shows the step's details.
 */
import { Graph, layout } from './vendor/dagre.js';
import { STATE_LABELS } from './format.js';
import { skippedBy } from './run-model.js';

/** @typedef {import('./api-contract.js').RunView} RunView */
/** @typedef {import('./api-contract.js').StepView} StepView */
/** @typedef {import('./api-contract.js').TimelineEvent} TimelineEvent */
/** @typedef {{ x: number, y: number }} Point */

const SVG = 'http://www.w3.org/2000/svg';
const NODE_WIDTH = 200;
const NODE_HEIGHT = 84;
/** Room for text on a node's line, in pixels, right of its stripe. */
const TEXT_WIDTH = NODE_WIDTH - 22;

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
 * Sets `text` on a line, cut with an ellipsis where it would overflow the node (measured, so it
 * holds for any font); the whole text stays in the node's title and aria-label.
 * @param {SVGTextElement} line
 * @param {string} text
 */
function fitText(line, text) {
  if (line.dataset.full === text) return;
  line.dataset.full = text;
  line.textContent = text;
  if (!line.isConnected || line.getComputedTextLength() <= TEXT_WIDTH) return;
  let [low, high] = [0, text.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    line.textContent = `${text.slice(0, mid).trimEnd()}…`;
    if (line.getComputedTextLength() <= TEXT_WIDTH) low = mid;
    else high = mid - 1;
  }
  line.textContent = `${text.slice(0, low).trimEnd()}…`;
}

/**
 * A smooth path through dagre's edge points (a uniform B-spline that starts and ends on them).
 * @param {Point[]} points
 */
export function splinePath(points) {
  const [first, ...rest] = points;
  if (!first) return '';
  const f = (/** @type {number} */ n) => n.toFixed(1);
  if (rest.length < 2) return `M${f(first.x)},${f(first.y)}${rest.map((p) => `L${f(p.x)},${f(p.y)}`).join('')}`;
  let d = `M${f(first.x)},${f(first.y)}`;
  let [a, b] = [first, /** @type {Point} */ (rest[0])];
  d += `L${f((5 * a.x + b.x) / 6)},${f((5 * a.y + b.y) / 6)}`;
  const curve = (/** @type {Point} */ p0, /** @type {Point} */ p1, /** @type {Point} */ p) =>
    `C${f((2 * p0.x + p1.x) / 3)},${f((2 * p0.y + p1.y) / 3)} ` +
    `${f((p0.x + 2 * p1.x) / 3)},${f((p0.y + 2 * p1.y) / 3)} ` +
    `${f((p0.x + 4 * p1.x + p.x) / 6)},${f((p0.y + 4 * p1.y + p.y) / 6)}`;
  for (const p of rest.slice(1)) {
    d += curve(a, b, p);
    [a, b] = [b, p];
  }
  d += curve(a, b, b);
  return `${d}L${f(b.x)},${f(b.y)}`;
}

/**
 * An arrowhead for edges to point with (`marker-end`); `pathClass` colours it like its edges.
 * @param {string} id
 * @param {string} pathClass
 */
function arrowMarker(id, pathClass) {
  return svg(
    'marker',
    { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0L10,5L0,10z', class: pathClass }),
  );
}

/**
 * @param {{ host: HTMLElement, onActivate: (stepId: string) => void }} options
 */
export function createPlanGraph({ host, onActivate }) {
  let shape = '';
  /** @type {Map<string, SVGGElement>} */
  let nodes = new Map();
  /** @type {SVGPathElement[]} */
  let edges = [];
  /** @type {string | undefined} */
  let current;

  /** @param {RunView} run */
  function build(run) {
    const graph = new Graph();
    // marginy leaves room for the approval badge that sits on a node's top edge.
    graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 44, marginx: 6, marginy: 12 });
    graph.setDefaultEdgeLabel(() => ({}));
    const ids = new Set(run.steps.map((s) => s.id));
    for (const step of run.steps) graph.setNode(step.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
    for (const step of run.steps) for (const dep of step.depends_on) if (ids.has(dep)) graph.setEdge(dep, step.id);
    layout(graph);
    const size = graph.graph();
    const width = Math.ceil(size.width ?? NODE_WIDTH);
    const height = Math.ceil(size.height ?? NODE_HEIGHT);
    const edgeCount = graph.edgeCount();
    const root = svg('svg', {
      class: 'plan-svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'group',
      'aria-label': `Plan: ${run.steps.length} steps, ${edgeCount} ${edgeCount === 1 ? 'dependency' : 'dependencies'}`,
    });
    root.append(
      svg('defs', {}, arrowMarker('plan-arrow', 'plan-arrow'), arrowMarker('plan-arrow-stopped', 'plan-arrow stopped')),
    );
    edges = graph.edges().map(
      (e) =>
        /** @type {SVGPathElement} */ (
          svg('path', {
            class: 'graph-edge',
            'data-from': e.v,
            'data-to': e.w,
            'aria-hidden': 'true',
            d: splinePath(graph.edge(e).points ?? []),
            'marker-end': 'url(#plan-arrow)',
          })
        ),
    );
    root.append(svg('g', { class: 'graph-edges' }, ...edges));
    nodes = new Map();
    const layer = svg('g', { class: 'graph-nodes' });
    for (const step of run.steps) {
      const box = graph.node(step.id);
      const node = /** @type {SVGGElement} */ (
        svg(
          'g',
          {
            class: 'graph-node',
            role: 'button',
            tabindex: -1,
            'data-step-id': step.id,
            transform: `translate(${(box.x - NODE_WIDTH / 2).toFixed(1)},${(box.y - NODE_HEIGHT / 2).toFixed(1)})`,
          },
          svg('title', {}, step.name),
          svg('rect', { class: 'node-box', width: NODE_WIDTH, height: NODE_HEIGHT, rx: 7 }),
          svg('rect', { class: 'node-stripe', width: 6, height: NODE_HEIGHT, rx: 3 }),
          svg('text', { class: 'node-name', x: 14, y: 20 }),
          svg('text', { class: 'node-meta', x: 14, y: 38 }),
          svg('text', { class: 'node-state', x: 14, y: 57 }),
          svg('text', { class: 'node-detail', x: 14, y: 75 }),
          svg(
            'g',
            { class: 'node-badge', transform: `translate(${NODE_WIDTH - 74},-9)` },
            svg('rect', { width: 64, height: 18, rx: 9 }),
            svg('text', { x: 32, y: 13, 'text-anchor': 'middle' }, 'Approval'),
          ),
        )
      );
      node.addEventListener('click', () => activate(step.id));
      node.addEventListener('focus', () => moveTabStop(step.id));
      nodes.set(step.id, node);
      layer.append(node);
    }
    root.append(layer);
    root.addEventListener('keydown', onKey);
    host.replaceChildren(root);
    for (const step of run.steps) {
      const node = nodes.get(step.id);
      fitText(/** @type {SVGTextElement} */ (node?.querySelector('.node-name')), step.name);
      fitText(
        /** @type {SVGTextElement} */ (node?.querySelector('.node-meta')),
        `${step.tool} · risk ${step.risk_level}`,
      );
    }
    moveTabStop(current && nodes.has(current) ? current : run.steps[0]?.id);
  }

  /** @param {string | undefined} stepId */
  function moveTabStop(stepId) {
    for (const [id, node] of nodes) node.setAttribute('tabindex', id === stepId ? '0' : '-1');
  }

  /** @param {string} stepId */
  function activate(stepId) {
    current = stepId;
    for (const [id, node] of nodes) {
      if (id === stepId) node.setAttribute('aria-current', 'true');
      else node.removeAttribute('aria-current');
    }
    moveTabStop(stepId);
    nodes.get(stepId)?.focus();
    onActivate(stepId);
  }

  /** @param {KeyboardEvent} event */
  function onKey(event) {
    const target = /** @type {Element} */ (event.target);
    const id = target.closest('.graph-node')?.getAttribute('data-step-id');
    if (!id) return;
    const order = [...nodes.keys()];
    const at = order.indexOf(id);
    /** @type {Record<string, number>} */
    const moves = {
      ArrowRight: at + 1,
      ArrowDown: at + 1,
      ArrowLeft: at - 1,
      ArrowUp: at - 1,
      Home: 0,
      End: order.length - 1,
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      activate(id);
    } else if (event.key in moves) {
      event.preventDefault();
      const next = order[Math.max(0, Math.min(order.length - 1, moves[event.key] ?? at))];
      if (next) {
        moveTabStop(next);
        nodes.get(next)?.focus();
      }
    }
  }

  /**
   * @param {RunView} run
   * @param {readonly TimelineEvent[]} events
   */
  function render(run, events) {
    if (run.steps.length <= 1) {
      // One step: the step's card below says it all.
      host.hidden = true;
      host.dataset.layout = 'card';
      host.replaceChildren();
      shape = '';
      return;
    }
    host.hidden = false;
    host.dataset.layout = 'graph';
    const nextShape = JSON.stringify(run.steps.map((s) => [s.id, s.name, s.depends_on]));
    if (nextShape !== shape) {
      shape = nextShape;
      build(run);
    }
    const names = new Map(run.steps.map((s) => [s.id, s.name]));
    const stopped = skippedBy(run, events);
    for (const step of run.steps) {
      const node = nodes.get(step.id);
      if (!node) continue;
      const approval = run.approvals.find((a) => a.step_id === step.id && a.status === 'pending');
      const blockers = (stopped.get(step.id) ?? []).map((id) => names.get(id) ?? id);
      const state = STATE_LABELS[step.state] ?? step.state;
      const waiting = step.state === 'BLOCKED' && approval !== undefined;
      const detail =
        blockers.length > 0
          ? `stopped by ${blockers.join(', ')}`
          : waiting
            ? 'in the approvals inbox'
            : step.state === 'FAILED' || step.state === 'REJECTED'
              ? (step.error ?? '')
              : step.attempts > 1
                ? `attempt ${step.attempts}`
                : '';
      node.setAttribute('data-state', step.state);
      node.classList.toggle('needs-approval', waiting);
      const label = `${step.name}, ${step.tool}, risk ${step.risk_level}: ${state}${detail ? `, ${detail}` : ''}`;
      if (node.getAttribute('aria-label') !== label) node.setAttribute('aria-label', label);
      fitText(/** @type {SVGTextElement} */ (node.querySelector('.node-state')), state);
      fitText(/** @type {SVGTextElement} */ (node.querySelector('.node-detail')), detail);
    }
    const stoppedEdges = new Set([...stopped].flatMap(([to, froms]) => froms.map((from) => `${from}>${to}`)));
    for (const edge of edges) {
      const isStopped = stoppedEdges.has(`${edge.dataset.from}>${edge.dataset.to}`);
      edge.classList.toggle('stopped', isStopped);
      edge.setAttribute('marker-end', isStopped ? 'url(#plan-arrow-stopped)' : 'url(#plan-arrow)');
    }
  }

  return {
    render,
    clear() {
      shape = '';
      current = undefined;
      nodes = new Map();
      edges = [];
      host.replaceChildren();
      host.hidden = true;
    },
  };
}
