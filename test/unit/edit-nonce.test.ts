/** editNonce: the same edit of the same action has the same nonce (a retried request is one edit to the run); any difference gives another. */
import { describe, expect, it } from 'vitest';
import { editNonce } from '../../gateway/approvals/edits.js';

const EDIT = {
  approval_id: 'req-1.transfer',
  args: { from_account: '123', to_account: 'kiran', amount_cents: 400_000 },
  edited_by: 'alice',
  reason: 'lower',
};
const HASH = 'a'.repeat(64);

describe('editNonce', () => {
  it('is the same for the same edit of the same action, whatever the key order, and fits a proof nonce', () => {
    const reordered = { ...EDIT, args: { amount_cents: 400_000, to_account: 'kiran', from_account: '123' } };
    expect(editNonce(reordered, HASH)).toBe(editNonce(EDIT, HASH));
    expect(editNonce(EDIT, HASH)).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  });

  it.each<[string, Parameters<typeof editNonce>]>([
    ['another action', [EDIT, 'b'.repeat(64)]],
    ['other args', [{ ...EDIT, args: { ...EDIT.args, amount_cents: 300_000 } }, HASH]],
    ['another editor', [{ ...EDIT, edited_by: 'bob' }, HASH]],
    ['another reason', [{ ...EDIT, reason: 'other' }, HASH]],
    ['other groups', [{ ...EDIT, groups: ['approvers'] }, HASH]],
    ['another approval', [{ ...EDIT, approval_id: 'req-2.transfer' }, HASH]],
  ])('differs for %s', (_name, args) => {
    expect(editNonce(...args)).not.toBe(editNonce(EDIT, HASH));
  });
});
