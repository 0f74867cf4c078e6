// @ts-check
/**
 * The chat panel: sends POST /chat as the current user in the current session, shows each reply
 * by its status, and follows runs that were still moving until they settle.
 */
import { FINAL_RUN_STATUSES } from './api-contract.js';
import { ApiError } from './api.js';
import { details, el, formatUsd, resultSummary, STATE_LABELS } from './format.js';
import { pageElement } from './page-element.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./api-contract.js').RunView} RunView */
/** @typedef {import('./identity.js').Identity} Identity */

/** @type {Record<string, string>} */
const KIND_LABELS = {
  pending: 'Needs approval',
  success: 'Done',
  not_understood: 'Not understood',
  running: 'Running',
  failed: 'Failed',
  rejected: 'Not approved',
  cancelled: 'Cancelled',
};

/**
 * @param {{ api: Api, identity: Identity, onRun: (workflowId: string) => void,
 *   onPending: (approvalId: string) => void }} options
 */
export function createChat({ api, identity, onRun, onPending }) {
  const log = pageElement('conversation', HTMLElement);
  const form = pageElement('chat-form', HTMLFormElement);
  const input = pageElement('message', HTMLInputElement);
  const send = pageElement('send', HTMLButtonElement);
  const sessionLabel = pageElement('session-id', HTMLElement);
  const errorBox = pageElement('chat-error', HTMLElement);
  const newSession = pageElement('new-session', HTMLButtonElement);

  /** Runs this chat started that had not settled when answered: workflow id → how it was answered. */
  const following = new Map();
  const sessionKey = () => `awe.session.${identity.chatKey()}`;
  /** @type {string | undefined} */
  let currentKey = sessionKey();
  let sessionId = localStorage.getItem(currentKey) ?? undefined;
  showSession();

  function showSession() {
    sessionLabel.textContent = sessionId ?? 'new (starts with your next message)';
  }

  /** @param {HTMLElement} node */
  function append(node) {
    log.querySelector('.empty')?.remove();
    log.append(node);
    log.scrollTop = log.scrollHeight;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (!message || send.disabled) return;
    void sendMessage(message);
  });

  // Example prompts fill the box; the user still decides to send.
  document.getElementById('examples')?.addEventListener('click', (event) => {
    const chip = event.target instanceof Element ? event.target.closest('button[data-prompt]') : null;
    if (!(chip instanceof HTMLButtonElement)) return;
    input.value = chip.dataset.prompt ?? '';
    input.focus();
  });

  // A clarifying question's buttons send the reading the user picks.
  log.addEventListener('click', (event) => {
    const choice = event.target instanceof Element ? event.target.closest('button[data-choice]') : null;
    if (!(choice instanceof HTMLButtonElement) || send.disabled) return;
    void sendMessage(choice.dataset.choice ?? '');
  });

  newSession.addEventListener('click', () => {
    sessionId = undefined;
    localStorage.removeItem(sessionKey());
    showSession();
    append(el('p', { class: 'divider' }, 'New conversation'));
    input.focus();
  });

  /** @param {string} message */
  async function sendMessage(message) {
    errorBox.textContent = '';
    const who = identity.authOn() ? 'You' : `You (${identity.userId()})`;
    append(el('article', { class: 'msg msg-user' }, el('p', { class: 'who' }, who), el('p', {}, message)));
    input.value = '';
    send.disabled = true;
    const waiting = el(
      'article',
      { class: 'msg msg-bot', 'aria-busy': 'true' },
      el('p', { class: 'who' }, 'Assistant'),
      el('p', {}, 'Working on it…'),
    );
    append(waiting);
    try {
      const body = {
        message,
        ...(identity.authOn() ? {} : { user_id: identity.userId() }),
        ...(sessionId ? { session_id: sessionId } : {}),
      };
      const res = await api.chat(body);
      sessionId = res.session_id;
      localStorage.setItem(sessionKey(), sessionId);
      showSession();
      waiting.replaceWith(renderReply(res.reply, res.status, res.workflow_id));
      if (res.status === 'RUNNING' || res.status === 'PENDING_APPROVAL') following.set(res.workflow_id, res.status);
      if (typeof res.reply.approval_id === 'string') onPending(res.reply.approval_id);
      onRun(res.workflow_id);
    } catch (err) {
      waiting.remove();
      const text = err instanceof ApiError ? err.message : String(err);
      errorBox.textContent = `Your message was not sent: ${text}`;
      append(
        el(
          'article',
          { class: 'msg msg-bot', 'data-status': 'error' },
          el('p', { class: 'who' }, 'Assistant'),
          el('p', { class: 'error-text' }, `Not sent: ${text}`),
        ),
      );
      if (err instanceof ApiError && err.status === 403 && /session/i.test(err.message)) {
        sessionId = undefined;
        localStorage.removeItem(sessionKey());
        showSession();
      }
    } finally {
      send.disabled = false;
      input.focus();
    }
  }

  /** Checks runs that were still moving; each one that settled gets a closing message. */
  async function tick() {
    for (const workflowId of [...following.keys()]) {
      let run;
      try {
        run = await api.run(workflowId);
      } catch {
        continue;
      }
      // Two ticks may overlap (the timer and a decision): only the first one to see the end says so.
      if (!FINAL_RUN_STATUSES.includes(run.status) || !following.delete(workflowId)) continue;
      append(renderOutcome(run));
    }
  }

  return {
    tick,
    /** The user changed: continue that user's own session. */
    identityChanged() {
      const key = sessionKey();
      if (key === currentKey) return;
      currentKey = key;
      sessionId = localStorage.getItem(key) ?? undefined;
      showSession();
      if (!log.querySelector('.empty')) {
        append(
          el(
            'p',
            { class: 'divider' },
            identity.authOn() ? 'Now chatting with another token' : `Now chatting as ${identity.userId()}`,
          ),
        );
      }
    },
  };
}

