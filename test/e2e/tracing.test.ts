/**
 * OTEL_*: with an OTLP endpoint set, one chat through the real gateway, worker and sandbox
 * processes gives one connected trace at a local OTLP/HTTP receiver, from the gateway's HTTP span
 * through the Temporal client, the workflow and the activity to the sandbox's HTTP span.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { startGatewayProcess, startWorkerProcess, type NodeService } from '../../dev/node-service.js';
import { freePort, waitFor } from '../../dev/ports.js';
import { startSandboxProcess, type SandboxProcess } from '../../dev/sandbox-process.js';
import { SpanKind, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { uniqueId } from '../support/temporal.js';
import { chatAs } from '../support/chat.js';

let receiver: OtlpReceiver;
let sandbox: SandboxProcess;
let worker: NodeService;
let gateway: NodeService;
let gatewayUrl: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // A short batch delay so spans arrive within the test's deadline.
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', LOG_FORMAT: 'json' };
  const taskQueue = uniqueId('tracing');
  const gatewayPort = await freePort();
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  sandbox = await startSandboxProcess({ env: otel });
  [worker, gateway] = await Promise.all([
    startWorkerProcess({
      ...otel,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TASK_QUEUE: taskQueue,
      SANDBOX_URL: sandbox.url,
    }),
    startGatewayProcess({
      ...otel,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TASK_QUEUE: taskQueue,
      GATEWAY_PORT: String(gatewayPort),
      CHAT_WAIT_MS: '30000',
      // The session's run reads the trusted keys under its own span, which is exported when the run closes:
      // closing it soon after the chat lets the whole trace arrive, connected.
      SESSION_IDLE_CLOSE: '1s',
    }),
  ]);
}, 180_000);
afterAll(async () => {
  await Promise.all([gateway?.stop(), worker?.stop()]);
  await sandbox?.dispose();
  await receiver?.close();
});

/** Every span's parent is in the trace, and following parents from any span ends at `root`. */
function ancestryOf(span: ReceivedSpan, byId: Map<string, ReceivedSpan>): ReceivedSpan[] {
  const chain = [span];
  let current = span;
  while (current.parentSpanId !== '') {
    const parent = byId.get(current.parentSpanId);
    if (!parent) return chain;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

function requestLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === 'request');
}

describe('traces', () => {
  it('connect one chat from the gateway through the workflow and its activity to the sandbox', async () => {
    const chat = await chatAs(gatewayUrl, 'Transfer 60 to Kiran', 'default_user', { session_id: null });
    expect(chat.status).toBe(200);
    expect(chat.body.status).toBe('COMPLETED');

    const isChatSpan = (s: ReceivedSpan) =>
      s.service === 'gateway' && s.kind === SpanKind.SERVER && s.name === 'POST /chat';
    const isTransferSpan = (s: ReceivedSpan) =>
      s.service === 'sandbox' && s.kind === SpanKind.SERVER && s.name === 'POST /api/transfer';
    // Workflow spans are exported when the run's last task completes; wait until the whole tree is in.
    const trace = await waitFor(
      () => {
        const root = receiver.spans().find(isChatSpan);
        if (!root) return undefined;
        const spans = receiver.spans().filter((s) => s.traceId === root.traceId);
        const byId = new Map(spans.map((s) => [s.spanId, s]));
        const connected = spans.every((s) => ancestryOf(s, byId).at(-1) === root);
        return connected &&
          spans.some(isTransferSpan) &&
          spans.some((s) => s.name.startsWith('RunWorkflow:requestWorkflow'))
          ? { root, spans, byId }
          : undefined;
      },
      { timeoutMs: 30_000, what: 'the chat trace to reach the sandbox, connected' },
    );

    expect(trace.root.parentSpanId).toBe('');
    expect(new Set(trace.spans.map((s) => s.service))).toEqual(new Set(['gateway', 'worker', 'sandbox']));
    const transfer = trace.spans.find(isTransferSpan)!;
    const path = ancestryOf(transfer, trace.byId)
      .map((s) => `${s.service} ${s.name}`)
      .reverse();
    expect(path).toEqual([
      'gateway POST /chat',
      'gateway UpdateWithStartWorkflow:waitSettled',
      'worker RunWorkflow:requestWorkflow',
      'worker StartActivity:bankTransfer',
      'worker RunActivity:bankTransfer',
      'sandbox POST /api/transfer',
    ]);
    // The request logs name the trace beside the request id and the run.
    const chatLine = requestLines(gateway.output()).find((l) => l.route === '/chat');
    expect(chatLine).toMatchObject({ trace_id: trace.root.traceId, workflow_id: chat.body.workflow_id });
    expect(chatLine?.request_id).toEqual(expect.any(String));
    const transferLine = requestLines(sandbox.output()).find((l) => l.route === '/api/transfer');
    expect(transferLine).toMatchObject({ trace_id: trace.root.traceId, workflow_id: chat.body.workflow_id });

    // Only the chat's own spans are in its trace: another request starts another trace.
    const health = await fetch(`${gatewayUrl}/healthz`);
    expect(health.status).toBe(200);
    await waitFor(() => receiver.spans().some((s) => s.name === 'GET /healthz' && s.service === 'gateway'), {
      what: 'the health check span',
    });
    expect(receiver.spans().find((s) => s.name === 'GET /healthz' && s.service === 'gateway')!.traceId).not.toBe(
      trace.root.traceId,
    );
  });
});
