/** The attention listing's pure parts (query, memo records, paging) and its settings, without a server. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, runSettingsOf } from '../../src/runtime/config.js';
import { attentionQuery, pageOf } from '../../gateway/attention.js';
import { heldStepsFromMemos } from '../../gateway/visibility.js';
import { ApiError } from '../../gateway/errors.js';
import type { AttentionRecord } from '../../src/shared/contracts.js';

function held(workflowId: string, since: string): AttentionRecord {
  return {
    workflow_id: workflowId,
    session_id: 's',
    user_id: 'alice',
    step_id: 'transfer',
    step_name: 'Transfer',
    tool: 'bank_transfer',
    risk_level: 'L2',
    args: {},
    attention: { since, deadline: '2026-12-02T00:00:00.000Z', last_error: 'down', attempts: 3 },
  };
}

describe('attention listing', () => {
  it('queries running request runs that hold a step, optionally of one user, with the id quoted', () => {
    expect(attentionQuery('requests')).toBe(
      "WorkflowType='requestWorkflow' AND TaskQueue='requests' AND ExecutionStatus='Running'" +
        ' AND AttentionStepIds IS NOT NULL',
    );
    expect(attentionQuery('requests', 'alice')).toMatch(/ AND UserId='alice'$/);
    expect(() => attentionQuery('requests', "x' OR 1=1")).toThrow(ApiError);
  });

  it('reads records from memos, longest-held first, skipping malformed ones', () => {
    const memos = [
      { attentionSteps: [held('b', '2026-12-01T10:00:02Z'), { nonsense: true }] },
      undefined,
      { attentionSteps: [held('a', '2026-12-01T10:00:01Z')] },
      { attentionSteps: 'x' },
    ];
    expect(heldStepsFromMemos(memos).map((r) => r.workflow_id)).toEqual(['a', 'b']);
  });

  it('pages by cursor without repeats, and refuses a cursor it did not make', () => {
    const records = ['a', 'b', 'c'].map((id, i) => held(id, `2026-12-01T10:00:0${i}Z`));
    const first = pageOf(records, 2, undefined);
    expect(first.attention.map((r) => r.workflow_id)).toEqual(['a', 'b']);
    expect(first.total).toBe(3);
    const second = pageOf(records, 2, first.next_cursor);
    expect(second.attention.map((r) => r.workflow_id)).toEqual(['c']);
    expect(second.next_cursor).toBeUndefined();
    expect(() => pageOf(records, 2, 'bm90IGEgY3Vyc29y')).toThrow(/query\.cursor/);
  });
});

describe('attention settings', () => {
  it('are off with a 10 minute retry budget and a 24 hour deadline by default, and reach the run settings', () => {
    expect(runSettingsOf(parseConfig({}))).toMatchObject({
      attention_on_exhausted: false,
      step_retry_budget_ms: 600_000,
      attention_deadline_ms: 86_400_000,
    });
    expect(
      runSettingsOf(parseConfig({ ATTENTION_ON_EXHAUSTED: 'true', STEP_RETRY_BUDGET: '2s', ATTENTION_DEADLINE: '5s' })),
    ).toMatchObject({
      attention_on_exhausted: true,
      step_retry_budget_ms: 2000,
      attention_deadline_ms: 5000,
    });
  });

  it.each([
    ['STEP_RETRY_BUDGET', '0s'],
    ['ATTENTION_DEADLINE', 'soon'],
    ['ATTENTION_ON_EXHAUSTED', 'maybe'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });
});
