/**
 * Malformed, deeply nested and huge bodies, over-long strings and wrong types, against the real
 * stack: each answer is a 400 or 413 in the one error shape, and nothing invalid starts or decides a run.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { expectWellFormed, useHostileStack } from './hostile-support.js';

const { stack, send, routes, expectLeftAlone } = useHostileStack();

describe('malformed, deep and huge bodies', () => {
  it('answers malformed JSON with 400 invalid_json on every body route', async () => {
    const malformed = [
      '{',
      '{"message":}',
      "{'message':'Transfer 6000 to Kiran'}",
      '{"message":"x"}trailing',
      '[1,]',
      'nul',
      'NaN',
      '\u0000',
      '{"message":"\\x41"}',
      '{"message":"unterminated',
      '\\',
    ];
    for (const [name, path] of Object.entries(routes())) {
      for (const body of malformed) {
        const res = await send('POST', path, body);
        expectWellFormed(res, `${name} ${JSON.stringify(body)}`);
        expect(res.status, `${name} ${JSON.stringify(body)}`).toBe(400);
        expect(res.body.error.code).toBe('invalid_json');
      }
      // Bytes that are not UTF-8, and a body whose content type is not JSON (what a foreign page's form sends).
      expectWellFormed(
        await send('POST', path, new Uint8Array([0xff, 0xfe, 0x7b, 0x22, 0xc3])),
        `${name} invalid UTF-8`,
      );
      for (const contentType of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        const res = await send('POST', path, 'message=Transfer+6000+to+Kiran', { 'content-type': contentType });
        expectWellFormed(res, `${name} as ${contentType}`);
        expect(res.status).toBe(415);
        expect(res.body.error.code).toBe('unsupported_media_type');
      }
    }
    await expectLeftAlone();
  });

  it('refuses 10,000 levels of nesting anywhere in a body with a 400 and stays up', async () => {
    const deepArray = '['.repeat(10_000) + ']'.repeat(10_000);
    const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const bodies: Record<string, string[]> = {
      chat: [deepArray, deepObject, `{"message":${deepArray}}`, `{"message":"hi","user_id":${deepObject}}`],
      submit: [deepObject, `{"intent":${deepObject}}`, `{"intent":"plan groceries","session_id":${deepArray}}`],
      approve: [
        deepArray,
        `{"approved":${deepArray},"approver_id":"m@bank.com"}`,
        `{"approved":true,"approver_id":"m@bank.com","reason":${deepObject}}`,
      ],
      decision: [
        deepObject,
        `{"decision":"approve","decided_by":${deepArray}}`,
        `{"decision":"approve","decided_by":"m@bank.com","reason":${deepObject}}`,
      ],
    };
    for (const [name, path] of Object.entries(routes())) {
      for (const body of bodies[name]!) {
        const res = await send('POST', path, body);
        expectWellFormed(res, `${name} nested ${body.slice(0, 30)}`);
        expect(res.status).toBe(400);
      }
      // 100,000 levels is beyond the body limit: refused before it is parsed.
      const tooDeep = await send('POST', path, '['.repeat(100_000) + ']'.repeat(100_000));
      expectWellFormed(tooDeep, `${name} 100k levels`);
      expect(tooDeep.status).toBe(413);
    }
    expect((await call(stack.baseUrl, 'GET', '/healthz')).status).toBe(200);
    await expectLeftAlone();
  });

  it('answers 1 MB strings with 413 (with a length, and streamed without one) and keeps the connection usable', async () => {
    const huge = 'x'.repeat(1 << 20);
    const bodies: Record<string, unknown> = {
      chat: { message: huge },
      submit: { intent: huge },
      approve: { approved: true, approver_id: 'm@bank.com', reason: huge },
      decision: { decision: 'approve', decided_by: 'm@bank.com', reason: huge },
    };
    for (const [name, path] of Object.entries(routes())) {
      const res = await send('POST', path, JSON.stringify(bodies[name]));
      expectWellFormed(res, `${name} 1 MB`);
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      // A client's next requests on its connection pool still get answers.
      for (let i = 0; i < 3; i++) {
        const next = await send('POST', '/chat', '{"message":""}');
        expect(next.status, `request ${i + 1} after the 413`).toBe(400);
      }
      const chunks = [
        new TextEncoder().encode(`{"message":"`),
        ...Array.from({ length: 16 }, () => new TextEncoder().encode('y'.repeat(64 * 1024))),
      ];
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const streamed = await send('POST', path, stream);
      expectWellFormed(streamed, `${name} 1 MB streamed`);
      expect(streamed.status).toBe(413);
    }
    await expectLeftAlone();
  });

  it('answers strings over their limits and wrong types with 400 naming the field', async () => {
    const cases: [keyof ReturnType<typeof routes>, unknown, RegExp][] = [
      ['chat', { message: 'a'.repeat(3000) }, /body\.message/],
      ['chat', { message: 'hi', user_id: 'u'.repeat(3000) }, /body\.user_id/],
      ['chat', { message: 'hi', session_id: 12 }, /body\.session_id/],
      ['chat', { message: true }, /body\.message/],
      ['chat', { message: { text: 'hi' } }, /body\.message/],
      ['chat', { message: ['Transfer', 6000] }, /body\.message/],
      ['chat', 'Transfer 6000 to Kiran', /body/],
      ['chat', 6000, /body/],
      ['chat', null, /body/],
      ['submit', { intent: 'a'.repeat(3000) }, /body\.intent/],
      ['submit', { intent: 42 }, /body\.intent/],
      ['approve', { approved: 'true', approver_id: 'm@bank.com' }, /body\.approved/],
      ['approve', { approved: 1, approver_id: 'm@bank.com' }, /body\.approved/],
      ['approve', { approved: true, approver_id: ['m@bank.com'] }, /body\.approver_id/],
      ['approve', { approved: true, approver_id: 'm@bank.com', reason: 'r'.repeat(3000) }, /body\.reason/],
      ['decision', { decision: 'APPROVE', decided_by: 'm@bank.com' }, /body\.decision/],
      ['decision', { decision: ['approve'], decided_by: 'm@bank.com' }, /body\.decision/],
      ['decision', { decision: 'approve', decided_by: 1.5 }, /body\.decided_by/],
      ['decision', { decision: 'approve', decided_by: 1e300 }, /body\.decided_by/],
      ['decision', { decision: 'approve', decided_by: { id: 'm' } }, /body\.decided_by/],
    ];
    for (const [route, body, field] of cases) {
      const res = await call(stack.baseUrl, 'POST', routes()[route], JSON.stringify(body));
      expectWellFormed(res, `${route} ${JSON.stringify(body).slice(0, 60)}`);
      expect(res.status, `${route} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(res.body.error.message).toMatch(field);
    }
    await expectLeftAlone();
  });
});
