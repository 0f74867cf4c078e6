/**
 * Steps held for an operator: the list across runs (from visibility and each run's memo, like the
 * approvals inbox) and an operator's action on one (the `stepAction` update). Every check runs
 * before anything is sent; the run judges again and is the final word.
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { signActionWith } from '../src/runtime/decision-keys.js';
import {
  ToolArgsSchemas,
  type AttentionRecord,
  type OperatorRole,
  type StepAction,
  type StepView,
} from '../src/shared/contracts.js';
import type { DecisionSigner } from '../src/shared/decision-signature.js';
import {
  stepActionUpdate,
  REQUEST_WORKFLOW_TYPE,
  StepActionErrorType,
  stepActionSignal,
} from '../src/shared/messages.js';
import type { Identity } from './auth.js';
import { ApiError, ErrorCode } from './errors.js';
import { deliverDurably } from './durable-delivery.js';
import type { Runs } from './runs.js';
import { heldStepSortKey, heldStepsFromMemos, LISTING_LIMIT, visibilityLiteral } from './visibility.js';
import { issueLines } from '../src/shared/zod-issues.js';

export function attentionQuery(taskQueue: string, userId?: string): string {
  if (!/^[\w.:@/+-]{1,200}$/.test(taskQueue))
    throw new Error(`task queue ${taskQueue} cannot be used in a visibility query`);
  const owner = userId === undefined ? '' : ` AND UserId=${visibilityLiteral(userId)}`;
  return (
    `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND TaskQueue='${taskQueue}' AND ExecutionStatus='Running'` +
    ` AND AttentionStepIds IS NOT NULL${owner}`
  );
}

/**
 * One page after `cursor`. The cursor is the last record's sort key, so a step released between
 * two pages neither repeats nor hides another one.
 */
export function pageOf(records: readonly AttentionRecord[], limit: number, cursor: string | undefined) {
  let after = '';
  if (cursor !== undefined) {
    after = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!/^[^|]+\|[^|]+\|[^|]+$/.test(after)) throw ApiError.badRequest('query.cursor: not a cursor from this listing');
  }
  const rest = records.filter((r) => heldStepSortKey(r) > after);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    attention: page,
    ...(rest.length > limit &&
      last && { next_cursor: Buffer.from(heldStepSortKey(last), 'utf8').toString('base64url') }),
    total: records.length,
  };
}

/**
 * Operators are admins; with auth off, anyone on the loopback interface. Returns the role the
 * signature vouches for.
 */
export function assertOperator(identity: Identity): OperatorRole {
  if (identity.kind !== 'token') return 'loopback';
  if (identity.role !== 'admin') throw ApiError.forbidden('Only an operator (role admin) may act on a held step');
  return 'admin';
}

/**
 * What a signed action names of the hold it was judged against: the hold's time and the run (its
 * first execution run id), so the action moves nothing on a later hold or in another run.
 */
export function holdBindingOf(held: AttentionRecord): Pick<StepAction, 'held_since' | 'run_id'> {
  return {
    held_since: held.attention.since,
    ...(held.attention.run_id !== undefined && { run_id: held.attention.run_id }),
  };
}

const REFUSAL_STATUS: Record<string, 404 | 409 | 400 | 500> = {
  [StepActionErrorType.UnknownStep]: 404,
  [StepActionErrorType.NotHeld]: 409,
  [StepActionErrorType.InvalidArgs]: 400,
  // A new run under the same workflow id held the step after the gateway read it: look again.
  [StepActionErrorType.WrongRun]: 409,
  // The run does not trust this gateway's signing key: a deployment fault, not the caller's.
  [StepActionErrorType.Unauthenticated]: 500,
};

/** What an action did: taken (with the step once the run acted), or kept for the run to judge when a worker runs. */
export type ActionOutcome = { applied: true; step: StepView } | { applied: false };

export class Attention {
  constructor(
    private readonly client: Client,
    private readonly runs: Runs,
    private readonly taskQueue: string,
    /** Signs each action: the run takes only actions signed by a key it trusts. */
    private readonly signer: DecisionSigner,
  ) {}

  async list(owner: string | undefined): Promise<AttentionRecord[]> {
    const infos = [];
    for await (const info of this.client.workflow.list({ query: attentionQuery(this.taskQueue, owner) })) {
      infos.push(info);
      if (infos.length >= LISTING_LIMIT) break;
    }
    return heldStepsFromMemos(infos.map((info) => info.memo));
  }

  /**
   * The held step as the run last published it, read with describe (strongly consistent, no
   * worker needed): 404 or 409 before anything is sent.
   */
  async heldStep(workflowId: string, stepId: string): Promise<AttentionRecord> {
    const description = await this.runs.describe(workflowId);
    if (!description?.isRequest) throw ApiError.notFound(`No workflow ${workflowId}`);
    if (!description.open) throw ApiError.alreadyFinished(`Run ${workflowId} has finished; step ${stepId} is not held`);
    const record = description.heldSteps.find((r) => r.step_id === stepId);
    if (record) return record;
    // Not held: the run's own view says why (no such step, or its state), when a worker answers.
    const view = await this.runs.getRun(workflowId).catch(() => undefined);
    const step = view?.steps.find((s) => s.id === stepId);
    if (view && !step) throw ApiError.notFound(`No step ${stepId} in run ${workflowId}`);
    throw ApiError.conflict(`Step ${stepId} is ${step?.state ?? 'not held'}, not NEEDS_ATTENTION`);
  }

  /**
   * Checks, signs and sends the action, and waits within the budget until the run acted on it.
   * When no worker accepts it in time, the action is kept as a signal for the run to judge.
   */
  async act(action: StepAction, workflowId: string, budgetMs: number): Promise<ActionOutcome> {
    const held = await this.heldStep(workflowId, action.step_id);
    if (action.args !== undefined) {
      const parsed = ToolArgsSchemas[held.tool].safeParse(action.args);
      if (!parsed.success) {
        throw ApiError.badRequest(issueLines(parsed.error.issues, '(root)', 'body.args').join('; '));
      }
    }
    if (Date.now() >= Date.parse(held.attention.deadline)) {
      throw ApiError.conflict(`Step ${action.step_id} was held until ${held.attention.deadline}; it has failed`);
    }
    const signed = signActionWith(this.signer, workflowId, { ...action, ...holdBindingOf(held) });
    let delivery;
    try {
      delivery = await deliverDurably({
        client: this.client,
        workflowId,
        update: stepActionUpdate,
        signal: stepActionSignal,
        args: [signed],
        budgetMs,
      });
    } catch (err) {
      throw refusalOf(err) ?? err;
    }
    if (!delivery.applied) return { applied: false };
    if (delivery.result) return { applied: true, step: delivery.result.step };
    const view = await this.runs.getRun(workflowId);
    const now = view.steps.find((s) => s.id === action.step_id);
    if (!now) throw ApiError.notFound(`No step ${action.step_id} in run ${workflowId}`);
    return { applied: true, step: now };
  }
}

function refusalOf(err: unknown): ApiError | undefined {
  const failure = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (!(failure instanceof ApplicationFailure) || failure.type == null) return undefined;
  const status = REFUSAL_STATUS[failure.type];
  if (status === 404) return ApiError.notFound(failure.message);
  if (status === 409) return ApiError.conflict(failure.message);
  if (status === 400) return ApiError.badRequest(failure.message);
  if (status === 500) return new ApiError(500, ErrorCode.Internal, failure.message);
  return undefined;
}
