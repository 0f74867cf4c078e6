// @ts-check
/**
 * A request reviewed as a whole (GET /api/requests/:id/review), in a dialog: every step still to
 * come with what it depends on, the totals, a choice per step waiting for a decision, and one
 * confirm button that sends them as one decision bound to the review's hash. Each change of a
 * choice asks the gateway for the preview again, so a skipped or rejected step's dependents show
 * as skipped before anyone confirms. Any element with `data-review-run="<workflow id>"` opens it.
 */
import { ApiError } from './api.js';
import { badge, el, formatUsd, messageOf } from './format.js';

/** @typedef {import('./api.js').Api} Api */
/**
 * @typedef {object} ReviewStep
 * @property {string} step_id
 * @property {string} name
 * @property {string} tool
 * @property {string} risk_level
 * @property {import('./api-contract.js').StepState} state
 * @property {Record<string, unknown>} args
 * @property {string[]} depends_on
 * @property {string} [effect]
 * @property {boolean} needs_decision
 * @property {string} [approval_id]
 * @property {string} [action_hash]
 * @property {import('./api-contract.js').ApprovalRecord} [approval]
 * @property {boolean} [may_decide]
 * @property {{ outcome: 'approve'|'reject'|'skip'|'will_run'|'skipped', because?: string[] }} preview
 *
 * @typedef {object} RequestReview
 * @property {string} workflow_id
 * @property {string} status
 * @property {string} requested_by
 * @property {ReviewStep[]} steps
 * @property {{ money_out_cents: number, transfers: number, recipients: string[], applications_sent: number,
 *   events_created: number, external_effects: number }} totals
 * @property {string} review_hash
 */

/** @type {Record<string, string>} */
const PREVIEW_WORDS = {
  approve: 'will be approved',
  reject: 'will be rejected',
  skip: 'will be skipped',
  will_run: 'runs when its dependencies succeed (or asks for its own decision)',
  skipped: 'will not run',
};

/** @param {RequestReview['totals']} totals */
function totalsLine(totals) {
  /** @type {string[]} */
  const parts = [];
  if (totals.transfers > 0)
    parts.push(
      `${formatUsd(undefined, totals.money_out_cents)} out in ${totals.transfers} transfer(s) ` +
        `to ${totals.recipients.join(', ')}`,
    );
  if (totals.applications_sent > 0) parts.push(`${totals.applications_sent} application(s) sent`);
  if (totals.events_created > 0) parts.push(`${totals.events_created} calendar event(s) created`);
  parts.push(`${totals.external_effects} external effect(s) in all`);
  return parts.join(' · ');
}

