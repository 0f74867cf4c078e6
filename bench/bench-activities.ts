/** Activities for the benchmark's own workers: the bare baseline's, and the DAG probe's. */
import { setTimeout as sleep } from 'node:timers/promises';
import { centsToDecimalString } from '../src/shared/money.js';
import type { PlanRequestResult } from '../activities/plan.js';
import type { RunSettings, ToolCall, TrustedDecisionKey } from '../src/shared/contracts.js';
import { planFromMessage, probeSleepMs } from './dag-plans.js';

export function createBaselineActivities(sandboxUrl: string, sandboxToken: string) {
  // The same credential our activities send, so the baseline pays for the same checks.
  const authorization = `Bearer ${sandboxToken}`;
  return {
    async lookupAccount(userId: string): Promise<string> {
      const response = await fetch(`${sandboxUrl}/api/accounts?owner=${encodeURIComponent(userId)}`, {
        headers: { authorization },
      });
      const body = (await response.json()) as { accounts: { id: string }[] };
      return body.accounts[0]!.id;
    },
    async postTransfer(input: {
      from_account: string;
      to_account: string;
      amount_cents: number;
      key: string;
    }): Promise<unknown> {
      const response = await fetch(`${sandboxUrl}/api/transfer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': input.key, authorization },
        body: JSON.stringify({
          fromAccount: input.from_account,
          toAccount: input.to_account,
          amount: centsToDecimalString(input.amount_cents),
        }),
      });
      return response.json();
    },
    async nap(ms: number): Promise<number> {
      await sleep(ms);
      return ms;
    },
  };
}
export type BaselineActivities = ReturnType<typeof createBaselineActivities>;

/**
 * The DAG probe: the message names the plan's shape (see dag-plans.ts); every tool sleeps for the
 * milliseconds its step id names (`wide_200ms_7` sleeps 200 ms), so wall time can be compared with
 * the critical path.
 */
export function createDagProbeActivities(settings: RunSettings) {
  const sleepFor = async (call: Pick<ToolCall, 'idempotency_key'>): Promise<{ slept_ms: number }> => {
    const ms = probeSleepMs(call.idempotency_key);
    await sleep(ms);
    return { slept_ms: ms };
  };
  return {
    trustedSigningKeys(): Promise<TrustedDecisionKey[]> {
      return Promise.resolve(settings.decision_keys ?? []);
    },
    async planRequest(input: { message: string }): Promise<PlanRequestResult> {
      return { outcome: { kind: 'plan', plan: planFromMessage(input.message) }, settings };
    },
    bankTransfer: sleepFor,
    jobSearch: sleepFor,
    cvTailor: sleepFor,
    jobSubmit: sleepFor,
    calendarCreate: sleepFor,
    groceryPlan: sleepFor,
  };
}
