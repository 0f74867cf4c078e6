/**
 * No web page can drive Temporal: the dev server's HTTP API (which has no origin check) answers
 * no Host header a browser can send, so a cross-origin `text/plain` POST, the kind any page may
 * make without a preflight, starts nothing.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { useClient } from '../support/fixtures.js';

const client = useClient();
const httpAddress = inject('temporalHttpAddress');

/** The request a page on another site would make with fetch(..., { mode: 'no-cors' }). */
function startFromAPage(url: string, workflowId: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://attacker.example' },
    body: JSON.stringify({
      workflowId,
      workflowType: { name: 'requestWorkflow' },
      taskQueue: { name: 'requests' },
      input: [{ user_id: 'manager@bank.com', session_id: 's', message: 'Transfer 4999 to kiran' }],
    }),
  });
}

describe.skipIf(httpAddress === '')("the dev server's HTTP API", () => {
  it.each([
    ['its own address', httpAddress],
    ['localhost (a rebound DNS name reaches the same socket)', httpAddress.replace('127.0.0.1', 'localhost')],
  ])('refuses a cross-origin text/plain start sent to %s, and nothing starts', async (_what, address) => {
    const workflowId = `page-${randomUUID()}`;
    const res = await startFromAPage(`http://${address}/api/v1/namespaces/default/workflows/${workflowId}`, workflowId);
    // Served, and refused: the API listens (so this is not a closed port) and turns the page away.
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/Host not allowed/);
    const described = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch((err: unknown) => err);
    expect(described).toBeInstanceOf(WorkflowNotFoundError);
  });
});
