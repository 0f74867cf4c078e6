/** Pure parts of the gateway: error mapping, listen policy, identity, visibility queries, files, budgets. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status as grpcStatus } from '@grpc/grpc-js';
import { ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actingUserId, assertCanRead, TokenTable, type Identity } from '../../gateway/auth.js';
import { withinBudget } from '../../gateway/budget.js';
import { ApiError, classifyError, describeZodError } from '../../gateway/errors.js';
import { isLoopbackHost, listenRefusal } from '../../gateway/listen-policy.js';
import { idempotencyDigest, summaryOf, uuidFromDigest } from '../../gateway/start-run.js';
import { resolveInside } from '../../gateway/static-files.js';
import {
  groupSessions,
  inboxFromMemos,
  pendingApprovalsQuery,
  sessionsQuery,
  visibilityLiteral,
  type RunListing,
} from '../../gateway/visibility.js';
import { DecisionErrorType, PENDING_APPROVALS_MEMO } from '../../src/shared/messages.js';

/** An error as the gRPC client throws it: a message, a status code and the server's details. */
function grpcError(message: string, code: number, details: string): Error {
  return Object.assign(new Error(message), { code, details, metadata: {} });
}

describe('classifyError', () => {
  const updateFailure = (type: string) =>
    new WorkflowUpdateFailedError(
      'update failed',
      ApplicationFailure.create({ type, message: `because ${type}`, nonRetryable: true }),
    );

  it.each([
    [DecisionErrorType.UnknownApproval, 404],
    [DecisionErrorType.AlreadyDecided, 409],
    [DecisionErrorType.Forbidden, 403],
    [DecisionErrorType.Expired, 409],
  ])('maps a refused decision (%s) to %i with the workflow message', (type, status) => {
    const mapped = classifyError(updateFailure(type));
    expect(mapped?.status).toBe(status);
    expect(mapped?.message).toBe(`because ${type}`);
  });

  it('maps Temporal lookups, starts and connection failures', () => {
    expect(classifyError(new WorkflowNotFoundError('gone', 'req-1', undefined))?.status).toBe(404);
    expect(classifyError(new WorkflowExecutionAlreadyStartedError('exists', 'req-1', 'requestWorkflow'))?.status).toBe(
      409,
    );
    const grpc = grpcError('14 UNAVAILABLE: connect ECONNREFUSED', grpcStatus.UNAVAILABLE, 'x');
    expect(classifyError(new ServiceError('Failed to query workflow', { cause: grpc }))?.status).toBe(503);
    expect(classifyError(z.object({ a: z.string() }).safeParse({}).error)?.status).toBe(400);
  });

  it.each([
    ['no worker polls the queue', 'no poller seen for task queue recently, worker may be down'],
    ["the run's workflow task failed", 'Unable to query workflow due to Workflow Task in failed state.'],
  ])('maps a query refused because %s to 503 run_unresponsive', (_why, details) => {
    const cause = grpcError('9 FAILED_PRECONDITION', grpcStatus.FAILED_PRECONDITION, details);
    expect(classifyError(new ServiceError('Failed to query Workflow', { cause }))).toMatchObject({
      status: 503,
      code: 'run_unresponsive',
    });
  });

  it('leaves any other failed precondition to the generic 500', () => {
    const cause = grpcError('9 FAILED_PRECONDITION', grpcStatus.FAILED_PRECONDITION, 'something else');
    expect(classifyError(new ServiceError('x', { cause }))).toBeUndefined();
  });

  it('leaves anything else to the generic 500', () => {
    expect(classifyError(new Error('boom'))).toBeUndefined();
    expect(classifyError(updateFailure('SomethingElse'))).toBeUndefined();
    expect(classifyError(new ApiError(418 as 400, 'teapot', 'short and stout'))?.code).toBe('teapot');
  });

  it('names the field path of every zod issue', () => {
    const error = z.object({ a: z.object({ b: z.number() }), c: z.string() }).safeParse({ a: { b: 'x' } }).error!;
    expect(describeZodError(error, 'body')).toMatch(/^body\.a\.b: .*; body\.c: /);
  });
});

