// @ts-check
/**
 * The approvals inbox: GET /api/approvals?status=pending, kept live by the page's ticker and
 * after every action. Cards are keyed by approval id and updated in place, so a half-typed
 * rejection reason or a focused button survives each refresh.
 */
import { ApiError } from './api.js';
import { cssId, details, el, formatAge, formatTime, formatUsd, messageOf } from './format.js';
import { reviewAll } from './review-view.js';
import { coalesced } from './coalesce.js';
import { effectLine, policyFacts } from './approval-facts.js';
import { amountEditForm } from './approval-edit-form.js';
import { createBulkBar } from './bulk-bar.js';
import { pageElement } from './page-element.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./api-contract.js').ApprovalRecord} ApprovalRecord */
/** @typedef {import('./identity.js').Identity} Identity */

const PAGE_SIZE = 25;

/**
 * @param {{ api: Api, identity: Identity, onSelectRun: (workflowId: string) => void,
 *   onDecided: (approval: ApprovalRecord) => void }} options
 */
export function createInbox({ api, identity, onSelectRun, onDecided }) {
  const list = pageElement('approvals', HTMLUListElement);
  const empty = pageElement('inbox-empty', HTMLElement);
  const count = pageElement('inbox-count', HTMLElement);
  const status = pageElement('inbox-status', HTMLElement);
  const errorBox = pageElement('inbox-error', HTMLElement);

  /** @type {Map<string, { card: HTMLLIElement, approval: ApprovalRecord }>} */
  const cards = new Map();
  /** Decided here: hidden even while the eventually consistent listing still shows them. */
  const decided = new Set();
  /** Edited here: the run's answer, shown until the eventually consistent listing has the edit too. */
  /** @type {Map<string, ApprovalRecord>} */
  const edited = new Map();
  /** Known pending (from a chat reply) before the listing catches up: looked up directly. */
  const tracked = new Set();

  const filtersForm = pageElement('inbox-filters', HTMLFormElement);
  const moreButton = pageElement('inbox-more', HTMLButtonElement);
  /** Pages shown: the first, plus one per "Show more"; each refresh reloads them all. */
  let pagesShown = 1;
  let total = 0;

  /** Refreshes now; calls made during a refresh coalesce into one more. */
  const refresh = coalesced(load);
  const bulk = createBulkBar({
    api,
    identity,
    approvalOf: (id) => cards.get(id)?.approval,
    onStatus: (text) => {
      status.textContent = text;
    },
    onError: (text) => showError(text, 'decision'),
    onDecided: (a) => {
      decided.add(a.approval_id);
      onDecided(a);
    },
    onSettled: () => refresh(),
  });

  /** The form's filters as query parameters; `decider` names the approver when auth is off. */
  function filters() {
    /** @type {Record<string, string>} */
    const query = { limit: String(PAGE_SIZE) };
    for (const [key, value] of new FormData(filtersForm)) if (typeof value === 'string') query[key] = value.trim();
    if (query['can_decide'] === 'true') query['decider'] = identity.approverId();
    return query;
  }

  /** @returns {Promise<{ approvals: ApprovalRecord[], more: boolean, total: number }>} */
  async function loadPages() {
    /** @type {ApprovalRecord[]} */
    const approvals = [];
    const query = filters();
    /** @type {string | undefined} */
    let cursor;
    let pageTotal = 0;
    for (let page = 0; page < pagesShown; page++) {
      const answer = await api.pendingApprovals(cursor === undefined ? query : { ...query, cursor });
      approvals.push(...answer.approvals);
      pageTotal = answer.total;
      cursor = answer.next_cursor;
      if (cursor === undefined) break;
    }
    return { approvals, more: cursor !== undefined, total: pageTotal };
  }

  async function load() {
    let approvals;
    try {
      const loaded = await loadPages();
      approvals = loaded.approvals;
      total = loaded.total;
      moreButton.hidden = !loaded.more;
    } catch (err) {
      showError(`Could not load approvals: ${messageOf(err)}`);
      return;
    }
    const byId = new Map(approvals.map((a) => [a.approval_id, a]));
    for (const id of [...tracked]) {
      if (byId.has(id)) {
        tracked.delete(id);
        continue;
      }
      try {
        const record = await api.approval(id);
        if (record.status === 'pending') byId.set(id, record);
        else tracked.delete(id);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) tracked.delete(id);
      }
    }
    for (const [id, record] of edited) {
      const listed = byId.get(id);
      if (!listed || (listed.edits ?? 0) >= (record.edits ?? 0)) edited.delete(id);
      else byId.set(id, record);
    }
    if (errorBox.dataset.source === 'load') showError('');
    render([...byId.values()].filter((a) => a.status === 'pending' && !decided.has(a.approval_id)));
  }

  /** @param {ApprovalRecord[]} approvals */
  function render(approvals) {
    const now = Date.now();
    const keep = new Set(approvals.map((a) => a.approval_id));
    for (const [id, entry] of cards) {
      if (!keep.has(id)) {
        entry.card.remove();
        cards.delete(id);
        bulk.drop(id);
      }
    }
    /** How many of the shown approvals each run has: a run with several links to its review. */
    const perRun = new Map();
    for (const a of approvals) perRun.set(a.workflow_id, (perRun.get(a.workflow_id) ?? 0) + 1);
    /** @type {ChildNode | null} */
    let slot = list.firstChild;
    for (const approval of approvals) {
      let entry = cards.get(approval.approval_id);
      if (!entry) {
        entry = { card: buildCard(approval), approval };
        cards.set(approval.approval_id, entry);
      } else if (JSON.stringify(entry.approval) !== JSON.stringify(approval)) {
        // Progress, escalation or a hand-over: only the policy facts are redrawn, never the controls.
        entry.card.querySelector('.policy-facts')?.replaceWith(policyFacts(approval));
        entry.approval = approval;
      }
      // The server's order (oldest first). A card already in place is not touched: moving a node
      // takes the focus out of it, and someone may be typing a rejection reason in it.
      if (entry.card === slot) slot = slot.nextSibling;
      else list.insertBefore(entry.card, slot);
      const planNote = /** @type {HTMLElement} */ (entry.card.querySelector('.plan-note'));
      const siblings = perRun.get(approval.workflow_id) ?? 1;
      planNote.hidden = siblings < 2;
      const note = `One of ${siblings} steps of this request waiting; each is decided on its own. `;
      if (planNote.textContent !== `${note}Review all`) planNote.replaceChildren(note, reviewAll(approval.workflow_id));
      const age = entry.card.querySelector('time');
      if (age) age.textContent = formatAge(approval.requested_at, now);
    }
    empty.hidden = approvals.length > 0;
    count.textContent =
      approvals.length === 0
        ? ''
        : total > approvals.length
          ? `(${approvals.length} of ${total})`
          : `(${approvals.length})`;
  }

  /** @param {ApprovalRecord} a */
  function buildCard(a) {
    const money = a.amount !== undefined || a.amount_cents !== undefined;
    const title = money ? `${formatUsd(a.amount, a.amount_cents)} → ${a.recipient ?? 'unknown'}` : a.step_name;
    const headingId = `approval-${cssId(a.approval_id)}`;
    const approve = el('button', { type: 'button', class: 'approve', 'aria-label': `Approve: ${title}` }, 'Approve');
    const reject = el('button', { type: 'button', class: 'reject danger', 'aria-label': `Reject: ${title}` }, 'Reject');
    const view = el('button', { type: 'button', class: 'secondary', 'aria-label': `View run: ${title}` }, 'View run');
    const pick = /** @type {HTMLInputElement} */ (
      el('input', { type: 'checkbox', class: 'pick', 'aria-label': `Select: ${title}` })
    );
    pick.addEventListener('change', () => bulk.pick(a.approval_id, pick.checked));
    const reasonId = `reason-${cssId(a.approval_id)}`;
    const reason = el('input', { id: reasonId, type: 'text', maxlength: '1000', autocomplete: 'off' });
    const confirm = el('button', { type: 'submit', class: 'danger' }, 'Confirm reject');
    const cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const rejectForm = el(
      'form',
      { class: 'reject-form', hidden: '' },
      el('label', { for: reasonId }, 'Reason for rejecting'),
      reason,
      el('div', { class: 'row' }, confirm, cancel),
    );
    const editForm =
      money && a.from_account && a.recipient
        ? amountEditForm(a, {
            api,
            identity,
            onEdited: (message, approval) => {
              if (approval?.status === 'pending') edited.set(a.approval_id, approval);
              else if (approval) decided.add(a.approval_id);
              showError('');
              status.textContent = `${formatTime(new Date().toISOString())}: ${message}.`;
              onSelectRun(a.workflow_id);
            },
            onRefused: (message) => showError(message, 'decision'),
            // The edited approval has a new action hash: the card is built again from the next listing.
            onSettled: async () => {
              cards.delete(a.approval_id);
              card.remove();
              await refresh();
            },
          })
        : undefined;
    const buttons = el('div', { class: 'row actions' }, approve, reject, view);
    const card = el(
      'li',
      {
        class: 'card',
        'data-approval-id': a.approval_id,
        'data-workflow-id': a.workflow_id,
        'aria-labelledby': headingId,
      },
      el('h3', { id: headingId }, pick, ' ', title),
      effectLine(a),
      details([
        ['Amount', money ? formatUsd(a.amount, a.amount_cents) : undefined],
        ['To', a.recipient],
        ['From', a.from_account],
        ['Requested by', a.requested_by],
        ['Step', a.step_name],
        ['Risk', a.risk_level],
        ['Action', a.action_hash ? el('code', { title: a.action_hash }, a.action_hash.slice(0, 12)) : undefined],
        [
          'Requested',
          el(
            'time',
            { datetime: a.requested_at, title: new Date(a.requested_at).toLocaleString() },
            formatAge(a.requested_at),
          ),
        ],
      ]),
      policyFacts(a),
      el('p', { class: 'note plan-note', hidden: '' }),
      el('p', { class: 'reason' }, a.reason),
      buttons,
      rejectForm,
      editForm,
    );

    approve.addEventListener('click', () => void decide(a, card, 'approve'));
    reject.addEventListener('click', () => {
      rejectForm.hidden = false;
      buttons.hidden = true;
      reason.focus();
    });
    cancel.addEventListener('click', () => {
      rejectForm.hidden = true;
      buttons.hidden = false;
      reject.focus();
    });
    rejectForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void decide(a, card, 'reject', reason.value.trim() || undefined);
    });
    view.addEventListener('click', () => onSelectRun(a.workflow_id));
    card.addEventListener('click', (e) => {
      if (!(e.target instanceof Element) || !e.target.closest('button, input, form, a')) onSelectRun(a.workflow_id);
    });
    return card;
  }

  /**
   * @param {ApprovalRecord} a
   * @param {HTMLLIElement} card
   * @param {'approve'|'reject'} decision
   * @param {string} [reason]
   */
  async function decide(a, card, decision, reason) {
    const controls = [...card.querySelectorAll('button, input')];
    for (const c of controls) /** @type {HTMLButtonElement | HTMLInputElement} */ (c).disabled = true;
    card.setAttribute('aria-busy', 'true');
    showError('');
    const who = identity.authOn() ? 'you' : identity.approverId();
    status.textContent = `${decision === 'approve' ? 'Approving' : 'Rejecting'} ${a.step_name} as ${who}…`;
    onSelectRun(a.workflow_id);
    try {
      // The action hash shown on this card: if the action changed since, the gateway refuses (409 stale_approval).
      const body = {
        decision,
        ...(identity.authOn() ? {} : { decided_by: identity.approverId() }),
        ...(reason ? { reason } : {}),
        ...(a.action_hash ? { action_hash: a.action_hash } : {}),
      };
      const res = await api.decide(a.approval_id, body);
      // An approval that only counted towards a stage stays in the inbox for the others.
      if (res?.approval?.status === 'pending') tracked.add(a.approval_id);
      else decided.add(a.approval_id);
      const what = res?.message ?? `${a.step_name} ${decision === 'approve' ? 'approved' : 'rejected'}`;
      status.textContent = `${formatTime(new Date().toISOString())}: ${what}.`;
      onDecided(res?.approval ?? a);
    } catch (err) {
      status.textContent = '';
      showError(`Could not ${decision} ${a.step_name}: ${messageOf(err)}`, 'decision');
      if (err instanceof ApiError && err.code === 'stale_approval') {
        // Show the approval as it is now: the card is built again from the next listing.
        cards.delete(a.approval_id);
        card.remove();
      } else if (err instanceof ApiError && (err.status === 404 || err.status === 409)) decided.add(a.approval_id);
    } finally {
      card.removeAttribute('aria-busy');
      for (const c of controls) /** @type {HTMLButtonElement | HTMLInputElement} */ (c).disabled = false;
      await refresh();
    }
  }

  /** @param {string} text @param {string} [source] */
  function showError(text, source = 'load') {
    errorBox.textContent = text;
    errorBox.dataset.source = text ? source : '';
  }

  filtersForm.addEventListener('change', () => {
    pagesShown = 1;
    void refresh();
  });
  filtersForm.addEventListener('submit', (event) => event.preventDefault());
  moreButton.addEventListener('click', () => {
    pagesShown += 1;
    void refresh();
  });

  return {
    refresh,
    /** An approval the page just learned of (a chat reply): shown before the listing has it. */
    /** @param {string} approvalId */
    track(approvalId) {
      tracked.add(approvalId);
      void refresh();
    },
  };
}
