/**
 * A schema-driven fuzz pass (fast-check, fixed seed) over every body route: answers below 500, in the
 * error shape when refused, and only valid bodies start or decide a run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ApproveRequestSchema,
  ChatRequestSchema,
  DecisionRequestSchema,
  SubmitRequestSchema,
} from '../../gateway/schemas.js';
import { call } from '../support/http.js';
import { decisionsInHistory } from '../support/reliability.js';
import { expectWellFormed, useHostileStack } from './hostile-support.js';

const { stack, untouched, recordStarted, pendingTransfer, expectLeftAlone } = useHostileStack();

describe('schema-driven fuzz (fast-check, fixed seed)', () => {
  const SEED = 20261122;
  const RUNS = 200;
  const weird = fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e',
    '😀',
    '../../etc/passwd',
    "x' OR '1'='1",
    '<script>',
    '\r\nX: y',
    'ü',
    '%',
    '__proto__',
    'a'.repeat(129),
    'x'.repeat(2001),
  );
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
    weird,
  );
  const id = fc.oneof(
    fc.stringMatching(/^[a-z0-9@._+:-]{1,24}$/),
    fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 10 }),
    weird,
  );
  const anyJson = fc.jsonValue({ maxDepth: 4 });

  /** Plausible values per field name, mixed with anything at all: roughly a fifth of the bodies are valid. */
  function fieldValue(key: string): fc.Arbitrary<unknown> {
    const plausible: Record<string, fc.Arbitrary<unknown>> = {
      message: text,
      intent: text,
      reason: fc.oneof(text, fc.constant(null)),
      user_id: fc.oneof(id, fc.constant(null)),
      session_id: fc.oneof(id, fc.constant(null)),
      approver_id: fc.oneof(id, fc.constant(null)),
      decided_by: fc.oneof(id, fc.nat(), fc.integer(), fc.double()),
      approved: fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1)),
      decision: fc.oneof(fc.constantFrom('approve', 'reject'), fc.constantFrom('APPROVE', 'yes', ''), text),
      approval_id: fc.oneof(fc.constant(untouched.approvalId), text),
    };
    return fc.oneof({ weight: 4, arbitrary: plausible[key] ?? anyJson }, { weight: 1, arbitrary: anyJson });
  }

  /** Bodies built from the route schema's own fields (each present or not), extra keys, or any JSON. */
  function bodies(schema: z.ZodObject): fc.Arbitrary<unknown> {
    const fields = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, fieldValue(key)]));
    return fc.oneof(
      { weight: 6, arbitrary: fc.record(fields, { requiredKeys: [] }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.record(fields, { requiredKeys: [] }),
            fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 }),
          )
          .map(([a, b]) => ({ ...b, ...a })),
      },
      { weight: 1, arbitrary: anyJson },
    );
  }

  it(
    'answers every generated body below 500, in the error shape when refused, and starts or decides only on valid ones',
    { timeout: 150_000 },
    async () => {
      // Decisions are aimed at a run of their own, so the untouched one stays untouched.
      const target = await pendingTransfer();
      const cases: { name: string; path: string; schema: z.ZodObject }[] = [
        { name: 'chat', path: '/chat', schema: ChatRequestSchema },
        { name: 'submit', path: '/api/workflows/submit', schema: SubmitRequestSchema },
        { name: 'decision', path: `/api/approvals/${target.approvalId}/decision`, schema: DecisionRequestSchema },
        { name: 'approve', path: `/workflow/${target.sessionId}/approve`, schema: ApproveRequestSchema },
      ];
      const validDecisions: unknown[] = [];
      let valid = 0;
      for (const route of cases) {
        await fc.assert(
          fc.asyncProperty(bodies(route.schema), async (body) => {
            const isValid = route.schema.safeParse(body).success;
            const res = await call(stack.baseUrl, 'POST', route.path, JSON.stringify(body));
            expectWellFormed(res, `${route.name} ${JSON.stringify(body)}`);
            if (!isValid) expect(res.status, `${route.name} invalid ${JSON.stringify(body)}`).toBe(400);
            if (res.status === 200) expect(isValid, `${route.name} accepted ${JSON.stringify(body)}`).toBe(true);
            if (isValid) {
              valid += 1;
              if (route.name === 'decision' || route.name === 'approve') validDecisions.push(body);
              if (route.name === 'chat' || route.name === 'submit') recordStarted(res);
            }
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
      }
      expect(valid, 'the generators reach valid bodies too').toBeGreaterThan(RUNS / 10);

      // Only a valid decision can have reached the target: at most one per valid request, each one of them.
      const reached = await decisionsInHistory(stack.client.workflow.getHandle(target.workflowId));
      expect(reached.length).toBeLessThanOrEqual(validDecisions.length);
      const deciders = new Set(
        validDecisions.map((b) => {
          const parsed = b as { decided_by?: unknown; approver_id?: unknown };
          return String(parsed.decided_by ?? parsed.approver_id);
        }),
      );
      for (const r of reached) expect(deciders.has(r.decision.approver_id), JSON.stringify(r.decision)).toBe(true);
      await expectLeftAlone();
    },
  );
});
