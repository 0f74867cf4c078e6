/**
 * The kill test's clients: each runs flows (a chat that needs approval, its approval by a manager,
 * the run followed until it completed) through the script's load balancer over the gateways, and
 * what they saw is recorded here for the report.
 */
import { randomUUID } from 'node:crypto';

export interface LoadSettings {
  gateways: string[];
  /** Dollars per transfer; above the stack's HIL_THRESHOLD so each one asks for approval. */
  amount: number;
  /** Concurrent clients. */
  clients: number;
}

let settings: LoadSettings = { gateways: [], amount: 6, clients: 0 };

export function configureLoad(chosen: LoadSettings): void {
  settings = chosen;
  progress.splice(0, progress.length, ...Array.from({ length: chosen.clients }, () => []));
}

const REQUESTER = 'default_user';
const APPROVER = 'manager@bank.com';

/** `steady`, or the label of the signal sent last (`SIGKILL worker-2`). */
export type Phase = string;
interface Sample {
  phase: Phase;
  route: string;
  ms: number;
  status: number;
  at: number;
}
export interface FlowResult {
  workflowId: string;
  sessionId: string;
  ms: number;
  phase: Phase;
}

let phase: Phase = 'steady';
/** The phase from now on: the label of the signal just sent. */
export function setPhase(next: Phase): void {
  phase = next;
}
export const samples: Sample[] = [];
export const inFlightFailures: { phase: Phase; gateway: string; route: string; error: string }[] = [];
export const otherFailures: string[] = [];
export const down = new Set<string>();
let next = 0;
/** Per client, when it made progress (a chat answered, an approval taken, a run seen completed); epoch ms. */
/** Per client, when its flow advanced (approval asked, decision applied, run completed); epoch ms. */
export const progress: number[][] = [];
/** Status reads answered without a run status (not 503): the body says why; each is a failed request. */
export const statuslessAnswers: {
  phase: Phase;
  sessionId: string;
  gateway: string;
  requestId: string;
  status: number;
  body: string;
}[] = [];

const errorCode = (err: unknown): string | undefined =>
  err instanceof Error && err.cause && typeof err.cause === 'object' && 'code' in err.cause
    ? String(err.cause.code)
    : undefined;

/**
 * One HTTP call through the script's load balancer: refused connections move on; a cut-off call is
 * counted and retried.
 */
async function call(
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; cutOff: boolean; gateway: string; requestId: string }> {
  let cutOff = false;
  for (let attempt = 0; attempt < 2 * settings.gateways.length; attempt++) {
    const live = settings.gateways.filter((g) => !down.has(g));
    const gateway = live[next++ % live.length];
    if (!gateway) throw new Error('no gateway left');
    const started = Date.now();
    // The gateways' JSON request log (LOG_FORMAT=json) carries this id, so an answer printed here can be found there.
    const requestId = randomUUID();
    try {
      const res = await fetch(gateway + route, {
        method,
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
      const json = (await res.json()) as Record<string, unknown>;
      samples.push({
        phase,
        route: route.replace(/\/workflow\/[^/]+/, '/workflow/:id'),
        ms: Date.now() - started,
        status: res.status,
        at: started,
      });
      return { status: res.status, body: json, cutOff, gateway, requestId };
    } catch (err) {
      down.add(gateway);
      if (errorCode(err) !== 'ECONNREFUSED') {
        cutOff = true;
        inFlightFailures.push({ phase, gateway, route, error: errorCode(err) ?? String(err) });
      }
    }
  }
  throw new Error(`${method} ${route}: every gateway failed`);
}

/** Refusals a client retries: the gateway answered 503 (Temporal or the run did not answer in time). */
export const unavailable: { phase: Phase; route: string; code: string }[] = [];
/** Approvals no worker took in time, kept durably (202 accepted); their runs must still complete and pay once. */
export const acceptedDecisions: Phase[] = [];
/** Status reads answered from a run's memo because no worker answered its query in time. */
export const staleReads: Phase[] = [];

async function callRetrying503(
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Awaited<ReturnType<typeof call>>> {
  for (const deadline = Date.now() + 60_000; ;) {
    const res = await call(method, route, body, headers);
    if (res.status !== 503 || Date.now() > deadline) return res;
    unavailable.push({
      phase,
      route: route.replace(/\/workflow\/[^/]+/, '/workflow/:id'),
      code: String((res.body.error as { code?: string } | undefined)?.code),
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function statusOf(sessionId: string, wanted: string[]): Promise<Record<string, unknown>> {
  for (const deadline = Date.now() + 120_000; ;) {
    const status = await callRetrying503('GET', `/workflow/${sessionId}/status`, undefined);
    if (status.body.stale === true) staleReads.push(phase);
    if (status.body.status === undefined && status.status !== 503) {
      const { gateway, requestId } = status;
      statuslessAnswers.push({
        phase,
        sessionId,
        gateway,
        requestId,
        status: status.status,
        body: JSON.stringify(status.body),
      });
    }
    if (wanted.includes(String(status.body.status))) return status.body;
    if (status.body.status === 'FAILED' || Date.now() > deadline)
      throw new Error(
        `run of session ${sessionId} is ${String(status.body.status)}, waited for ${wanted.join(' or ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function oneFlow(client: number): Promise<FlowResult> {
  const moved = () => progress[client]!.push(Date.now());
  const started = performance.now();
  const startPhase = phase;
  const chat = await callRetrying503(
    'POST',
    '/chat',
    { message: `Transfer ${settings.amount} to Kiran`, user_id: REQUESTER, session_id: null },
    { 'Idempotency-Key': randomUUID() },
  );
  if (chat.status !== 200) throw new Error(`chat answered ${chat.status} ${JSON.stringify(chat.body)}`);
  const sessionId = String(chat.body.session_id);
  // RUNNING: the run did not settle within the gateway's wait budget; a client follows it until it asks for approval.
  const waiting = chat.body.status === 'RUNNING' ? await statusOf(sessionId, ['WAITING_APPROVAL']) : chat.body;
  moved();
  const pending =
    (waiting.pending_approvals as { approval_id: string }[] | undefined)?.[0]?.approval_id ??
    (waiting.reply as { approval_id?: string } | undefined)?.approval_id;
  if (!pending)
    throw new Error(
      `no approval asked: ${JSON.stringify(waiting)} (start the cluster with HIL_THRESHOLD below ${settings.amount})`,
    );
  const decision = await callRetrying503('POST', `/workflow/${sessionId}/approve`, {
    approver_id: APPROVER,
    approved: true,
    approval_id: pending,
  });
  // 409 after a retry: the first attempt reached the run before its gateway died.
  const accepted = decision.status === 200 || decision.status === 202 || (decision.status === 409 && decision.cutOff);
  if (!accepted) throw new Error(`approve answered ${decision.status} ${JSON.stringify(decision.body)}`);
  // 202: kept for the run, which no worker took in time; that is no progress yet.
  if (decision.status === 202) acceptedDecisions.push(phase);
  else moved();
  await statusOf(sessionId, ['COMPLETED']);
  moved();
  return { workflowId: String(chat.body.workflow_id), sessionId, ms: performance.now() - started, phase: startPhase };
}
