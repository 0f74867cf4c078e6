// @ts-check
/**
 * Trying a policy before switching it on: a candidate policy (pasted, or read from a chosen file)
 * is sent to POST /api/policies/simulate with a period, and the answer is shown as totals, the
 * approvals per rule and per group, and step by step what the live policy decided against what
 * the candidate would. The gateway validates the candidate as POLICY_FILE is validated; its
 * message, which names the field, is shown as it comes.
 */
import { groupName, outcomeText, signed, simulationSummary } from './audit-format.js';
import { el, formatUsd, messageOf } from './format.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./audit-format.js').SimulationReport} SimulationReport */

/**
 * Builds the view inside `mount` (an empty element on the page).
 * @param {{ mount: HTMLElement, api: Api }} options
 */
export function createSimulationView({ mount, api }) {
  const policy = el('textarea', { id: 'simulation-policy', name: 'policy', rows: '8', spellcheck: 'false' });
  policy.placeholder = '{ "id": "bank-2026-12", "rules": [ … ] }';
  const file = el('input', { id: 'simulation-file', type: 'file', accept: '.json,application/json' });
  const since = el('input', {
    id: 'simulation-since',
    name: 'since',
    type: 'text',
    value: '30d',
    size: '6',
    autocomplete: 'off',
    'aria-describedby': 'simulation-since-hint',
  });
  const submit = el('button', { type: 'submit' }, 'Simulate');
  const form = el(
    'form',
    { id: 'simulation-form', class: 'simulation-form', 'aria-labelledby': 'simulation-heading' },
    el('label', { for: policy.id }, 'Candidate policy (JSON, the schema of POLICY_FILE)'),
    policy,
    el(
      'div',
      { class: 'row' },
      el('label', { for: file.id }, 'Or read it from a file'),
      file,
      el('label', { for: since.id }, 'Requests of the last'),
      since,
      el('span', { id: 'simulation-since-hint', class: 'note' }, 'e.g. 30d, 12h, 90m'),
      submit,
    ),
  );
  const status = el('p', { id: 'simulation-status', class: 'note', role: 'status', 'aria-live': 'polite' });
  const errorBox = el('p', { id: 'simulation-error', class: 'error', role: 'alert' });
  const onlyChanges = el('input', { id: 'simulation-only-changes', type: 'checkbox' });
  const results = el('div', { id: 'simulation-results', hidden: '' });
  mount.append(
    el('h3', { id: 'simulation-heading' }, 'Try a policy on past requests'),
    form,
    status,
    errorBox,
    results,
  );

  /** @type {SimulationReport | undefined} */
  let report;

  file.addEventListener('change', async () => {
    const chosen = file.files?.[0];
    if (chosen) policy.value = await chosen.text();
  });
  onlyChanges.addEventListener('change', () => report && render(report));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorBox.textContent = '';
    let candidate;
    try {
      candidate = JSON.parse(policy.value);
    } catch (err) {
      errorBox.textContent = `The policy is not JSON: ${messageOf(err)}`;
      policy.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = 'Simulating…';
    try {
      report = await api.simulatePolicy({ policy: candidate, since: since.value.trim() || '30d' });
      render(report);
      status.textContent = simulationSummary(report);
    } catch (err) {
      status.textContent = '';
      errorBox.textContent = `Could not simulate: ${messageOf(err)}`;
    } finally {
      submit.disabled = false;
    }
  });

  /** @param {SimulationReport} r */
  function render(r) {
    const t = r.totals;
    const totals = el(
      'ul',
      { class: 'simulation-totals' },
      el('li', {}, `Approvals: ${t.approvals.actual} → ${t.approvals.candidate} (${signed(t.approvals.difference)})`),
      el('li', {}, `Refusals: ${t.refusals.actual} → ${t.refusals.candidate} (${signed(t.refusals.difference)})`),
      el('li', {}, `Steps that would change: ${t.changed_steps} of ${t.steps}, in ${t.requests} request(s)`),
    );
    const steps = r.requests.flatMap((req) => req.steps.map((step) => ({ req, step })));
    const shown = onlyChanges.checked ? steps.filter(({ step }) => step.changed) : steps;
    const stepRows = shown.map(({ req, step }) =>
      el(
        'tr',
        {
          class: step.changed ? 'changed' : undefined,
          'data-workflow-id': req.workflow_id,
          'data-step-id': step.step_id,
        },
        el('td', {}, el('code', {}, req.workflow_id)),
        el('td', {}, req.requested_by),
        el('td', {}, `${step.step_id} (${step.tool})`),
        el('td', { class: 'num' }, formatUsd(undefined, step.amount_cents)),
        el('td', {}, outcomeText(step.actual)),
        el('td', {}, outcomeText(step.candidate)),
        el('td', {}, step.changed ? 'Changes' : 'Same'),
      ),
    );
    results.replaceChildren(
      totals,
      pairTable('simulation-rules', 'Approvals per rule', 'Rule', t.by_rule),
      pairTable('simulation-groups', 'Approvals each group would give', 'Group', t.by_group),
      el('p', {}, el('label', {}, onlyChanges, ' Only steps that would change')),
      scrolling(
        'simulation-steps',
        'Step by step: the live policy against the candidate',
        ['Request', 'Requested by', 'Step', 'Amount', 'Live policy', 'Candidate', 'Difference'],
        stepRows,
      ),
    );
    results.hidden = false;
  }

  return {};
}

/**
 * @param {string} id
 * @param {string} caption
 * @param {string} first the first column's heading
 * @param {Record<string, { actual: number, candidate: number }>} pairs
 */
function pairTable(id, caption, first, pairs) {
  const rows = Object.entries(pairs).map(([name, p]) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, groupName(name)),
      el('td', { class: 'num' }, String(p.actual)),
      el('td', { class: 'num' }, String(p.candidate)),
      el('td', { class: 'num' }, signed(p.candidate - p.actual)),
    ),
  );
  if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: '4', class: 'empty' }, 'None on either side')));
  return scrolling(id, caption, [first, 'Live policy', 'Candidate', 'Difference'], rows);
}

/**
 * A table with a caption and column headings, in a region that scrolls sideways on a narrow screen.
 * @param {string} id
 * @param {string} caption
 * @param {string[]} columns
 * @param {HTMLTableRowElement[]} rows
 */
function scrolling(id, caption, columns, rows) {
  const table = el(
    'table',
    { id, class: 'audit-table' },
    el('caption', { id: `${id}-caption` }, caption),
    el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col' }, c)))),
    el('tbody', {}, ...rows),
  );
  return el('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': `${id}-caption`, tabindex: '0' }, table);
}
