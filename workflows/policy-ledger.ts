/**
 * The policy gate's reads from the ledger: whether the recipient was paid before, and the user's
 * rolling window. A transfer the policy lets run without approval is reserved in the window before
 * it runs, and only if the window still holds what the verdict was judged with; otherwise the
 * verdict is judged again with the new figure. So concurrent runs of one user are serialised by the
 * ledger, and none can pass a tier that the others' transfers already reached.
 */
import { CancellationScope, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { PlanStep } from '../src/shared/workflow-contracts.js';
import {
  evaluatePolicy,
  isTransfer,
  usesRecipientHistory,
  type GateContext,
  type PolicyVerdict,
} from '../src/shared/policy/evaluate.js';
import type { PolicyDocument } from '../src/shared/policy/schema.js';
import { windowMsOf } from '../src/shared/policy/window.js';
import { POLICY_LEDGER_TIMEOUTS } from '../src/shared/timeouts.js';
import { stepIdempotencyKeyOf } from './step-idempotency-key.js';
import type { RunState } from './run-state.js';

const ledger = proxyActivities<Activities>({
  startToCloseTimeout: POLICY_LEDGER_TIMEOUTS.startToCloseMs,
  heartbeatTimeout: POLICY_LEDGER_TIMEOUTS.heartbeatMs,
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
  summary: 'Policy: read the ledger',
});
const reservations = proxyActivities<Activities>({
  startToCloseTimeout: POLICY_LEDGER_TIMEOUTS.startToCloseMs,
  heartbeatTimeout: POLICY_LEDGER_TIMEOUTS.heartbeatMs,
  retry: { initialInterval: '200ms', maximumInterval: '5s' },
  summary: 'Policy: rolling window reservation',
});

/** Whether judging this step needs the ledger: a transfer under a rolling window or a first-payment rule. */
export function gateReadsLedger(policy: PolicyDocument, step: Pick<PlanStep, 'tool'>): boolean {
  return isTransfer(step) && (policy.rolling_window !== undefined || usesRecipientHistory(policy));
}

interface TransferArgs {
  from_account: string;
  to_account: string;
  amount_cents: number;
}

function transferArgsOf(step: PlanStep): TransferArgs {
  const { from_account, to_account, amount_cents } = step.args;
  // The plan was validated against the tool's schema before any step was judged.
  if (typeof from_account !== 'string' || typeof to_account !== 'string' || typeof amount_cents !== 'number') {
    throw new TypeError(`step ${step.id}: bank_transfer args were not validated`);
  }
  return { from_account, to_account, amount_cents };
}

/**
 * Judges a transfer with what the ledger knows. Each reservation made is appended to `reserved`;
 * the caller hands them to `settleReservations` once the step has finished.
 */
export async function judgeWithLedger(
  run: RunState,
  step: PlanStep,
  policy: PolicyDocument,
  base: GateContext,
  reserved: string[],
): Promise<PolicyVerdict> {
  const args = transferArgsOf(step);
  const context: GateContext = { ...base };
  if (usesRecipientHistory(policy)) {
    context.recipientNeverPaid = !(await ledger.recipientPaidBefore({
      from_account: args.from_account,
      to_account: args.to_account,
    }));
  }
  const windowMs = policy.rolling_window && windowMsOf(policy.rolling_window.duration);
  run.noteLedgerFacts(step.id, { recipientNeverPaid: context.recipientNeverPaid });
  if (windowMs === undefined) return evaluatePolicy(policy, step, context);

  const usage = { user_id: run.input.user_id, window_ms: windowMs, run_id: run.workflowId };
  let moved = (await ledger.windowUsage(usage)).moved_cents;
  for (;;) {
    const verdict = evaluatePolicy(policy, step, { ...context, movedInWindowCents: moved });
    const window = policy.rolling_window?.duration;
    run.noteLedgerFacts(step.id, { recipientNeverPaid: context.recipientNeverPaid, movedInWindowCents: moved, window });
    if (verdict.kind !== 'allow') return verdict;
    const transferKey = stepIdempotencyKeyOf(run.workflowId, run.step(step.id));
    const reservationKey = `window:${transferKey}`;
    const answer = await reservations.reserveInWindow({
      ...usage,
      reservation_key: reservationKey,
      transfer_key: transferKey,
      amount_cents: args.amount_cents,
      expected_moved_cents: moved,
    });
    if (answer.reserved) {
      reserved.push(reservationKey);
      return verdict;
    }
    // Another run of this user reserved or released in between: judge again with what it holds now.
    moved = answer.moved_cents;
  }
}

/**
 * Gives back every reservation whose transfer never reached the ledger (refused, failed before
 * moving money, cancelled, or replaced by an edit); the ledger keeps those whose money moved.
 */
export async function settleReservations(reserved: readonly string[]): Promise<void> {
  if (reserved.length === 0) return;
  await CancellationScope.nonCancellable(() =>
    Promise.all(reserved.map((reservation_key) => reservations.releaseReservation({ reservation_key }))),
  );
}