/**
 * One assistant reply, by the shape POST /chat gave it.
 * @param {Record<string, any>} reply
 * @param {string} status the response's top-level status
 * @param {string} workflowId
 */
export function renderReply(reply, status, workflowId) {
  const kind = replyKind(reply, status);
  /** @type {(Node | string | undefined)[]} */
  const body = [];
  if (kind === 'pending') {
    body.push(el('p', {}, String(reply.message ?? 'This request needs approval.')));
    body.push(
      details([
        ['Amount', formatUsd(reply.amount)],
        ['Recipient', reply.recipient],
        ['Step', reply.amount === undefined ? reply.step_name : undefined],
        ['Approval ID', el('code', {}, String(reply.approval_id ?? ''))],
      ]),
    );
  } else if (reply.data && typeof reply.data === 'object') {
    body.push(el('p', {}, String(reply.data.message ?? 'Done.')));
    if (reply.hil_decision?.auto)
      body.push(el('p', { class: 'note' }, 'Below the approval threshold: no approval was needed.'));
    else if (reply.hil_decision?.approver_id)
      body.push(el('p', { class: 'note' }, `Approved by ${reply.hil_decision.approver_id}.`));
  } else {
    body.push(el('p', {}, String(reply.message ?? reply.error ?? STATE_LABELS[status] ?? status)));
  }
  if (Array.isArray(reply.steps) && reply.steps.length > 0) body.push(stepList(reply.steps));
  if (Array.isArray(reply.choices) && reply.choices.length > 0) body.push(choiceButtons(reply.choices));
  return message(kind, body, workflowId);
}

/**
 * The closing message for a run that settled after its first reply.
 * @param {RunView} run
 */
export function renderOutcome(run) {
  const only = run.steps.length === 1 ? run.steps[0] : undefined;
  const decided = run.approvals.find((a) => a.status !== 'pending');
  /** @type {(Node | string | undefined)[]} */
  const body = [];
  let kind = 'success';
  if (run.status === 'COMPLETED') {
    const what = only
      ? (resultSummary(only.result) ?? `${only.name} succeeded.`)
      : `All ${run.steps.length} steps succeeded.`;
    body.push(
      el('p', {}, decided?.decided_by ? `Approved by ${decided.decided_by} and done: ${what}` : `Done: ${what}`),
    );
  } else if (run.status === 'REJECTED') {
    kind = 'rejected';
    const rejected = run.approvals.filter((a) => a.status === 'rejected' || a.status === 'expired');
    body.push(
      el(
        'p',
        {},
        rejected
          .map((a) =>
            a.status === 'expired'
              ? `${a.step_name} was not approved in time.`
              : `${a.step_name} was rejected by ${a.decided_by ?? 'an approver'}` +
                (a.decision_reason ? `: ${a.decision_reason}` : '.'),
          )
          .join(' ') || 'The request was not approved.',
      ),
    );
  } else if (run.status === 'FAILED') {
    kind = 'failed';
    const failed = run.steps.filter((s) => s.state === 'FAILED');
    body.push(
      el(
        'p',
        {},
        failed.length > 0
          ? failed.map((s) => `${s.name} failed: ${s.error ?? 'unknown error'}`).join('; ')
          : (run.error ?? 'The request failed.'),
      ),
    );
  } else {
    kind = 'cancelled';
    body.push(el('p', {}, 'The request was cancelled.'));
  }
  if (run.steps.length > 1) body.push(stepList(run.steps));
  return message(kind, body, run.workflow_id);
}

/** @param {Record<string, any>} reply @param {string} status */
function replyKind(reply, status) {
  if (reply.status === 'PENDING_APPROVAL' || status === 'PENDING_APPROVAL') return 'pending';
  if (reply.status === 'not_understood') return 'not_understood';
  if (status === 'COMPLETED' || reply.status === 'success') return 'success';
  if (status === 'RUNNING') return 'running';
  return String(reply.status ?? status).toLowerCase();
}

/** @param {string} kind @param {(Node | string | undefined)[]} body @param {string} workflowId */
function message(kind, body, workflowId) {
  return el(
    'article',
    { class: `msg msg-bot kind-${kind}`, 'data-status': kind, 'data-workflow-id': workflowId },
    el('p', { class: 'who' }, 'Assistant ', el('span', { class: 'kind' }, KIND_LABELS[kind] ?? kind)),
    ...body,
  );
}

/** @param {unknown[]} choices the readings of a clarifying question, each a message to send */
function choiceButtons(choices) {
  return el(
    'div',
    { class: 'choices', role: 'group', 'aria-label': 'Did you mean' },
    ...choices.map((choice) =>
      el('button', { type: 'button', class: 'chip', 'data-choice': String(choice) }, String(choice)),
    ),
  );
}

/** @param {Array<{ name: string, state: string, summary?: string, error?: string }>} steps */
function stepList(steps) {
  return el(
    'ul',
    { class: 'mini-steps' },
    ...steps.map((s) =>
      el(
        'li',
        {},
        `${s.name}: ${STATE_LABELS[s.state] ?? s.state}`,
        s.summary ? ` (${s.summary})` : '',
        s.error && s.state !== 'SUCCEEDED' ? ` (${s.error})` : '',
      ),
    ),
  );
}
