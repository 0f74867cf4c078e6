// @ts-check
/**
 * The selected run: its timeline from the SSE stream (GET /api/workflows/:id/stream), and its steps
 * from GET /api/workflows/:id, fetched again on every event (and on the page's tick while the
 * stream is down), each step with a colour and its state in words.
 */
import { FINAL_EVENTS, FINAL_RUN_STATUSES, TIMELINE_EVENTS } from './api-contract.js';
import { ApiError } from './api.js';
import { badge, el, formatTime, resultSummary } from './format.js';
import { coalesced } from './coalesce.js';
import { createRunPictures } from './run-pictures.js';
import { approvalFacts, effectLine } from './approval-facts.js';
import { editChange } from './edit-change.js';
import { pageElement } from './page-element.js';
import { holdingPanel, revokeAnswer, startCountdowns } from './holding.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./api-contract.js').RunView} RunView */
/** @typedef {import('./api-contract.js').TimelineEvent} TimelineEvent */
/** @typedef {import('./api-contract.js').PageConfig} PageConfig */

/** @type {Record<string, string>} */
const DECIDED = {
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired: no decision in time',
  cancelled: 'Approval cancelled',
  revoked: 'Approval revoked',
};

/**
 * @param {{ api: Api, config: () => PageConfig, revoker: () => string | undefined,
 *   onRevoked: (approvalId: string) => void }} options
 *   `revoker`: who revokes, with auth off (the token says so with auth on)
 */
