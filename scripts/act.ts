/**
 * The operators' break-glass action on a held step, without the gateway: `./temporal-dev.sh act
 * <workflow_id> <step_id> retry|retry_with_edits|skip|fail --as <person> [--reason …] [--args '<json>']`.
 * Reads the hold from the run's memo (no worker needed), shows the step, its tool and args and the
 * run, signs with the operator key (OPERATOR_SIGNING_KEY_FILE) for that hold and that run, sends
 * the stepAction signal, which Temporal keeps until a worker runs, and reports what the run did
 * with it. The run records it `via: operator`.
 */
import { signActionWith } from '../src/runtime/decision-keys.js';
import { holdBindingOf } from '../gateway/attention.js';
import { heldStepsFromMemos } from '../gateway/visibility.js';
import { canonicalJson } from '../src/shared/canonical-json.js';
import {
  IdentitySchema,
  STEP_ACTIONS,
  type AttentionRecord,
  type StepActionKind,
  type TimelineEvent,
} from '../src/shared/contracts.js';
import { stepActionSignal } from '../src/shared/messages.js';
import { actorOf, splitCommandLine } from './operator-args.js';
import {
  awaitOutcome,
  reportOutcome,
  runOperatorCommand,
  timelineLength,
  type OperatorSession,
} from './operator-session.js';

const USAGE =
  'usage: ./temporal-dev.sh act <workflow_id> <step_id> retry|retry_with_edits|skip|fail --as <person> ' +
  "[--reason <text>] [--args '<json>']";
const TAKEN: Record<StepActionKind, TimelineEvent['event']> = {
  retry: 'step_ready',
  retry_with_edits: 'step_ready',
  skip: 'step_skipped',
  fail: 'step_failed',
};

export interface ActArgs {
  workflowId: string;
  stepId: string;
  action: StepActionKind;
  person: string;
  reason?: string;
  args?: Record<string, unknown>;
}

/** The command line, or a message saying what is wrong with it. */
export function parseActArgs(argv: readonly string[]): ActArgs | string {
  const line = splitCommandLine(argv, ['--as', '--reason', '--args']);
  if (typeof line === 'string') return line;
  const [workflowId, stepId, action, ...rest] = line.positional;
  if (workflowId === undefined || stepId === undefined || action === undefined || rest.length > 0)
    return 'expected a workflow id, a step id and an action';
  if (!IdentitySchema.safeParse(workflowId).success) return `"${workflowId}" is not a workflow id`;
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(stepId)) return `"${stepId}" is not a step id (lowercase snake_case)`;
  if (!(STEP_ACTIONS as readonly string[]).includes(action))
    return `action must be one of ${STEP_ACTIONS.join(', ')}, not "${action}"`;
  const actor = actorOf(line.options, 'the action');
  if (typeof actor === 'string') return actor;
  let args: Record<string, unknown> | undefined;
  const argsJson = line.options['--args'];
  if (argsJson !== undefined) {
    try {
      args = JSON.parse(argsJson) as Record<string, unknown>;
    } catch (err) {
      return `--args: not JSON (${err instanceof Error ? err.message : String(err)})`;
    }
    if (args === null || typeof args !== 'object' || Array.isArray(args)) return '--args: expected a JSON object';
  }
  if ((action === 'retry_with_edits') !== (args !== undefined))
    return '--args is required with retry_with_edits and allowed with no other action';
  return { workflowId, stepId, action: action as StepActionKind, ...actor, ...(args !== undefined && { args }) };
}

/**
 * What the operator is about to act on, in words: the step, its tool and args, and the hold and
 * the run the signature binds.
 */
export function describeHeldStep(held: AttentionRecord): string {
  return [
    `${held.workflow_id} step ${held.step_id}: ${held.step_name} (NEEDS_ATTENTION, requested by ${held.user_id})`,
    `  tool ${held.tool} with ${canonicalJson(held.args)}`,
    `  held since ${held.attention.since} until ${held.attention.deadline}: ${held.attention.last_error}`,
    `  run ${held.attention.run_id ?? '(unknown)'} of ${held.workflow_id}`,
  ].join('\n');
}

/** Signs and sends the action for the step as it is held now; 1 when the step is not held. */
async function sendAction(args: ActArgs, { client, signer }: OperatorSession): Promise<number> {
  const handle = client.workflow.getHandle(args.workflowId);
  const description = await handle.describe();
  const held = heldStepsFromMemos([description.memo]).find((r) => r.step_id === args.stepId);
  if (description.status.name !== 'RUNNING' || !held) {
    console.error(
      `act: step ${args.stepId} of ${args.workflowId} is not held (run ${description.status.name}); nothing sent`,
    );
    return 1;
  }
  console.log(`Acting (${args.action} as ${args.person}):\n${describeHeldStep(held)}`);
  if (args.args !== undefined) console.log(`  retried with ${canonicalJson(args.args)}`);
  const seenBefore = await timelineLength(handle);
  const action = signActionWith(signer, args.workflowId, {
    step_id: args.stepId,
    action: args.action,
    decided_by: args.person,
    role: 'operator',
    ...holdBindingOf(held),
    ...(args.reason !== undefined && { reason: args.reason }),
    ...(args.args !== undefined && { args: args.args }),
  });
  await handle.signal(stepActionSignal, action);
  const isOutcome = (e: TimelineEvent) =>
    e.step_id === args.stepId &&
    (e.event === 'step_action_ignored' ||
      (e.event === TAKEN[args.action] && e.metadata['nonce'] === action.proof?.nonce));
  const outcome = seenBefore === undefined ? undefined : await awaitOutcome(handle, seenBefore, isOutcome);
  return reportOutcome('act', signer, outcome, 'step_action_ignored');
}

runOperatorCommand({ name: 'act', usage: USAGE, moduleUrl: import.meta.url, parse: parseActArgs, send: sendAction });
