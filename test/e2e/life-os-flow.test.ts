/** The Life-OS API over real HTTP: submit the Life-OS sentence, approvals, decision, and the SSE timeline. */
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../dev/ports.js';
import { call, readSse, type SseEvent } from '../support/http.js';
import { useStack } from '../support/fixtures.js';
import { postDecision } from '../support/chat.js';

const SENTENCE = 'Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries';

const stack = useStack({ gateway: { heartbeatMs: 300 } });

interface Event {
  seq: number;
  event: string;
  step_id?: string;
  approval_id?: string;
}

async function submit(
  userId = '1',
): Promise<{ workflow_id: string; status: string; intent: string; session_id: string }> {
  const res = await call(
    stack.baseUrl,
    'POST',
    `/api/workflows/submit?user_id=${userId}&intent=${encodeURIComponent(SENTENCE)}`,
  );
  expect(res.status).toBe(200);
  return res.body;
}

async function timelineOf(id: string): Promise<Event[]> {
  const res = await call(stack.baseUrl, 'GET', `/api/workflows/${id}/timeline`);
  expect(res.status).toBe(200);
  return res.body.events;
}

async function waitForEvent(id: string, name: string): Promise<Event[]> {
  return waitFor(
    async () => {
      const events = await timelineOf(id);
      return events.some((e) => e.event === name) ? events : undefined;
    },
    { timeoutMs: 20_000, what: `${name} in ${id}` },
  );
}

const names = (events: SseEvent[]) => events.map((e) => e.event);