export function createRunView({ api, config, revoker, onRevoked }) {
  const empty = pageElement('run-empty', HTMLElement);
  const body = pageElement('run-body', HTMLElement);
  const summary = pageElement('run-summary', HTMLElement);
  const errorBox = pageElement('run-error', HTMLElement);
  const steps = pageElement('steps', HTMLOListElement);
  const timeline = pageElement('timeline', HTMLOListElement);
  const streamState = pageElement('stream-state', HTMLElement);
  const link = pageElement('temporal-link', HTMLAnchorElement);
  const pictures = createRunPictures({ mount: pageElement('run-pictures', HTMLElement), steps, timeline });
  /** @type {TimelineEvent[]} */
  let events = [];
  startCountdowns();
  // The run's answer to a revoke stays until another run is selected; refreshes clear only errors.
  const revokeStatus = el('p', { id: 'revoke-status', class: 'note', role: 'status' });
  errorBox.after(revokeStatus);

  /** @param {import('./api-contract.js').ApprovalRecord} approval @param {HTMLButtonElement} button */
  async function revoke(approval, button) {
    button.disabled = true;
    const who = revoker();
    try {
      const answer = await api.revoke(approval.approval_id, who ? { revoked_by: who } : {});
      revokeStatus.textContent = revokeAnswer(answer);
      onRevoked(approval.approval_id);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      errorBox.textContent = `Could not revoke ${approval.step_name}: ${why}`;
    } finally {
      button.disabled = false;
      void refresh();
    }
  }

  /** @type {string | undefined} */
  let selected;
  /** @type {EventSource | undefined} */
  let source;
  let lastSeq = 0;
  let finished = false;

  /** @param {string} workflowId */
  function select(workflowId) {
    if (workflowId === selected) return;
    source?.close();
    source = undefined;
    clearTimeout(reopenTimer);
    selected = workflowId;
    lastSeq = 0;
    finished = false;
    steps.replaceChildren();
    timeline.replaceChildren();
    events = [];
    pictures.clear();
    errorBox.textContent = '';
    revokeStatus.textContent = '';
    summary.textContent = `Loading ${workflowId}…`;
    body.dataset.workflowId = workflowId;
    empty.hidden = true;
    body.hidden = false;
    const cfg = config();
    link.href =
      `${cfg.temporalUiUrl}/namespaces/${encodeURIComponent(cfg.namespace)}` +
      `/workflows/${encodeURIComponent(workflowId)}`;
    link.hidden = false;
    try {
      sessionStorage.setItem('awe.selected_run', workflowId);
    } catch {
      // not kept across reloads then
    }
    openStream(workflowId);
    void refresh();
  }

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let reopenTimer;

  /**
   * A stream needs a fresh ticket each time it opens, so a dropped stream is closed and reopened
   * here (after the last seq seen) rather than left to the browser, whose retry would reuse a
   * spent ticket. Until it is back, the page's tick polls the run.
   * @param {string} workflowId
   */
  function openStream(workflowId) {
    clearTimeout(reopenTimer);
    streamState.textContent = '(connecting)';
    api.stream(workflowId, lastSeq).then(
      (es) => {
        if (selected !== workflowId || finished) {
          es.close();
          return;
        }
        source?.close();
        source = es;
        follow(es, workflowId);
      },
      () => {
        if (selected === workflowId) reopenLater(workflowId);
      },
    );
  }

  /** @param {string} workflowId */
  function reopenLater(workflowId) {
    streamState.textContent = '(stream down: polling)';
    clearTimeout(reopenTimer);
    reopenTimer = setTimeout(() => {
      if (selected === workflowId && !finished) openStream(workflowId);
    }, 2000);
  }

  /** @param {EventSource} es @param {string} workflowId */
  function follow(es, workflowId) {
    es.onopen = () => {
      if (source === es) streamState.textContent = '(live)';
    };
    /** @param {MessageEvent} message */
    const onEvent = (message) => {
      if (source !== es) return;
      /** @type {TimelineEvent} */
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      addEvent(event);
      if (FINAL_EVENTS.includes(event.event)) {
        // The server closes the stream after the final event; without close() the browser would reconnect.
        es.close();
        finished = true;
        streamState.textContent = '(finished)';
      }
      void refresh();
    };
    for (const name of TIMELINE_EVENTS) es.addEventListener(name, onEvent);
    es.addEventListener('message', onEvent);
    es.onerror = () => {
      if (source !== es || finished) return;
      es.close();
      reopenLater(workflowId);
    };
  }

  /** @param {TimelineEvent} event */
  function addEvent(event) {
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    events.push(event);
    const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
    const tone = /failed|rejected|expired|cancelled/.test(event.event)
      ? 'bad'
      : /blocked|required|ignored|retrying/.test(event.event)
        ? 'wait'
        : /succeeded|complete|approved/.test(event.event)
          ? 'ok'
          : event.event === 'step_running'
            ? 'busy'
            : 'idle';
    timeline.append(
      el(
        'li',
        {
          class: `event tone-${tone}`,
          'data-event': event.event,
          'data-seq': String(event.seq),
          'data-step-id': event.step_id,
        },
        el('time', { datetime: event.timestamp }, formatTime(event.timestamp)),
        el('span', { class: 'event-name' }, event.event.replaceAll('_', ' ')),
        el('span', { class: 'event-message' }, event.message),
        editChange(event),
      ),
    );
    if (atBottom) timeline.scrollTop = timeline.scrollHeight;
  }

  /** Fetches the run view; calls during a fetch coalesce into one more. */
  const refresh = coalesced(load);

  async function load() {
    const workflowId = selected;
    if (!workflowId) return;
    let run;
    try {
      run = await api.run(workflowId);
    } catch (err) {
      if (workflowId !== selected) return;
      errorBox.textContent = `Could not load run ${workflowId}: ${err instanceof ApiError ? err.message : String(err)}`;
      return;
    }
    if (workflowId !== selected) return;
    errorBox.textContent = '';
    render(run);
  }

  /** @param {RunView} run */
  function render(run) {
    body.dataset.status = run.status;
    const counts = `${run.steps.filter((s) => s.state === 'SUCCEEDED').length} of ${run.steps.length} steps succeeded`;
    const line = el(
      'p',
      {},
      el('span', { class: 'run-id' }, el('code', {}, run.workflow_id)),
      ' ',
      badge(run.status),
      ' ',
      el('span', {}, `${run.intent}: ${counts}.`),
      run.error ? el('span', { class: 'error-text' }, ` ${run.error}`) : '',
      run.approvals.some((a) => a.status === 'pending')
        ? el('button', { type: 'button', class: 'secondary', 'data-review-run': run.workflow_id }, 'Review request')
        : '',
    );
    // A live region: only touched when what it says changed, so screen readers hear each change once.
    if (summary.innerHTML !== line.innerHTML) summary.replaceChildren(...line.childNodes);
    /** @type {Map<string, HTMLLIElement>} */
    const existing = new Map(
      [...steps.children].map((li) => [
        /** @type {HTMLElement} */ (li).dataset.stepId ?? '',
        /** @type {HTMLLIElement} */ (li),
      ]),
    );
    for (const step of run.steps) {
      const approval = run.approvals.find((a) => a.step_id === step.id);
      const outcome = step.state === 'SUCCEEDED' ? resultSummary(step.result) : step.error;
      const li = el(
        'li',
        { class: 'step', 'data-step-id': step.id, 'data-state': step.state },
        el('div', { class: 'step-head' }, el('span', { class: 'step-name' }, step.name), ' ', badge(step.state)),
        effectLine(step),
        el(
          'p',
          { class: 'note' },
          `${step.tool} · risk ${step.risk_level}`,
          step.depends_on.length > 0 ? ` · after ${step.depends_on.join(', ')}` : '',
          step.attempts > 1 ? ` · ${step.attempts} attempts` : '',
        ),
        outcome
          ? el('p', { class: step.state === 'SUCCEEDED' ? 'outcome' : 'outcome error-text' }, outcome)
          : undefined,
        step.attention
          ? el(
              'p',
              { class: 'note' },
              `Held for an operator since ${new Date(step.attention.since).toLocaleString()}; ` +
                `fails at ${new Date(step.attention.deadline).toLocaleString()} unless someone acts.`,
            )
          : undefined,
        approval && step.state === 'APPROVED_HOLDING' && approval.hold_until
          ? holdingPanel({ ...approval, hold_until: approval.hold_until }, (a, b) => void revoke(a, b))
          : approval && approval.status !== 'pending'
            ? el(
                'p',
                { class: 'note' },
                (DECIDED[approval.status] ?? approval.status) +
                  (approval.revoked_by ? ` by ${approval.revoked_by}` : '') +
                  (approval.revoked_by && approval.revoke_reason ? `: ${approval.revoke_reason}` : '') +
                  (!approval.revoked_by && approval.decided_by ? ` by ${approval.decided_by}` : '') +
                  (!approval.revoked_by && approval.decision_reason ? `: ${approval.decision_reason}` : ''),
              )
            : approval
              ? el(
                  'p',
                  { class: 'note' },
                  approval.progress
                    ? `Waiting for approvals in the inbox: ${approval.progress}.`
                    : 'Waiting for a decision in the approvals inbox.',
                )
              : undefined,
        approval?.stages ? approvalFacts(approval) : undefined,
      );
      const old = existing.get(step.id);
      if (old) {
        if (old.outerHTML !== li.outerHTML) old.replaceWith(li);
        existing.delete(step.id);
      } else steps.append(li);
    }
    for (const stale of existing.values()) stale.remove();
    pictures.render(run, events);
    if (FINAL_RUN_STATUSES.includes(run.status) && !finished && source?.readyState === source?.CLOSED) finished = true;
  }

  return {
    select,
    selected: () => selected,
    /** The page's tick: without a live stream, poll the run until it is final. */
    tick() {
      if (!selected || finished) return;
      if (!source || source.readyState !== source.OPEN) void refresh();
    },
    /** Something happened to the selected run elsewhere (a decision): fetch it now. */
    refresh,
    /** The token changed: streams opened with the old one are reopened. */
    reconnect() {
      const current = selected;
      if (!current) return;
      selected = undefined;
      select(current);
    },
  };
}
