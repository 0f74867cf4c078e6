/**
 * A stack under a given policy document with token auth and people in groups, and the calls the
 * policy tests make as one of them. Each test file writes its own policy and tokens to a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '../../dev/ports.js';
import type { TimelineEvent } from '../../src/shared/contracts.js';
import { call, type JsonResponse, type Loose } from './http.js';
import { startStack, type Stack, type StackOptions } from './stack.js';

export const PEOPLE = {
  owner: { user_id: 'default_user', role: 'requester', groups: ['staff'] },
  alice: { user_id: 'alice', role: 'approver', groups: ['approvers'] },
  bob: { user_id: 'bob', role: 'approver', groups: ['approvers'] },
  dana: { user_id: 'dana', role: 'approver', groups: ['managers'] },
  eve: { user_id: 'eve', role: 'approver', groups: ['auditors'] },
  frank: { user_id: 'frank', role: 'approver' },
  auditor: { user_id: 'auditor', role: 'auditor' },
} as const;
export type Person = keyof typeof PEOPLE;

/**
 * A rule named `name`: transfers of `fromCents` or more need `count` approvers from the group
 * approvers, followed up as `followUps` says (remind_after, escalate_after, escalate_to, expire_after).
 */
export function approversRule(name: string, fromCents: number, count = 1, followUps: Record<string, string> = {}) {
  return {
    name,
    match: { tools: ['bank_transfer'], amount_at_least_cents: fromCents },
    outcome: { stages: [{ group: 'approvers', count }], ...followUps },
  };
}

/** Transfers of $10,000.00 or more need two approvers. */
export const TWO_APPROVERS_FROM_10K = approversRule('two-approvers', 1_000_000, 2);

/** Transfers of $1,000.00 or more need one approver. */
export const ONE_APPROVER_FROM_1K = approversRule('one-approver', 100_000);

/**
 * The rules most test policies end with, after their own thresholds: a transfer below them and
 * any other tool go ahead without approval, so only the amounts a test is about wait.
 */

export const ALLOW_THE_REST = [
  { name: 'petty', match: { tools: ['bank_transfer'] }, outcome: { allow: true } },
  { name: 'everything-else', match: { risk_levels: ['L0', 'L1', 'L2', 'L3'] }, outcome: { allow: true } },
];

/**
 * Out-of-office entries for the stand-in tests: bob is away (frank stands in) until long after any
 * test runs; alice's absence ended long ago, so eve stands in for nobody unless handed a part.
 */
export const BOB_AWAY_ALICE_BACK = [
  { from: 'bob', to: 'frank', until: '2099-01-01T00:00:00Z' },
  { from: 'alice', to: 'eve', until: '2020-01-01T00:00:00Z' },
];

const tokenOf = (who: Person) => `policy-stack-token-${who}-00000000`;
export const as = (who: Person) => ({ authorization: `Bearer ${tokenOf(who)}` });

export interface PolicyStack {
  stack: Stack;
  chat(who: Person, message: string): Promise<{ workflowId: string; view: Loose }>;
  /** Chats a request that must wait for approval; fails naming the run's status when it does not. */
  chatForApproval(who: Person, message: string): Promise<{ workflowId: string; approvalId: string }>;
  runView(workflowId: string): Promise<Loose>;
  decide(who: Person, approvalId: string, decision: 'approve' | 'reject'): Promise<JsonResponse>;
  timeline(workflowId: string): Promise<TimelineEvent[]>;
  /** Waits until the run's timeline has an event named `name`; returns the whole timeline. */
  waitForEvent(workflowId: string, name: string, timeoutMs?: number): Promise<TimelineEvent[]>;
  stop(): Promise<void>;
}

export async function startPolicyStack(
  policy: object,
  env: Record<string, string> = {},
  options: Pick<StackOptions, 'audit'> = {},
): Promise<PolicyStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'policy-stack-'));
  const tokens = path.join(dir, 'tokens.json');
  const policyFile = path.join(dir, 'policy.json');
  writeFileSync(
    tokens,
    JSON.stringify(Object.fromEntries(Object.entries(PEOPLE).map(([who, entry]) => [tokenOf(who as Person), entry]))),
  );
  writeFileSync(policyFile, JSON.stringify(policy));
  const stack = await startStack({
    env: { GATEWAY_AUTH: 'token', GATEWAY_TOKENS_FILE: tokens, POLICY_FILE: policyFile, ...env },
    ...options,
  });
  const base = stack.baseUrl;
  const runView = async (workflowId: string) =>
    (await call(base, 'GET', `/api/workflows/${workflowId}`, undefined, as('alice'))).body;
  const timeline = async (workflowId: string): Promise<TimelineEvent[]> =>
    (await call(base, 'GET', `/api/workflows/${workflowId}/timeline`, undefined, as('alice'))).body.events;
  const chat = async (who: Person, message: string) => {
    const res = await call(base, 'POST', '/chat', { message }, as(who));
    if (res.status !== 200) throw new Error(`chat answered ${res.status}: ${JSON.stringify(res.body)}`);
    const workflowId: string = res.body.workflow_id;
    return { workflowId, view: await runView(workflowId) };
  };
  return {
    stack,
    runView,
    timeline,
    chat,
    async chatForApproval(who, message) {
      const { workflowId, view } = await chat(who, message);
      const approvalId: unknown = view.approvals?.[0]?.approval_id;
      if (typeof approvalId !== 'string')
        throw new Error(`"${message}" asked for no approval (run ${workflowId} is ${String(view.status)})`);
      return { workflowId, approvalId };
    },
    decide: (who, approvalId, decision) =>
      call(base, 'POST', `/api/approvals/${approvalId}/decision`, { decision }, as(who)),
    waitForEvent: (workflowId, name, timeoutMs = 20_000) =>
      waitFor(
        async () => {
          const events = await timeline(workflowId);
          return events.some((e) => e.event === name) ? events : undefined;
        },
        { timeoutMs, what: `${name} in the timeline of ${workflowId}` },
      ),
    async stop() {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