/** @param {ReviewStep} step */
function argsLine(step) {
  const args = step.args;
  if (step.tool === 'bank_transfer' && typeof args.amount_cents === 'number')
    return `${formatUsd(undefined, args.amount_cents)} from ${String(args.from_account)} to ${String(args.to_account)}`;
  return Object.entries(args)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

/**
 * The inbox card's way in, for a request with more than one step waiting.
 * @param {string} workflowId
 */
export function reviewAll(workflowId) {
  return el('button', { type: 'button', class: 'secondary', 'data-review-run': workflowId }, 'Review all');
}

/**
 * @param {{ api: Api, approverId: () => string | undefined, onDecided: (workflowId: string) => void }} options
 */
export function createReviewView({ api, approverId, onDecided }) {
  const heading = el('h2', { id: 'review-heading' }, 'Review');
  const close = el('button', { type: 'button', class: 'secondary', 'aria-label': 'Close the review' }, 'Close');
  const totals = el('p', { class: 'review-totals', 'data-role': 'totals' });
  const steps = el('ol', { class: 'review-steps', 'aria-label': 'Steps still to come' });
  const status = el('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const errorBox = el('p', { class: 'error', role: 'alert' });
  const confirm = el('button', { type: 'button', class: 'approve', 'data-role': 'confirm' }, 'Confirm decisions');
  const answer = el('p', { class: 'review-answer', 'data-role': 'answer' });
  const results = el('ul', { class: 'review-results', 'aria-label': 'What the decision did' });
  const dialog = el(
    'dialog',
    { id: 'review', class: 'review-dialog', 'aria-labelledby': 'review-heading' },
    el('div', { class: 'panel-head' }, heading, close),
    totals,
    steps,
    el('div', { class: 'row actions' }, confirm),
    status,
    errorBox,
    answer,
    results,
  );
  document.body.append(dialog);

  /** @type {string | undefined} */
  let workflowId;
  /** @type {RequestReview | undefined} */
  let shown;
  /** @type {Record<string, 'approve' | 'reject' | 'skip'>} */
  let choices = {};

  /** @param {string} id */
  async function open(id) {
    workflowId = id;
    choices = {};
    shown = undefined;
    heading.textContent = `Review of ${id}`;
    results.replaceChildren();
    answer.textContent = '';
    errorBox.textContent = '';
    status.textContent = 'Loading…';
    if (!dialog.open) dialog.showModal();
    await load();
  }

  async function load() {
    const id = workflowId;
    if (!id) return;
    try {
      const review = await api.review(id, choices);
      if (id !== workflowId) return;
      errorBox.textContent = '';
      render(review);
    } catch (err) {
      errorBox.textContent = `Could not load the review: ${err instanceof ApiError ? err.message : messageOf(err)}`;
    }
  }

  /** @param {RequestReview} review */
  function render(review) {
    shown = review;
    dialog.dataset.reviewHash = review.review_hash;
    totals.textContent = totalsLine(review.totals);
    steps.replaceChildren(...review.steps.map(stepItem));
    const decidable = review.steps.filter((s) => s.needs_decision).length;
    status.textContent =
      review.steps.length === 0
        ? 'Nothing is still to come in this request.'
        : `${review.steps.length} step(s) still to come; ${decidable} wait for a decision.`;
    confirm.disabled = Object.keys(choices).length === 0;
  }

  /** @param {ReviewStep} step */
  function stepItem(step) {
    const preview = step.preview;
    const because =
      preview.outcome === 'skipped' && preview.because ? ` (because of ${preview.because.join(', ')})` : '';
    return el(
      'li',
      { class: 'review-step', 'data-step-id': step.step_id, 'data-preview': preview.outcome },
      el('div', { class: 'step-head' }, el('span', { class: 'step-name' }, step.name), ' ', badge(step.state)),
      el(
        'p',
        { class: 'note' },
        `${step.tool} · risk ${step.risk_level}`,
        step.depends_on.length > 0 ? ` · after ${step.depends_on.join(', ')}` : '',
        step.approval?.progress ? ` · ${step.approval.progress}` : '',
      ),
      el('p', { class: 'review-args' }, step.effect ?? argsLine(step)),
      step.needs_decision ? choiceControl(step) : undefined,
      el('p', { class: 'review-preview', 'data-role': 'preview' }, `${PREVIEW_WORDS[preview.outcome] ?? ''}${because}`),
      step.needs_decision && step.may_decide === false
        ? el('p', { class: 'note' }, 'You may not decide this step under its policy: it will be refused.')
        : undefined,
    );
  }

  /** @param {ReviewStep} step */
  function choiceControl(step) {
    const select = el(
      'select',
      { 'aria-label': `Decision for ${step.name}`, 'data-role': 'choice' },
      el('option', { value: '' }, 'No decision now'),
      el('option', { value: 'approve' }, 'Approve'),
      el('option', { value: 'reject' }, 'Reject'),
      el('option', { value: 'skip' }, 'Skip'),
    );
    select.value = choices[step.step_id] ?? '';
    select.addEventListener('change', () => {
      const value = select.value;
      if (value === 'approve' || value === 'reject' || value === 'skip') choices[step.step_id] = value;
      else delete choices[step.step_id];
      void load();
    });
    return el('label', { class: 'review-choice' }, select);
  }

  async function send() {
    const id = workflowId;
    const review = shown;
    if (!id || !review || Object.keys(choices).length === 0) return;
    confirm.disabled = true;
    errorBox.textContent = '';
    try {
      const decider = approverId();
      const reply = await api.decideReview(id, {
        review_hash: review.review_hash,
        steps: choices,
        ...(decider === undefined ? {} : { decided_by: decider }),
      });
      answer.textContent = reply.message;
      results.replaceChildren(
        ...reply.results.map((r) =>
          el(
            'li',
            { 'data-step-id': r.step_id, 'data-outcome': r.outcome },
            `${r.step_id}: ${r.outcome}. ${r.message}`,
          ),
        ),
      );
      choices = {};
      onDecided(id);
    } catch (err) {
      const stale = err instanceof ApiError && err.code === 'stale_review';
      errorBox.textContent = stale
        ? 'The request changed since you reviewed it. Look at it again before confirming.'
        : `The decision failed: ${messageOf(err)}`;
    }
    await load();
  }

  confirm.addEventListener('click', () => void send());
  close.addEventListener('click', () => dialog.close());
  document.addEventListener('click', (event) => {
    const opener = event.target instanceof Element ? event.target.closest('[data-review-run]') : null;
    const id = opener?.getAttribute('data-review-run');
    if (id) void open(id);
  });

  return { open, close: () => dialog.close() };
}
