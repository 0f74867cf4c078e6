/**
 * GET /api/audit/verify: the gateway checks its stored chain page by page as verify-audit checks an
 * export, answers the head of an intact chain and the first failing record of a broken one, and
 * verifies signatures with the keys its settings name (a key file it cannot read is left out). An
 * auditor's token reaches the route and the page's settings.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { auditorScope } from '../../gateway/auditor-scope.js';
import { auditRoutes, verifyingKeysOf } from '../../gateway/routes/audit.js';
import type { GatewayEnv } from '../../gateway/context.js';
import { onError } from '../../gateway/errors.js';
import type { Identity } from '../../gateway/auth.js';
import { chainedRecord, type AuditRecord } from '../../src/audit/audit-record.js';
import type { AuditFilter, AuditStore } from '../../src/audit/audit-store.js';
import { TEST_DECISION_KEYS, testSecrets } from '../../dev/stack-secrets.js';

function chainOf(count: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let n = 1; n <= count; n++) {
    const fact = {
      key: `wf-1:${n}`,
      workflow_id: 'wf-1',
      kind: 'step_event' as const,
      at: '2026-12-01T00:00:00.000Z',
      summary: `fact ${n}`,
      data: { n },
    };
    records.push(chainedRecord(fact, records.at(-1), '2026-12-01T00:00:00.000Z'));
  }
  return records;
}

/** A store that hands out `records` as they are, `pageSize` at a time, so the route must page. */
function storeOf(records: AuditRecord[], pageSize = 2): AuditStore {
  return {
    append: () => Promise.reject(new Error('read only')),
    close: () => Promise.resolve(),
    page(filter: AuditFilter) {
      const rest = records.filter((r) => r.seq > (filter.after_seq ?? 0));
      const page = rest.slice(0, pageSize);
      return Promise.resolve({ records: page, ...(rest.length > pageSize && { next_after_seq: page.at(-1)!.seq }) });
    },
  };
}

function appFor(store: AuditStore, identity: Identity = { kind: 'anonymous' } as Identity) {
  const app = new Hono<GatewayEnv>();
  app.use(async (c, next) => {
    c.set('identity', identity);
    await next();
  });
  app.route(
    '/api/audit',
    auditRoutes(
      () => store,
      () => TEST_DECISION_KEYS,
    ),
  );
  app.onError(onError);
  return app;
}

const verify = async (store: AuditStore, identity?: Identity) =>
  (await appFor(store, identity).request('/api/audit/verify')).json();

describe('GET /api/audit/verify', () => {
  const intact = chainOf(5);
  const altered = intact.map((r) => (r.seq === 3 ? { ...r, summary: 'fact 8' } : r));
  const removed = intact.filter((r) => r.seq !== 4);
  const cases: { name: string; records: AuditRecord[]; expected: Record<string, unknown> }[] = [
    {
      name: 'an intact chain',
      records: intact,
      expected: { ok: true, records: 5, signed: 0, head: { seq: 5, hash: intact[4]!.hash } },
    },
    { name: 'an empty store', records: [], expected: { ok: true, records: 0, signed: 0 } },
    {
      name: 'an altered record',
      records: altered,
      expected: {
        ok: false,
        records: 2,
        signed: 0,
        failure: { line: 3, seq: 3, key: 'wf-1:3', problem: expect.stringMatching(/altered/) },
      },
    },
    {
      name: 'a removed record',
      records: removed,
      expected: {
        ok: false,
        records: 3,
        signed: 0,
        failure: { line: 4, seq: 5, key: 'wf-1:5', problem: expect.stringMatching(/missing/) },
      },
    },
  ];
  it.each(cases)('$name', async ({ records, expected }) => {
    expect(await verify(storeOf(records))).toEqual(expected);
  });

  it('answers 403 to a role that may not read the trail', async () => {
    const res = await appFor(storeOf(intact), { kind: 'token', user_id: 'al', role: 'approver' } as Identity).request(
      '/api/audit/verify',
    );
    expect(res.status).toBe(403);
  });
});

describe('verifyingKeysOf', () => {
  it('reads the signing key, the gateway keys and the operator keys once each, skipping a file it cannot read', () => {
    const keys = verifyingKeysOf({
      DECISION_SIGNING_KEY_FILE: testSecrets.gatewayKeyFile,
      DECISION_PUBLIC_KEY_FILES: [testSecrets.gatewayPublicKeyFile, '/nonexistent/key.pem'],
      OPERATOR_PUBLIC_KEY_FILES: [testSecrets.operatorPublicKeyFile],
    });
    expect(keys.map((k) => [k.key_id, k.role])).toEqual(TEST_DECISION_KEYS.map((k) => [k.key_id, k.role]));
  });
});

describe('the auditor on the page', () => {
  const app = new Hono<GatewayEnv>();
  app.use(async (c, next) => {
    c.set('identity', { kind: 'token', user_id: 'ada', role: 'auditor' } as Identity);
    await next();
  });
  app.use(auditorScope());
  app.all('*', (c) => c.text('ok'));
  app.onError(onError);
  it.each([
    ['/api/audit/verify', 200],
    ['/api/config', 200],
    ['/api/audit/verify/more', 403],
  ])('GET %s is %i', async (path, status) => {
    expect((await app.request(path)).status).toBe(status);
  });
});
