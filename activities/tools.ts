/**
 * Tool activities: one per tool a plan step may name. Each calls the sandbox backend once (with
 * the step's idempotency key on writes), heartbeats before the call and aborts it when the
 * activity is cancelled. Business refusals are non-retryable ApplicationFailures; transport
 * problems and 5xx are plain Errors, retried by the step's retry policy.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { ToolArgsSchemas, type ToolArgs, type ToolCall, type ToolName } from '../src/shared/contracts.js';
import { FailureType } from '../src/shared/errors.js';
import { centsToDecimalString } from '../src/shared/money.js';
import { issueLines } from '../src/shared/zod-issues.js';
import { SandboxClient, type CallOptions } from './sandbox-client.js';

export interface ToolActivityDeps {
  /** Base URL of the sandbox backend, e.g. `http://127.0.0.1:8081`. */
  sandboxUrl: string;
  /** The sandbox's service credential (SANDBOX_TOKEN). */
  sandboxToken: string;
  /** Timeout of each HTTP call to the sandbox; SANDBOX_CALL_TIMEOUT_MS unless given. */
  requestTimeoutMs?: number;
}

export const BankTransferResultSchema = z.object({
  success: z.boolean(),
  message: z.string(),
  transfer_id: z.string(),
});
export type BankTransferResult = z.infer<typeof BankTransferResultSchema>;

const JobSchema = z.object({
  id: z.string(),
  title: z.string(),
  company: z.string(),
  location: z.string(),
  tags: z.array(z.string()),
  description: z.string(),
  score: z.number(),
});
export const JobSearchResultSchema = z.object({ query: z.string(), total: z.number(), jobs: z.array(JobSchema) });
export type JobSearchResult = z.infer<typeof JobSearchResultSchema>;

const CvSchema = z.object({
  cv_id: z.string(),
  job_id: z.string(),
  title: z.string(),
  company: z.string(),
  text: z.string(),
});
export const CvTailorResultSchema = z.object({ cvs: z.array(CvSchema) });
export type CvTailorResult = z.infer<typeof CvTailorResultSchema>;

export const JobSubmitResultSchema = z.object({
  success: z.boolean(),
  message: z.string(),
  applications: z.array(
    z.object({
      application_id: z.string(),
      idempotency_key: z.string(),
      job_id: z.string(),
      cv_id: z.string().nullable(),
      status: z.string(),
      created_at: z.string(),
    }),
  ),
});
export type JobSubmitResult = z.infer<typeof JobSubmitResultSchema>;

export const CalendarCreateResultSchema = z.object({
  success: z.boolean(),
  message: z.string(),
  events: z.array(
    z.object({
      event_id: z.string(),
      title: z.string(),
      start: z.string(),
      end: z.string(),
      duration_minutes: z.number(),
    }),
  ),
});
export type CalendarCreateResult = z.infer<typeof CalendarCreateResultSchema>;

export const GroceryPlanResultSchema = z.object({
  plan_id: z.string(),
  days: z.number(),
  people: z.number(),
  items: z.array(z.object({ name: z.string(), category: z.string(), quantity: z.number(), unit: z.string() })),
});
export type GroceryPlanResult = z.infer<typeof GroceryPlanResultSchema>;

/** A dependency result that carries job listings (a job_search step's result). */
const JobsInputSchema = z.object({ jobs: z.array(z.object({ id: z.string() })) });
/** A dependency result that carries tailored CVs (a cv_tailor step's result). */
const CvsInputSchema = z.object({ cvs: z.array(z.object({ cv_id: z.string(), job_id: z.string() })) });

function invalidArgs(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.InvalidToolArgs, message, nonRetryable: true });
}

/** The tool's args, checked again at the activity's edge (the plan was validated already). */
function argsOf<T extends ToolName>(tool: T, call: ToolCall<ToolArgs<T>>): ToolArgs<T> {
  const parsed = ToolArgsSchemas[tool].safeParse(call.args);
  if (!parsed.success) {
    const [first] = issueLines(parsed.error.issues.slice(0, 1), 'args');
    throw invalidArgs(`${tool}: invalid args: ${first ?? 'invalid'}`);
  }
  return parsed.data as ToolArgs<T>;
}

/** Every value in `inputs` (in step-id order) that matches `schema`. */
function inputsMatching<S extends z.ZodType>(inputs: Record<string, unknown>, schema: S): Array<z.output<S>> {
  return Object.keys(inputs)
    .sort()
    .flatMap((k) => {
      const parsed = schema.safeParse(inputs[k]);
      return parsed.success ? [parsed.data] : [];
    });
}

