// @ts-check
/**
 * The audit trail for auditors and admins: the records of GET /api/audit with the filters the
 * route takes (time range, run, person, tool, outcome, kind), paged with its cursor; the whole
 * chain downloaded as NDJSON; and the gateway's check of the stored chain with its head, the hash
 * to keep elsewhere. Read only when asked (Show records), never on the ticker: most people on the
 * page may not read it, and a reader who pages back should not see the trail move.
 */
import { AUDIT_KINDS, isoFromLocal, verdictText } from './audit-format.js';
import { el, formatTime, messageOf } from './format.js';

/** @typedef {import('./api.js').Api} Api */
/** @typedef {import('./audit-format.js').AuditRecord} AuditRecord */

const PAGE_SIZE = '50';
const FIELDS = /** @type {const} */ ([
  ['from', 'From', 'datetime-local'],
  ['to', 'To', 'datetime-local'],
  ['workflow_id', 'Run', 'text'],
  ['person', 'Person', 'text'],
  ['tool', 'Tool', 'text'],
  ['outcome', 'Outcome', 'text'],
]);
const COLUMNS = ['#', 'Time', 'Kind', 'Person', 'Tool', 'Outcome', 'What happened', 'Run'];

/**
 * Builds the view inside `mount` (an empty element on the page).
 * @param {{ mount: HTMLElement, api: Api }} options
 */
export function createAuditView({ mount, api }) {
  const form = el('form', {
    id: 'audit-filters',
    class: 'filters audit-filters',
    'aria-label': 'Filter the audit trail',
  });
  for (const [name, label, type] of FIELDS) {
    const input = el('input', { id: `audit-${name}`, name, type, autocomplete: 'off', spellcheck: 'false' });
    form.append(el('div', { class: 'field' }, el('label', { for: input.id }, label), input));
  }
  const kind = el('select', { id: 'audit-kind', name: 'kind' }, el('option', { value: '' }, 'Any'));
  for (const k of AUDIT_KINDS) kind.append(el('option', { value: k }, k.replaceAll('_', ' ')));
  form.append(
    el('div', { class: 'field' }, el('label', { for: kind.id }, 'Kind'), kind),
    el('button', { type: 'submit' }, 'Show records'),
  );

  const status = el(
    'p',
    { id: 'audit-status', class: 'note', role: 'status', 'aria-live': 'polite' },
    'Choose filters, or none, and press Show records.',
  );
  const errorBox = el('p', { id: 'audit-error', class: 'error', role: 'alert' });
  const rows = el('tbody');
  const table = el(
    'table',
    { id: 'audit-records', class: 'audit-table' },
    el('caption', { id: 'audit-caption' }, 'Audit records, oldest first'),
    el('thead', {}, el('tr', {}, ...COLUMNS.map((c) => el('th', { scope: 'col' }, c)))),
    rows,
  );
  // Wide on a phone: the table scrolls on its own, focusable so a keyboard can scroll it too.
  const scroller = el(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-labelledby': 'audit-caption', tabindex: '0' },
    table,
  );
  const more = el('button', { id: 'audit-more', type: 'button', class: 'secondary', hidden: '' }, 'Show more');

  const download = el('button', { id: 'audit-download', type: 'button', class: 'secondary' }, 'Download export');
  const verify = el('button', { id: 'audit-verify', type: 'button', class: 'secondary' }, 'Verify the chain');
  const verdict = el('p', { id: 'audit-verdict', class: 'audit-verdict', role: 'status', 'aria-live': 'polite' });
  const evidence = el(
    'div',
    { class: 'audit-evidence', role: 'group', 'aria-labelledby': 'audit-evidence-heading' },
    el('h3', { id: 'audit-evidence-heading' }, 'Evidence'),
    el('div', { class: 'row' }, download, verify),
    verdict,
    el(
      'p',
      { class: 'note' },
      'Check a downloaded export without trusting this system: ',
      el('code', {}, './temporal-dev.sh verify-audit audit.ndjson --key <public-key.pem>'),
    ),
  );
  mount.append(el('h3', { id: 'audit-trail-heading' }, 'Trail'), form, status, errorBox, scroller, more, evidence);

  /** @type {string | undefined} */
  let cursor;
  /** @type {Record<string, string>} */
  let filters = {};

  function filtersOf() {
    const data = new FormData(form);
    /** @type {Record<string, string>} */
    const chosen = {};
    for (const [name, value] of data.entries()) {
      const text = String(value).trim();
      chosen[name] = name === 'from' || name === 'to' ? isoFromLocal(text) : text;
    }
    return chosen;
  }

  /** @param {boolean} again another page of the same search */
  async function load(again) {
    if (!again) {
      filters = filtersOf();
      cursor = undefined;
    }
    errorBox.textContent = '';
    mount.setAttribute('aria-busy', 'true');
    try {
      const page = await api.audit({ ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
      if (!again) rows.replaceChildren();
      rows.append(...page.records.map(rowOf));
      cursor = page.next_cursor;
      more.hidden = cursor === undefined;
      const shown = rows.childElementCount;
      status.textContent =
        shown === 0 ? 'No records match.' : `${shown} record(s) shown${cursor ? ', more to load' : ''}.`;
    } catch (err) {
      errorBox.textContent = `Could not read the audit trail: ${messageOf(err)}`;
    } finally {
      mount.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load(false);
  });
  more.addEventListener('click', () => void load(true));

  download.addEventListener('click', async () => {
    errorBox.textContent = '';
    download.disabled = true;
    try {
      const blob = await api.auditExport();
      const link = el('a', { href: URL.createObjectURL(blob), download: 'audit.ndjson', hidden: '' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      status.textContent = `Export downloaded (${blob.size} bytes).`;
    } catch (err) {
      errorBox.textContent = `Could not download the export: ${messageOf(err)}`;
    } finally {
      download.disabled = false;
    }
  });

  verify.addEventListener('click', async () => {
    errorBox.textContent = '';
    verify.disabled = true;
    verdict.textContent = 'Verifying…';
    try {
      const result = await api.auditVerify();
      verdict.textContent = verdictText(result);
      verdict.dataset.ok = String(result.ok);
    } catch (err) {
      verdict.textContent = '';
      errorBox.textContent = `Could not verify the chain: ${messageOf(err)}`;
    } finally {
      verify.disabled = false;
    }
  });

  return {};
}

/** @param {AuditRecord} r */
function rowOf(r) {
  const time = el('time', { datetime: r.at, title: new Date(r.at).toLocaleString() }, formatTime(r.at));
  return el(
    'tr',
    { 'data-seq': String(r.seq), 'data-kind': r.kind },
    el('td', {}, String(r.seq)),
    el('td', {}, time),
    el('td', {}, r.kind.replaceAll('_', ' ')),
    el('td', {}, r.person ?? ''),
    el('td', {}, r.tool ?? ''),
    el('td', {}, r.outcome ?? ''),
    el(
      'td',
      { class: 'what' },
      r.summary,
      r.signed ? el('span', { class: 'signed' }, ` (signed ${r.signed.kind})`) : undefined,
    ),
    el('td', {}, el('code', {}, r.workflow_id)),
  );
}
