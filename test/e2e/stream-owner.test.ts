/**
 * Following a run's stream checks only who owns the run, read with describe: no query per client,
 * so 200 clients connecting to one run on a loaded machine do not queue 200 queries behind its
 * worker (each of which could miss the gateway's deadline and answer 503).
 */
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { sessionWorkflowIdFor } from '../../src/shared/messages.js';
import { chatAs } from '../support/chat.js';

const stack = useStack({ gateway: { queryTimeoutMs: 1500 } });

describe('stream tickets while no worker answers', () => {
  it('are issued for an open run without asking its worker; unknown ids and sessions are 404', async () => {
    const chat = await chatAs(stack.baseUrl, 'Transfer 6000 to kiran', 'default_user');
    expect(chat.body.status).toBe('PENDING_APPROVAL');
    const workflowId = chat.body.workflow_id as string;
    await stack.stopWorker();

    const ticket = await call(stack.baseUrl, 'POST', `/api/workflows/${workflowId}/stream-ticket`);
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(200);
    expect(ticket.body.ticket).toEqual(expect.any(String));

    expect((await call(stack.baseUrl, 'POST', '/api/workflows/req-unknown/stream-ticket')).status).toBe(404);
    expect(
      (
        await call(
          stack.baseUrl,
          'POST',
          `/api/workflows/${sessionWorkflowIdFor(chat.body.session_id as string)}/stream-ticket`,
        )
      ).status,
    ).toBe(404);
  });
});