/** Heartbeats, then returns the options that tie a sandbox call to this activity's cancellation. */
function activityCall(extra: CallOptions = {}): CallOptions {
  const ctx = Context.current();
  // A local activity has no heartbeat (the server does not know it); its worker bounds it instead.
  if (!ctx.info.isLocal) ctx.heartbeat();
  return { ...extra, signal: ctx.cancellationSignal };
}

/** Builds the tool activities over a sandbox at `deps.sandboxUrl`. */
export function createToolActivities(deps: ToolActivityDeps) {
  const sandbox = new SandboxClient({
    baseUrl: deps.sandboxUrl,
    token: deps.sandboxToken,
    timeoutMs: deps.requestTimeoutMs,
  });
  /** A write to the sandbox that happens once per the call's idempotency key, however often it is retried. */
  const writeOnce = <S extends z.ZodType>(path: string, body: unknown, schema: S, call: { idempotency_key: string }) =>
    sandbox.post(path, body, schema, activityCall({ idempotencyKey: call.idempotency_key }));

  return {
    /** Moves `amount_cents` from `from_account` to `to_account`, once per idempotency key. */
    async bankTransfer(call: ToolCall<ToolArgs<'bank_transfer'>>): Promise<BankTransferResult> {
      const args = argsOf('bank_transfer', call);
      const body = {
        fromAccount: args.from_account,
        toAccount: args.to_account,
        amount: centsToDecimalString(args.amount_cents),
      };
      return sandbox.post(
        '/api/transfer',
        body,
        BankTransferResultSchema,
        activityCall({
          idempotencyKey: call.idempotency_key,
          failureTypes: { 404: FailureType.UnknownAccount, 422: FailureType.InsufficientFunds },
        }),
      );
    },

    /** The `count` best job listings for `query` (read-only). */
    async jobSearch(call: ToolCall<ToolArgs<'job_search'>>): Promise<JobSearchResult> {
      const args = argsOf('job_search', call);
      return sandbox.post(
        '/api/jobs/search',
        { query: args.query, count: args.count },
        JobSearchResultSchema,
        activityCall(),
      );
    },

    /** A tailored CV for each of the first `count` jobs found by the job_search step it depends on. */
    async cvTailor(call: ToolCall<ToolArgs<'cv_tailor'>>): Promise<CvTailorResult> {
      const args = argsOf('cv_tailor', call);
      const ids = [...new Set(inputsMatching(call.inputs, JobsInputSchema).flatMap((r) => r.jobs.map((j) => j.id)))];
      if (ids.length === 0) {
        throw invalidArgs('cv_tailor needs the result of a job_search step among its inputs, and none was found');
      }
      return sandbox.post(
        '/api/cv/tailor',
        { job_ids: ids.slice(0, args.count) },
        CvTailorResultSchema,
        activityCall(),
      );
    },

    /** Applies to the first `count` jobs with the CVs tailored by the cv_tailor step it depends on. */
    async jobSubmit(call: ToolCall<ToolArgs<'job_submit'>>): Promise<JobSubmitResult> {
      const args = argsOf('job_submit', call);
      const seen = new Set<string>();
      const cvs = inputsMatching(call.inputs, CvsInputSchema)
        .flatMap((r) => r.cvs)
        .filter((cv) => !seen.has(cv.job_id) && seen.add(cv.job_id))
        .slice(0, args.count);
      if (cvs.length === 0) {
        throw invalidArgs('job_submit needs the result of a cv_tailor step among its inputs, and none was found');
      }
      const body = { job_ids: cvs.map((cv) => cv.job_id), cv_ids: cvs.map((cv) => cv.cv_id) };
      return writeOnce('/api/applications', body, JobSubmitResultSchema, call);
    },

    /** Books `count` conflict-free events of `duration_minutes` in the week starting `week_start`. */
    async calendarCreate(call: ToolCall<ToolArgs<'calendar_create'>>): Promise<CalendarCreateResult> {
      const args = argsOf('calendar_create', call);
      return writeOnce('/api/calendar/events', args, CalendarCreateResultSchema, call);
    },

    /** A grocery list for `people` over `days`. */
    async groceryPlan(call: ToolCall<ToolArgs<'grocery_plan'>>): Promise<GroceryPlanResult> {
      const args = argsOf('grocery_plan', call);
      return writeOnce('/api/groceries/plan', args, GroceryPlanResultSchema, call);
    },
  };
}
