// @ts-check
/**
 * Steps held for an operator (NEEDS_ATTENTION), shown under the approvals: GET /api/attention,
 * refreshed by the page's ticker, and the four actions (retry, retry with edited arguments, skip,
 * fail) sent to POST /api/attention/{workflow_id}/{step_id}. Cards are keyed by run and step and
 * kept in place, so a half-typed reason or edited arguments survive each refresh.
 */
import { cssId, details, el, formatAge, formatTime, messageOf } from './format.js';
import { coalesced } from './coalesce.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./identity.js').Identity} Identity */
/**
 * @typedef {object} HeldStep
 * @property {string} workflow_id
 * @property {string} step_id
 * @property {string} step_name
 * @property {string} tool
 * @property {string} user_id
 * @property {Record<string, unknown>} args
 * @property {{ since: string, deadline: string, last_error: string, attempts: number }} attention
 */

/**
 * Builds the list inside `mount` (an empty element on the page).
 * @param {{ mount: HTMLElement, api: Api, identity: Identity, onSelectRun: (workflowId: string) => void,
 *   onActed: () => void }} options
 */
export function createAttention({ mount, api, identity, onSelectRun, onActed }) {
  const heading = el('h3', { id: 'attention-heading' }, 'Needs attention ', el('span', { class: 'count' }));
  const status = el('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const errorBox = el('p', { class: 'error', role: 'alert' });
  const list = el('ul', { class: 'cards attention', 'aria-labelledby': 'attention-heading' });
  const empty = el('p', { class: 'empty' }, 'No steps need attention.');
  mount.append(heading, status, errorBox, list, empty);

  /** @type {Map<string, HTMLLIElement>} */
  const cards = new Map();
  const refresh = coalesced(load);

  async function load() {
    /** @type {HeldStep[]} */
    let held;
    try {
      held = await api.heldSteps();
    } catch (err) {
      showError(`Could not load held steps: ${messageOf(err)}`, 'load');
      return;
    }
    // A load that failed (before sign-in, say) is old news once one succeeds; an action's error stays.
    if (errorBox.dataset.source === 'load') showError('');
    const keep = new Set(held.map(keyOf));
    for (const [key, card] of cards) {
      if (keep.has(key)) continue;
      card.remove();
      cards.delete(key);
    }
    const now = Date.now();
    for (const step of held) {
      let card = cards.get(keyOf(step));
      if (!card) {
        card = buildCard(step);
        cards.set(keyOf(step), card);
        list.append(card);
      }
      const since = card.querySelector('time');
      if (since) since.textContent = formatAge(step.attention.since, now);
    }
    empty.hidden = held.length > 0;
    const count = heading.querySelector('.count');
    if (count) count.textContent = held.length > 0 ? `(${held.length})` : '';
  }

  /** @param {HeldStep} s */
  function buildCard(s) {
    const id = `held-${cssId(keyOf(s))}`;
    const reason = el('input', { id: `${id}-reason`, type: 'text', maxlength: '1000', autocomplete: 'off' });
    const args = el('textarea', { id: `${id}-args`, rows: '3', spellcheck: 'false' });
    args.value = JSON.stringify(s.args);
    const edits = el('div', { class: 'edits', hidden: '' }, el('label', { for: args.id }, 'Arguments (JSON)'), args);
    const button = (/** @type {string} */ label, /** @type {string} */ cls) =>
      el('button', { type: 'button', class: cls, 'aria-label': `${label}: ${s.step_name}` }, label);
    const retry = button('Retry', '');
    const retryEdited = button('Retry with edits', 'secondary');
    const skip = button('Skip', 'secondary');
    const fail = button('Fail', 'danger');
    const card = el(
      'li',
      { class: 'card', 'data-workflow-id': s.workflow_id, 'data-step-id': s.step_id, 'aria-labelledby': id },
      el('h3', { id }, s.step_name),
      details([
        ['Last error', s.attention.last_error],
        ['Attempts', String(s.attention.attempts)],
        [
          'Held',
          el(
            'time',
            { datetime: s.attention.since, title: new Date(s.attention.since).toLocaleString() },
            formatAge(s.attention.since),
          ),
        ],
        ['Fails at', new Date(s.attention.deadline).toLocaleString()],
        ['Requested by', s.user_id],
        ['Run', s.workflow_id],
      ]),
      el('label', { for: reason.id }, 'Reason'),
      reason,
      edits,
      el('div', { class: 'row actions' }, retry, retryEdited, skip, fail),
    );

    retry.addEventListener('click', () => void act(s, card, { action: 'retry' }));
    skip.addEventListener('click', () => void act(s, card, { action: 'skip' }));
    fail.addEventListener('click', () => void act(s, card, { action: 'fail' }));
    retryEdited.addEventListener('click', () => {
      if (edits.hidden) {
        edits.hidden = false;
        args.focus();
        return;
      }
      let parsed;
      try {
        parsed = JSON.parse(args.value);
      } catch (err) {
        showError(`The arguments are not JSON: ${messageOf(err)}`);
        return;
      }
      void act(s, card, { action: 'retry_with_edits', args: parsed });
    });
    card.addEventListener('click', (e) => {
      if (!(e.target instanceof Element) || !e.target.closest('button, input, textarea, label'))
        onSelectRun(s.workflow_id);
    });
    return card;
  }

  /**
   * @param {HeldStep} s
   * @param {HTMLLIElement} card
   * @param {{ action: 'retry'|'retry_with_edits'|'skip'|'fail', args?: unknown }} request
   */
  async function act(s, card, request) {
    const controls = [...card.querySelectorAll('button, input, textarea')];
    for (const c of controls) /** @type {HTMLButtonElement} */ (c).disabled = true;
    card.setAttribute('aria-busy', 'true');
    showError('');
    const reason = /** @type {HTMLInputElement | null} */ (card.querySelector('input'))?.value.trim();
    onSelectRun(s.workflow_id);
    try {
      const res = await api.actOnStep(s.workflow_id, s.step_id, {
        ...request,
        ...(identity.authOn() ? {} : { decided_by: identity.approverId() }),
        ...(reason ? { reason } : {}),
      });
      status.textContent = `${formatTime(new Date().toISOString())}: ${res?.message ?? request.action}.`;
      card.remove();
      cards.delete(keyOf(s));
      onActed();
    } catch (err) {
      showError(`Could not ${request.action.replaceAll('_', ' ')} ${s.step_name}: ${messageOf(err)}`);
    } finally {
      card.removeAttribute('aria-busy');
      for (const c of controls) /** @type {HTMLButtonElement} */ (c).disabled = false;
    }
  }

  /** @param {string} text @param {'load' | 'action'} [source] what the message is about */
  function showError(text, source = 'action') {
    errorBox.textContent = text;
    errorBox.dataset.source = text ? source : '';
  }

  return { refresh };
}

/** @param {HeldStep} s */
function keyOf(s) {
  return `${s.workflow_id}/${s.step_id}`;
}