describe('listen policy', () => {
  it.each([
    ['off', '127.0.0.1', undefined, true],
    ['off', '::1', undefined, true],
    ['off', 'localhost', undefined, true],
    ['off', '127.0.0.2', undefined, true],
    ['off', '0.0.0.0', undefined, false],
    ['off', '::', undefined, false],
    ['off', '192.168.1.20', undefined, false],
    ['token', '0.0.0.0', '/etc/tokens.json', true],
    ['token', '127.0.0.1', undefined, false],
  ] as const)('auth %s on %s (tokens %s): allowed=%s', (auth, host, file, allowed) => {
    const refusal = listenRefusal({ GATEWAY_AUTH: auth, GATEWAY_HOST: host, GATEWAY_TOKENS_FILE: file });
    expect(refusal === undefined).toBe(allowed);
    if (!allowed && auth === 'off') expect(refusal).toMatch(/GATEWAY_AUTH=off/);
  });

  it('recognises loopback hosts only', () => {
    expect(['127.0.0.1', '::1', 'LOCALHOST', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', 'example.com', '127.0.0.1.example.com'].some(isLoopbackHost)).toBe(false);
  });
});

describe('identity', () => {
  const anonymous: Identity = { kind: 'anonymous' };
  const alice: Identity = { kind: 'token', user_id: 'alice', role: 'requester' };
  const manager: Identity = { kind: 'token', user_id: 'm', role: 'approver' };

  it('takes ids from the body when auth is off and from the token when on', () => {
    expect(actingUserId(anonymous, undefined)).toBe('default_user');
    expect(actingUserId(anonymous, 'bob')).toBe('bob');
    expect(actingUserId(alice, undefined)).toBe('alice');
    expect(actingUserId(alice, 'alice')).toBe('alice');
    expect(() => actingUserId(alice, 'bob')).toThrow(ApiError);
    expect(actingUserId(alice, 'ALICE')).toBe('alice');
  });

  it("answers another user's run exactly like a missing one (404, the caller's message)", () => {
    expect(() => assertCanRead(alice, 'alice', 'No workflow r')).not.toThrow();
    expect(() => assertCanRead(alice, 'Alice', 'No workflow r')).not.toThrow();
    expect(() => assertCanRead(alice, 'bob', 'No workflow r')).toThrow(
      expect.objectContaining({ status: 404, code: 'not_found', message: 'No workflow r' }),
    );
    expect(() => assertCanRead(manager, 'bob', 'No workflow r')).not.toThrow();
  });

  it('reads and validates a tokens file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tokens-'));
    try {
      const good = path.join(dir, 'good.json');
      writeFileSync(good, JSON.stringify({ 'a-long-enough-token-1234': { user_id: 'alice', role: 'admin' } }));
      expect(TokenTable.fromFile(good).lookup('a-long-enough-token-1234')).toEqual({ user_id: 'alice', role: 'admin' });
      expect(TokenTable.fromFile(good).lookup('a-long-enough-token-1235')).toBeUndefined();
      const bad = path.join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ short: { user_id: 'alice', role: 'boss' } }));
      expect(() => TokenTable.fromFile(bad)).toThrow(/GATEWAY_TOKENS_FILE .*bad\.json/);
      expect(() => TokenTable.fromFile(path.join(dir, 'missing.json'))).toThrow(/GATEWAY_TOKENS_FILE/);
      /** A tokens file of two tokens, for `first` and `second`. */
      const twoTokens = (name: string, first: object, second: object) => {
        const file = path.join(dir, name);
        writeFileSync(file, JSON.stringify({ 'a-long-enough-token-1234': first, 'a-long-enough-token-5678': second }));
        return file;
      };
      const twins = twoTokens(
        'twins.json',
        { user_id: 'manager@bank.com', role: 'approver' },
        { user_id: 'manager@BANK.com', role: 'requester' },
      );
      expect(() => TokenTable.fromFile(twins)).toThrow(/manager@bank\.com.*manager@BANK\.com.*same person/);
      const bob = { user_id: 'bob', role: 'requester' };
      const rotated = twoTokens('rotated.json', bob, bob);
      expect(TokenTable.fromFile(rotated).lookup('a-long-enough-token-5678')?.user_id).toBe('bob');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('visibility', () => {
  it('quotes plain ids and refuses anything that could break out of a query', () => {
    expect(visibilityLiteral('manager@bank.com')).toBe("'manager@bank.com'");
    for (const bad of ["a' OR UserId!='", 'a b', '', 'x\\y', 'x"y'])
      expect(() => visibilityLiteral(bad)).toThrow(ApiError);
    expect(sessionsQuery('requests', 'default_user')).toBe(
      "WorkflowType='requestWorkflow' AND TaskQueue='requests' AND UserId='default_user'",
    );
    expect(pendingApprovalsQuery('requests')).toBe(
      "WorkflowType='requestWorkflow' AND TaskQueue='requests' AND ExecutionStatus='Running'" +
        ' AND PendingApprovalIds IS NOT NULL',
    );
    expect(pendingApprovalsQuery('requests', 'bob')).toMatch(/ AND UserId='bob'$/);
  });

  it('groups runs into sessions: first run creates, newest run gives the status', () => {
    const at = (s: number) => new Date(Date.UTC(2025, 10, 19, 10, 0, s));
    const runs: RunListing[] = [
      {
        workflow_id: 'r1',
        session_id: 's1',
        user_id: 'u',
        run_status: 'COMPLETED',
        execution_status: 'COMPLETED',
        started_at: at(1),
        closed_at: at(5),
      },
      {
        workflow_id: 'r2',
        session_id: 's1',
        user_id: 'u',
        run_status: 'WAITING_APPROVAL',
        execution_status: 'RUNNING',
        started_at: at(10),
        closed_at: undefined,
      },
      {
        workflow_id: 'r3',
        session_id: 's2',
        user_id: 'u',
        run_status: undefined,
        execution_status: 'RUNNING',
        started_at: at(20),
        closed_at: undefined,
      },
      {
        workflow_id: 'r4',
        session_id: undefined,
        user_id: 'u',
        run_status: 'COMPLETED',
        execution_status: 'COMPLETED',
        started_at: at(30),
        closed_at: at(31),
      },
    ];
    expect(groupSessions(runs)).toEqual([
      {
        session_id: 's2',
        user_id: 'u',
        status: 'QUEUED',
        created_at: at(20).toISOString(),
        updated_at: at(20).toISOString(),
      },
      {
        session_id: 's1',
        user_id: 'u',
        status: 'WAITING_APPROVAL',
        created_at: at(1).toISOString(),
        updated_at: at(10).toISOString(),
      },
    ]);
  });

  it('builds the inbox from memos, skipping malformed or decided records', () => {
    const record = {
      approval_id: 'req-2.transfer',
      workflow_id: 'req-2',
      session_id: 's',
      step_id: 'transfer',
      step_name: 'T',
      tool: 'bank_transfer',
      risk_level: 'L2',
      reason: 'r',
      status: 'pending',
      requested_by: 'u',
      requested_at: '2025-11-19T10:00:02Z',
      expires_at: '2025-11-20T10:00:02Z',
    };
    const older = {
      ...record,
      approval_id: 'req-1.transfer',
      workflow_id: 'req-1',
      requested_at: '2025-11-19T10:00:01Z',
    };
    const inbox = inboxFromMemos([
      { [PENDING_APPROVALS_MEMO]: [record, { nonsense: true }] },
      undefined,
      { other: 1 },
      { [PENDING_APPROVALS_MEMO]: [older, { ...record, approval_id: 'req-3.x', status: 'approved' }] },
    ]);
    expect(inbox.map((a) => a.approval_id)).toEqual(['req-1.transfer', 'req-2.transfer']);
  });
});

describe('runs helpers', () => {
  it('derives ids from Idempotency-Keys per user, and summaries from messages', () => {
    expect(idempotencyDigest('u', 'k')).toMatch(/^[0-9a-f]{32}$/);
    expect(idempotencyDigest('u', 'k')).toBe(idempotencyDigest('u', 'k'));
    expect(idempotencyDigest('u', 'k')).not.toBe(idempotencyDigest('v', 'k'));
    expect(uuidFromDigest(idempotencyDigest('u', 'k'))).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(summaryOf('  Transfer\n6000   to Kiran ')).toBe('Transfer 6000 to Kiran');
    const long = summaryOf('x'.repeat(500));
    expect(long).toHaveLength(200);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('files and budgets', () => {
  it('keeps file paths inside their root', () => {
    expect(resolveInside('/srv/public', 'app.js')).toBe(path.resolve('/srv/public/app.js'));
    expect(resolveInside('/srv/public', 'a/b/../c.js')).toBe(path.resolve('/srv/public/a/c.js'));
    for (const bad of ['../secret', '%2e%2e/secret', '..%2f..%2fetc/passwd', 'a\0b', '%E0%A4%A']) {
      const resolved = resolveInside('/srv/public', bad);
      expect(resolved === undefined || resolved.startsWith(path.resolve('/srv/public') + path.sep), bad).toBe(true);
    }
    expect(resolveInside('/srv/public', '%E0%A4%A')).toBeUndefined();
  });

  it('races a promise against a budget without leaving timers behind', async () => {
    expect(await withinBudget(Promise.resolve(7), 1000)).toEqual({ done: true, value: 7 });
    expect(await withinBudget(new Promise(() => undefined), 10)).toEqual({ done: false });
    await expect(withinBudget(Promise.reject(new Error('no')), 1000)).rejects.toThrow('no');
  });
});
