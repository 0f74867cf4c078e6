// @ts-check
/**
 * What the page says about an approval, in the inbox and in the run view alike: what the step will
 * do in plain words, and for a staged approval the rule that matched, its stages and progress, who
 * decided, who may decide now and the deadlines.
 */
import { details, el } from './format.js';

/** @typedef {import('./api-contract.js').ApprovalRecord} ApprovalRecord */

/** @param {string} group */
function groupWords(group) {
  return group === '*' ? 'anyone' : group;
}

/** @param {ApprovalRecord} a @returns {string | undefined} */
export function stagesText(a) {
  if (!a.stages) return undefined;
  return a.stages
    .map(
      (s, i) =>
        `${i === a.current_stage ? '▸ ' : ''}${s.count} from ${groupWords(s.group)}` +
        (s.approved_by.length > 0 ? ` (${s.approved_by.join(', ')})` : ''),
    )
    .join(' → ');
}

/** @param {ApprovalRecord} a @returns {string | undefined} */
export function mayDecideText(a) {
  const who = a.who_may_decide;
  if (!who) return undefined;
  return [...who.groups.map(groupWords), ...who.people].join(', ');
}

/** @param {ApprovalRecord} a @returns {string | undefined} */
function approvedByText(a) {
  const approvals = (a.decisions ?? []).filter((d) => d.verdict === 'approve');
  return approvals.map((d) => (d.on_behalf_of ? `${d.by} (for ${d.on_behalf_of})` : d.by)).join(', ') || undefined;
}

/** Deadlines can be days away, so with the date. @param {string | undefined} iso @param {string} [suffix] */
function at(iso, suffix = '') {
  return iso ? `${new Date(iso).toLocaleString()}${suffix}` : undefined;
}

/** The rows of a staged approval's facts (policy runs); rows without a value are left out. @param {ApprovalRecord} a */
export function approvalFacts(a) {
  return details([
    ['Rule', a.policy_rule],
    ['Stages', stagesText(a)],
    ['Approvals', a.progress],
    ['Approved by', approvedByText(a)],
    ['May decide now', mayDecideText(a)],
    ['You may decide', a.may_decide === undefined ? undefined : a.may_decide ? 'yes' : 'no'],
    ['Handed over', a.delegations?.map((d) => `${d.from} → ${d.to}: ${d.reason}`).join('; ') || undefined],
    ['Reminder', at(a.reminded_at ?? a.remind_at, a.reminded_at ? ' (sent)' : '')],
    [
      'Escalates',
      at(
        a.escalated_at ?? a.escalate_at,
        a.escalate_to ? ` to ${a.escalate_to}${a.escalated_at ? ' (done)' : ''}` : '',
      ),
    ],
    ['Expires', at(a.expires_at)],
  ]);
}

/** The approval's policy facts, marked so the inbox can redraw them in place. @param {ApprovalRecord} a */
export function policyFacts(a) {
  const facts = approvalFacts(a);
  facts.classList.add('policy-facts');
  return facts;
}

/**
 * What the step will do, in plain words (an approval's or a step's `effect`); nothing when absent.
 * @param {{ effect?: string }} record
 */
export function effectLine(record) {
  return record.effect ? el('p', { class: 'effect' }, record.effect) : undefined;
}
