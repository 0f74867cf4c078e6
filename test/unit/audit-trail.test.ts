/** The audit chain, its offline check, the store's exactly-once append and the auditor's narrow scope. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { chainedRecord, GENESIS_HASH, type AuditFact } from '../../src/audit/audit-record.js';
import { SqliteAuditStore } from '../../src/audit/audit-store.js';
import { verifyTrail } from '../../src/audit/verify-trail.js';
import { auditorScope } from '../../gateway/auditor-scope.js';
import type { GatewayEnv } from '../../gateway/context.js';
import { onError } from '../../gateway/errors.js';
import type { Identity } from '../../gateway/auth.js';

const fact = (n: number, extra: Partial<AuditFact> = {}): AuditFact => ({
  key: `wf-1:${n}`,
  workflow_id: 'wf-1',
  kind: 'step_event',
  at: `2026-12-01T00:00:0${n}.000Z`,
  summary: `fact ${n}`,
  data: { n },
  ...extra,
});

function chainOf(count: number): string[] {
  const lines: string[] = [];
  let previous: ReturnType<typeof chainedRecord> | undefined;
  for (let n = 1; n <= count; n++) {
    previous = chainedRecord(fact(n), previous, '2026-12-01T00:00:00.000Z');
    lines.push(JSON.stringify(previous));
  }
  return lines;
}

describe('verifyTrail', () => {
  const lines = chainOf(5);
  const swap = (i: number) => {
    const copy = [...lines];
    [copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!];
    return copy;
  };
  const cases: { name: string; lines: string[]; line?: number; seq?: number; problem?: RegExp }[] = [
    { name: 'an intact chain', lines },
    {
      name: 'a changed byte',
      lines: lines.map((l, i) => (i === 2 ? l.replace('fact 3', 'fact 8') : l)),
      line: 3,
      seq: 3,
      problem: /altered/,
    },
    { name: 'a removed record', lines: lines.filter((_, i) => i !== 1), line: 2, seq: 3, problem: /missing/ },
    { name: 'two records swapped', lines: swap(2), line: 3, seq: 4, problem: /out of order/ },
    { name: 'a removed first record', lines: lines.slice(1), line: 1, seq: 2, problem: /missing/ },
    { name: 'a line that is not JSON', lines: [...lines.slice(0, 4), '{oops'], line: 5, problem: /not JSON/ },
    {
      name: 'an added member',
      lines: lines.map((l, i) => (i === 3 ? l.replace('{', '{"extra":1,') : l)),
      line: 4,
      seq: 4,
      problem: /altered/,
    },
  ];
  it.each(cases)('$name', ({ lines: input, line, seq, problem }) => {
    const verdict = verifyTrail(input, []);
    if (line === undefined) {
      expect(verdict).toEqual({ records: 5, signed: 0 });
      return;
    }
    expect(verdict.failure).toMatchObject({ line, ...(seq !== undefined && { seq }) });
    expect(verdict.failure?.problem).toMatch(problem!);
  });

  it('starts the chain at the genesis hash', () => {
    expect(JSON.parse(lines[0]!).prev_hash).toBe(GENESIS_HASH);
  });
});

describe('SqliteAuditStore', () => {
  it('appends each key once, however often a batch is written, and pages with filters', async () => {
    const store = SqliteAuditStore.open(':memory:');
    expect(await store.append([fact(1), fact(2, { person: 'ann', outcome: 'approved' })], 'now')).toBe(2);
    expect(await store.append([fact(2), fact(3), fact(1)], 'now')).toBe(1);
    const all = await store.page({}, 2);
    expect(all.records.map((r) => r.key)).toEqual(['wf-1:1', 'wf-1:2']);
    expect(all.next_after_seq).toBe(2);
    expect((await store.page({ after_seq: 2 }, 2)).records.map((r) => r.seq)).toEqual([3]);
    expect((await store.page({ person: 'ann', outcome: 'approved' }, 10)).records.map((r) => r.seq)).toEqual([2]);
    const lines = (await store.page({}, 10)).records.map((r) => JSON.stringify(r));
    expect(verifyTrail(lines, []).failure).toBeUndefined();
    await store.close();
  });
});

describe('auditorScope', () => {
  const appFor = (identity: Identity) => {
    const app = new Hono<GatewayEnv>();
    app.use(async (c, next) => {
      c.set('identity', identity);
      await next();
    });
    app.use(auditorScope());
    app.all('*', (c) => c.text('ok'));
    app.onError(onError);
    return app;
  };
  const auditor = appFor({ kind: 'token', user_id: 'ada', role: 'auditor' });
  const admin = appFor({ kind: 'token', user_id: 'root', role: 'admin' });
  it.each([
    ['GET', '/api/audit', 200],
    ['GET', '/api/audit/export', 200],
    ['POST', '/api/policies/simulate', 200],
    ['GET', '/healthz', 200],
    ['POST', '/api/approvals/a-1/decision', 403],
    ['POST', '/chat', 403],
    ['GET', '/api/workflows/wf-1', 403],
    ['POST', '/api/audit', 403],
  ])('an auditor: %s %s is %i', async (method, path, status) => {
    expect((await auditor.request(path, { method })).status).toBe(status);
  });
  it('lets every other role through to the route', async () => {
    expect((await admin.request('/chat', { method: 'POST' })).status).toBe(200);
  });
});