describe('Life-OS: Apply to 2 backend jobs, schedule gym 3x this week, and plan groceries', () => {
  let workflowId: string;
  let approvalId: string;
  let firstStream: Promise<Awaited<ReturnType<typeof readSse>>>;

  it('submits with query parameters and answers at once with the planned intent', async () => {
    const body = await submit();
    expect(body.workflow_id).toMatch(/^req-/);
    expect(body.intent).toBe('life_os');
    expect(['EXECUTING', 'WAITING_APPROVAL']).toContain(body.status);
    workflowId = body.workflow_id;
    firstStream = readSse(`${stack.baseUrl}/api/workflows/${workflowId}/stream`, { timeoutMs: 40_000 });
  });

  it('runs the independent steps, then blocks the L3 submission on an approval', async () => {
    const events = await waitForEvent(workflowId, 'approval_required');
    expect(events[0]!.event).toBe('plan_created');
    for (const step of ['search_jobs', 'schedule_gym', 'plan_groceries', 'tailor_cv']) {
      const own = events.filter((e) => e.step_id === step).map((e) => e.event);
      expect(own).toEqual(['step_ready', 'step_running', 'step_succeeded']);
    }
    const submission = events.filter((e) => e.step_id === 'submit_application').map((e) => e.event);
    expect(submission).toEqual(['step_ready', 'step_blocked', 'approval_required']);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));

    const run = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
    expect(run.body).toMatchObject({
      workflow_id: workflowId,
      user_id: '1',
      intent: 'life_os',
      status: 'WAITING_APPROVAL',
    });
    expect(run.body.steps).toHaveLength(5);
  });

  it('lists the approval for the run, by id, and in the pending inbox', async () => {
    const list = await call(stack.baseUrl, 'GET', `/api/approvals/workflow/${workflowId}`);
    expect(list.status).toBe(200);
    expect(list.body.workflow_id).toBe(workflowId);
    expect(list.body.approvals).toHaveLength(1);
    const approval = list.body.approvals[0];
    expect(approval).toMatchObject({
      step_id: 'submit_application',
      step_name: 'Submit job application',
      risk_level: 'L3',
      status: 'pending',
      requested_by: '1',
    });
    approvalId = approval.approval_id;

    const one = await call(stack.baseUrl, 'GET', `/api/approvals/${approvalId}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(approval);

    const inbox = await waitFor(
      async () => {
        const res = await call(stack.baseUrl, 'GET', '/api/approvals?status=pending');
        expect(res.status).toBe(200);
        return res.body.approvals.some((a: { approval_id: string }) => a.approval_id === approvalId)
          ? res.body.approvals
          : undefined;
      },
      { timeoutMs: 20_000, what: 'the approval in the inbox' },
    );
    expect(inbox.find((a: { approval_id: string }) => a.approval_id === approvalId)).toMatchObject({
      status: 'pending',
      workflow_id: workflowId,
    });
  });

  it('approves with the original client body (decided_by as a number) and finishes the run', async () => {
    const res = await postDecision(stack.baseUrl, approvalId, { decision: 'approve', decided_by: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      step_state: 'SUCCEEDED',
      approval: { status: 'approved', decided_by: '1' },
    });
    expect(res.body.message).toMatch(/Submit job application approved by 1/);
    const run = await call(stack.baseUrl, 'GET', `/api/workflows/${workflowId}`);
    expect(['EXECUTING', 'COMPLETED']).toContain(run.body.status);
  });

  it('streamed every event over SSE, from plan_created to workflow_complete, then closed', async () => {
    const read = await firstStream;
    expect(read.status).toBe(200);
    expect(read.closedByServer).toBe(true);
    const events = read.events;
    expect(events[0]!.event).toBe('plan_created');
    expect(events.at(-1)!.event).toBe('workflow_complete');
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
    for (const e of events) expect(JSON.parse(e.data)).toMatchObject({ seq: Number(e.id), event: e.event });
    const tail = names(events).slice(names(events).indexOf('approval_approved'));
    expect(tail).toEqual(['approval_approved', 'step_ready', 'step_running', 'step_succeeded', 'workflow_complete']);
    expect(names(events)).toEqual((await timelineOf(workflowId)).map((e) => e.event));
  });

  it('resumes after Last-Event-ID, skipping the events already seen', async () => {
    const all = await timelineOf(workflowId);
    const approved = all.find((e) => e.event === 'approval_approved')!;
    const read = await readSse(`${stack.baseUrl}/api/workflows/${workflowId}/stream`, {
      headers: { 'Last-Event-ID': String(approved.seq - 1) },
    });
    expect(read.closedByServer).toBe(true);
    expect(names(read.events)).toEqual([
      'approval_approved',
      'step_ready',
      'step_running',
      'step_succeeded',
      'workflow_complete',
    ]);
    expect(Number(read.events[0]!.id)).toBe(approved.seq);

    const nothingLeft = await readSse(`${stack.baseUrl}/api/workflows/${workflowId}/stream`, {
      headers: { 'Last-Event-ID': String(all.at(-1)!.seq) },
    });
    expect(nothingLeft.closedByServer).toBe(true);
    expect(nothingLeft.events).toEqual([]);
    await waitFor(() => stack.timelines.activePollers() === 0 || undefined, { what: 'no pollers left' });
  });
});

describe('SSE streams', () => {
  it('share one poller among clients, send heartbeats, and stop polling when the clients disconnect', async () => {
    const { workflow_id: id } = await submit('stream_user');
    await waitForEvent(id, 'approval_required');
    const url = `${stack.baseUrl}/api/workflows/${id}/stream`;
    // Both clients stay connected (the run waits for a person) until they have seen a heartbeat.
    const [a, b] = await Promise.all([
      readSse(url, {
        stopWhen: (events, comments) =>
          comments.includes('ping') && events.some((e) => e.event === 'approval_required'),
      }),
      readSse(url, {
        stopWhen: (events, comments) => {
          if (events.length > 0) expect(stack.timelines.activePollers()).toBe(1);
          return comments.includes('ping') && events.some((e) => e.event === 'approval_required');
        },
      }),
    ]);
    expect(a.closedByServer).toBe(false);
    expect(names(a.events)).toEqual(names(b.events));
    await waitFor(() => stack.timelines.activePollers() === 0 || undefined, {
      what: 'the poller to stop after the clients left',
    });

    const cancel = await call(stack.baseUrl, 'POST', `/api/workflows/${id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('CANCELLED');
    const end = await readSse(url);
    expect(end.closedByServer).toBe(true);
    expect(names(end.events).at(-1)).toBe('workflow_cancelled');
    const again = await call(stack.baseUrl, 'POST', `/api/workflows/${id}/cancel`);
    expect(again.status).toBe(409);
  });

  it('refuses a Last-Event-ID that is not a seq (400) and an unknown workflow (404)', async () => {
    const bad = await call(stack.baseUrl, 'GET', '/api/workflows/req-anything/stream', undefined, {
      'Last-Event-ID': '12abc',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Last-Event-ID/);
    const unknown = await call(stack.baseUrl, 'GET', '/api/workflows/req-does-not-exist/stream');
    expect(unknown.status).toBe(404);
    expect(stack.timelines.activePollers()).toBe(0);
  });
});
