/**
 * With LOCAL_TOOL_CALLS=true the assistant's tools run inside the workflow task: the status read
 * must not wait on the asking run itself, and the cancel still goes through the target run's own
 * cancellation (its pending approval ends cancelled).
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { call, type Loose } from '../support/http.js';
import { useStack } from '../support/fixtures.js';

const stack = useStack({ env: { LOCAL_TOOL_CALLS: 'true' } });

const chat = async (message: string, session_id?: string): Promise<Loose> => {
  const res = await call(stack.baseUrl, 'POST', '/chat', {
    message,
    user_id: 'default_user',
    ...(session_id !== undefined && { session_id }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('the assistant with tool calls as local activities', () => {
  it('answers balance and status, and cancels the waiting transfer', async () => {
    expect((await chat('balance?')).reply.message).toBe('Your balance is $50,000.00.');
    const pending = await chat('transfer six thousand dollars to kiran');
    expect(pending.status).toBe('PENDING_APPROVAL');
    const status = await chat('status of my last request', pending.session_id);
    expect(status.reply.data.request).toMatchObject({ workflow_id: pending.workflow_id, status: 'WAITING_APPROVAL' });
    const cancel = await chat('cancel it', pending.session_id);
    expect(cancel.reply).toMatchObject({ intent: 'cancel_request', status: 'success' });
    const run = await waitFor(
      async () => {
        const res = await call(stack.baseUrl, 'GET', `/api/workflows/${pending.workflow_id}`);
        return res.body.status === 'CANCELLED' && res.body;
      },
      { what: 'the transfer run to be cancelled' },
    );
    expect(run.approvals[0].status).toBe('cancelled');
  });
});
