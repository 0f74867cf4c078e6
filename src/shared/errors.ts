/**
 * The closed set of ApplicationFailure types that fail a step or a run. Business failures are
 * non-retryable; anything else an activity throws is retried by its retry policy. A run refusing
 * a decision or an operator's action is not a failure of the run: those updates fail with a
 * DecisionErrorType or StepActionErrorType (messages.ts), which no value here repeats.
 */
export const FailureType = {
  /** The workflow's input does not match its contract (e.g. a run started by hand with bad fields). */
  InvalidInput: 'InvalidInput',
  /** The plan is malformed (duplicate ids, unknown dependency, cycle, bad tool args). */
  InvalidPlan: 'InvalidPlan',
  /** The run's start is not signed for it by the gateway or an operator (start-signature.ts): it did nothing. */
  UnverifiedStart: 'UnverifiedStart',
  /** Tool arguments the outside system refused as invalid (4xx validation). */
  InvalidToolArgs: 'InvalidToolArgs',
  InsufficientFunds: 'InsufficientFunds',
  UnknownAccount: 'UnknownAccount',
  /** The same idempotency key was reused with a different request body. */
  IdempotencyConflict: 'IdempotencyConflict',
  /** The user has no such request (or it is someone else's: the same answer, so nothing leaks). */
  RequestNotFound: 'RequestNotFound',
  /** A cancel named a request that has finished, or the cancelling request itself. */
  NotCancellable: 'NotCancellable',
  /** Any other 4xx business refusal from an outside system. */
  BusinessRuleViolation: 'BusinessRuleViolation',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];
