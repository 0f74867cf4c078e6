/** The ApplicationFailure types are three closed sets the gateway tells apart by their type alone. */
import { describe, expect, it } from 'vitest';
import { DecisionErrorType, StepActionErrorType } from '../../src/shared/messages.js';
import { FailureType } from '../../src/shared/errors.js';

describe('failure types', () => {
  it('no type names two things: a step failure, a refused decision and a refused operator action never share one', () => {
    const all = [
      ...Object.values(FailureType),
      ...Object.values(DecisionErrorType),
      ...Object.values(StepActionErrorType),
    ];
    expect(new Set(all).size).toBe(all.length);
  });
});
