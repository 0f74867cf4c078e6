// @ts-check
/**
 * The run view's pictures: the plan graph and the step lanes, drawn into #run-pictures and kept
 * current by the run view (each fetched view with the timeline seen so far). Choosing a node
 * highlights that step's card and its timeline events, and scrolls both into view.
 */
import { el } from './format.js';
import { createPlanGraph } from './plan-graph.js';
import { createStepLanes } from './step-lanes.js';

/** @typedef {import('./api-contract.js').RunView} RunView */
/** @typedef {import('./api-contract.js').TimelineEvent} TimelineEvent */

/**
 * @param {{ mount: HTMLElement, steps: HTMLElement, timeline: HTMLElement }} options
 */
export function createRunPictures({ mount, steps, timeline }) {
  const graphHost = el('div', { id: 'plan-graph', class: 'plan-graph' });
  const focusNote = el('p', { id: 'plan-focus', class: 'note', role: 'status', 'aria-live': 'polite' });
  const graphHint = el('span', { class: 'note' }, 'Choose a step to see its details and timeline events.');
  const graphFigure = el(
    'figure',
    { class: 'picture', 'aria-labelledby': 'plan-graph-heading' },
    el('figcaption', {}, el('h3', { id: 'plan-graph-heading' }, 'Plan'), graphHint),
    graphHost,
    focusNote,
  );
  // On a phone (or for a wide plan) the graph scrolls inside its box: say so, since it may not show.
  const sayWhetherItScrolls = () => {
    const wider =
      graphHost.scrollWidth > graphHost.clientWidth + 1 || graphHost.scrollHeight > graphHost.clientHeight + 1;
    graphHint.textContent =
      'Choose a step to see its details and timeline events.' + (wider ? ' Scroll the plan to see all of it.' : '');
  };
  new ResizeObserver(sayWhetherItScrolls).observe(graphHost);
  const lanesHost = el('div', { id: 'step-lanes', class: 'step-lanes' });
  const lanesCaption = el('p', { id: 'lanes-caption', class: 'note' });
  const lanesFigure = el(
    'figure',
    { class: 'picture', 'aria-labelledby': 'lanes-heading' },
    el(
      'figcaption',
      {},
      el('h3', { id: 'lanes-heading' }, 'Step lanes'),
      el(
        'span',
        { class: 'legend', 'aria-hidden': 'true' },
        el('span', { class: 'key key-queued' }),
        'ready ',
        el('span', { class: 'key key-approval' }),
        'waiting for approval ',
        el('span', { class: 'key key-running' }),
        'running ',
        el('span', { class: 'key key-critical' }),
        'critical path',
      ),
    ),
    lanesHost,
    lanesCaption,
  );
  mount.replaceChildren(graphFigure, lanesFigure);

  /** @type {string | undefined} */
  let focused;
  const graph = createPlanGraph({ host: graphHost, onActivate: focusStep });
  const lanes = createStepLanes({ host: lanesHost, caption: lanesCaption });

  /** @param {string} stepId */
  function focusStep(stepId) {
    focused = stepId;
    const { card, events } = highlight();
    card?.scrollIntoView({ block: 'nearest' });
    events[0]?.scrollIntoView({ block: 'nearest' });
    const name = card?.querySelector('.step-name')?.textContent ?? stepId;
    // Said once when chosen; later events of the step are highlighted as they come, without a word.
    focusNote.textContent = `${name}: its card and its timeline events are highlighted.`;
  }

  /** Marks the chosen step's card and events again: the run view replaces elements as it updates. */
  function highlight() {
    /** @type {HTMLElement | undefined} */
    let card;
    for (const li of /** @type {NodeListOf<HTMLElement>} */ (steps.querySelectorAll('[data-step-id]'))) {
      const on = li.dataset.stepId === focused;
      li.classList.toggle('is-focused', on);
      if (on) card = li;
    }
    /** @type {HTMLElement[]} */
    const events = [];
    for (const li of /** @type {NodeListOf<HTMLElement>} */ (timeline.querySelectorAll('li[data-seq]'))) {
      const on = focused !== undefined && li.dataset.stepId === focused;
      li.classList.toggle('is-focused', on);
      if (on) events.push(li);
    }
    return { card, events };
  }

  return {
    /**
     * @param {RunView} run
     * @param {readonly TimelineEvent[]} events
     */
    render(run, events) {
      mount.hidden = run.steps.length === 0;
      graphFigure.hidden = run.steps.length <= 1;
      graph.render(run, events);
      sayWhetherItScrolls();
      lanes.render(run, events);
      if (focused) highlight();
    },
    clear() {
      focused = undefined;
      focusNote.textContent = '';
      graph.clear();
      lanes.clear();
      mount.hidden = true;
    },
  };
}
