/** The pages a one-click approval link answers with: a confirmation form, or why nothing happened. */
import type { ApprovalRecord } from '../src/shared/contracts.js';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
dt{font-weight:600}dd{margin:0 0 .5rem}button{font-size:1rem;padding:.5rem 1.2rem}
</style>
</head><body><main>${body}</main></body></html>`;
}

function describe(approval: ApprovalRecord): string {
  const rows: [string, string | undefined][] = [
    ['Action', approval.step_name],
    ['What it does', approval.effect],
    ['Tool', approval.tool],
    ['Amount', approval.amount === undefined ? undefined : `$${approval.amount.toFixed(2)}`],
    ['To', approval.recipient],
    ['From account', approval.from_account],
    ['Requested by', approval.requested_by],
    ['Why approval is needed', approval.reason],
    ['Decide before', approval.expires_at],
  ];
  return `<dl>${rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v!)}</dd>`)
    .join('')}</dl>`;
}

/** Shows the action; only the form's POST decides (mail scanners fetch links with GET). */
export function confirmationPage(approval: ApprovalRecord, person: string, verdict: 'approve' | 'reject'): string {
  const verb = verdict === 'approve' ? 'Approve' : 'Reject';
  return page(
    `${verb} ${approval.step_name}`,
    `
<h1 id="link-title">${verb} this request?</h1>
<p>You are deciding as <strong id="link-person">${escapeHtml(person)}</strong>. Nothing has been decided yet.</p>
<p id="link-bearer">Whoever holds this link decides as ${escapeHtml(person)}: do not forward it.</p>
${describe(approval)}
<form method="post">
<p><label for="reason">Reason (optional)</label><br>
<textarea id="reason" name="reason" rows="2" cols="40" maxlength="1000"></textarea></p>
<button id="link-confirm" type="submit">${verb}</button>
</form>`,
  );
}

export function outcomePage(title: string, message: string): string {
  return page(title, `<h1 id="link-title">${escapeHtml(title)}</h1><p id="link-message">${escapeHtml(message)}</p>`);
}
