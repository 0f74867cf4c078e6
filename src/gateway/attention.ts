/**
 * Steps held for an operator: the list across runs (from visibility and each run's memo, like the
 * approvals inbox) and an operator's action on one (the `actOnStep` update). Every check runs
 * before anything is sent; the run judges again and is the final word.
 */
import { WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AttentionRecordSchema, ToolArgsSchemas, type AttentionRecord, type StepAction, type StepView } from '../shared/contracts.js';
import { actOnStepUpdate, ATTENTION_MEMO, REQUEST_WORKFLOW_TYPE, StepActionErrorType } from '../shared/definitions.js';
import type { Identity } from './auth.js';
import { withinBudget } from './budget.js';
import { ApiError, ErrorCode } from './errors.js';
import type { Runs } from './runs.js';
import { LISTING_LIMIT, visibilityLiteral } from './visibility.js';
import { issueLines } from '../shared/zod-issues.js';

export function attentionQuery(taskQueue: string, userId?: string): string {
  if (!/^[\w.:@/+-]{1,200}$/.test(taskQueue)) throw new Error(`task queue ${taskQueue} cannot be used in a visibility query`);
  const owner = userId === undefined ? '' : ` AND UserId=${visibilityLiteral(userId)}`;
  return `WorkflowType='${REQUEST_WORKFLOW_TYPE}' AND TaskQueue='${taskQueue}' AND ExecutionStatus='Running' AND AttentionStepIds IS NOT NULL${owner}`;
}

/** Held steps from the runs' memos, the longest-held first; malformed records are skipped. */
export function heldStepsFromMemos(memos: readonly (Record<string, unknown> | undefined)[]): AttentionRecord[] {
  const records = memos.flatMap((memo) => {
    const value = memo?.[ATTENTION_MEMO];
    return Array.isArray(value) ? value.flatMap((item) => AttentionRecordSchema.safeParse(item).data ?? []) : [];
  });
  return records.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
}

function sortKey(record: AttentionRecord): string {
  return `${record.attention.since}|${record.workflow_id}|${record.step_id}`;
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
  const rest = records.filter((r) => sortKey(r) > after);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    attention: page,
    ...(rest.length > limit && last && { next_cursor: Buffer.from(sortKey(last), 'utf8').toString('base64url') }),
    total: records.length,
  };
}

/** Operators are admins; with auth off, anyone on the loopback interface. */
export function assertOperator(identity: Identity): void {
  if (identity.kind === 'token' && identity.role !== 'admin') throw ApiError.forbidden('Only an operator (role admin) may act on a held step');
}

const REFUSAL_STATUS: Record<string, 404 | 409 | 400> = {
  [StepActionErrorType.UnknownStep]: 404,
  [StepActionErrorType.NotHeld]: 409,
  [StepActionErrorType.InvalidArgs]: 400,
};

export class Attention {
  constructor(
    private readonly client: Client,
    private readonly runs: Runs,
    private readonly taskQueue: string,
  ) {}

  async list(owner: string | undefined): Promise<AttentionRecord[]> {
    const infos = [];
    for await (const info of this.client.workflow.list({ query: attentionQuery(this.taskQueue, owner) })) {
      infos.push(info);
      if (infos.length >= LISTING_LIMIT) break;
    }
    return heldStepsFromMemos(infos.map((info) => info.memo));
  }

  /** The held step, checked as the run will check it; 404 or 409 before anything is sent. */
  async heldStep(workflowId: string, stepId: string): Promise<{ userId: string; step: StepView }> {
    const view = await this.runs.getRun(workflowId);
    const step = view.steps.find((s) => s.id === stepId);
    if (!step) throw ApiError.notFound(`No step ${stepId} in run ${workflowId}`);
    if (step.state !== 'NEEDS_ATTENTION') throw ApiError.conflict(`Step ${stepId} is ${step.state}, not NEEDS_ATTENTION`);
    return { userId: view.user_id, step };
  }

  /** Sends the action and waits, within the budget, until the run acted on it. */
  async act(action: StepAction, workflowId: string, budgetMs: number): Promise<StepView> {
    const { step } = await this.heldStep(workflowId, action.step_id);
    if (action.args !== undefined) {
      const parsed = ToolArgsSchemas[step.tool].safeParse(action.args);
      if (!parsed.success) {
        throw ApiError.badRequest(issueLines(parsed.error.issues, '(root)', 'body.args').join('; '));
      }
    }
    const abort = new AbortController();
    try {
      const outcome = this.client.withAbortSignal(abort.signal, async () => {
        const handle = await this.client.workflow.getHandle(workflowId).startUpdate(actOnStepUpdate, { args: [action], waitForStage: WorkflowUpdateStage.ACCEPTED });
        return handle.result();
      });
      outcome.catch(() => undefined);
      const raced = await withinBudget(outcome, budgetMs);
      if (raced.done) return raced.value.step;
      abort.abort();
    } catch (err) {
      throw refusalOf(err) ?? err;
    }
    const view = await this.runs.getRun(workflowId);
    const now = view.steps.find((s) => s.id === action.step_id);
    if (!now || now.state === 'NEEDS_ATTENTION') {
      throw new ApiError(503, ErrorCode.RunUnresponsive, `The run did not take the action within ${budgetMs} ms (is a worker running?). Check the step before acting again.`);
    }
    return now;
  }
}

function refusalOf(err: unknown): ApiError | undefined {
  const failure = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (!(failure instanceof ApplicationFailure) || failure.type == null) return undefined;
  const status = REFUSAL_STATUS[failure.type];
  if (status === 404) return ApiError.notFound(failure.message);
  if (status === 409) return ApiError.conflict(failure.message);
  if (status === 400) return ApiError.badRequest(failure.message);
  return undefined;
}
