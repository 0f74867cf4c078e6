/**
 * Header injection: Last-Event-ID is read as digits only, and an injected line never reaches a stream or a header.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { waitFor } from '../../dev/ports.js';
import { rawRequest } from '../support/raw-http.js';
import { timelineOf } from '../support/reliability.js';
import { expectWellFormed, useHostileStack } from './hostile-support.js';

const { stack, recordStarted, expectLeftAlone } = useHostileStack();

describe('header injection', () => {
  it('reads Last-Event-ID as digits only; an injected line never reaches the stream', async () => {
    const done = await call(stack.baseUrl, 'POST', '/chat', { message: 'Transfer 10 to Kiran' });
    expect(done.body.status).toBe('COMPLETED');
    recordStarted(done);
    const id: string = done.body.workflow_id;
    const total = (await timelineOf(stack.baseUrl, id)).length;
    const host = `Host: ${new URL(stack.baseUrl).host}`;

    // "1\r\nevent: x" on the wire is two header lines: the stream resumes after seq 1 and the
    // second line is just an unknown header.
    const split = await waitFor(
      async () => {
        const res = await rawRequest(stack.baseUrl, [
          `GET /api/workflows/${id}/stream HTTP/1.1`,
          host,
          'Last-Event-ID: 1',
          'event: x',
        ]);
        return res.status === 503 ? undefined : res;
      },
      { what: 'the stream to answer something else than 503' },
    );
    expect(split.status).toBe(200);
    expect(split.body).not.toMatch(/^event: x/m);
    expect([...split.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(
      Array.from({ length: total - 1 }, (_, i) => i + 2),
    );
    // A bare CR, a bare LF or a NUL inside the value is refused by the HTTP parser.
    for (const value of ['1\revent: x', '1\nevent: x', '1\u0000']) {
      const res = await rawRequest(stack.baseUrl, [
        `GET /api/workflows/${id}/stream HTTP/1.1`,
        host,
        `Last-Event-ID: ${value}`,
      ]);
      expect(res.status, JSON.stringify(value)).toBe(400);
      expect(res.body).not.toMatch(/^event:/m);
    }
    // Through fetch and the query string, anything but digits is a 400 in the error shape.
    for (const value of ['1 event: x', '1,2', '0x10', '1e3', '٣', '99999999999999999999']) {
      const viaQuery = await call(
        stack.baseUrl,
        'GET',
        `/api/workflows/${id}/stream?last_event_id=${encodeURIComponent(`${value}\r\nevent: x`)}`,
      );
      expectWellFormed(viaQuery, `last_event_id=${JSON.stringify(value)}`);
      expect(viaQuery.status).toBe(400);
      if (/^[\x20-\x7e]*$/.test(value)) {
        const viaHeader = await call(stack.baseUrl, 'GET', `/api/workflows/${id}/stream`, undefined, {
          'Last-Event-ID': value,
        });
        expectWellFormed(viaHeader, `Last-Event-ID ${JSON.stringify(value)}`);
        expect(viaHeader.status).toBe(400);
      }
    }
    // Nothing a client sends is echoed into response headers.
    const echoed = await rawRequest(
      stack.baseUrl,
      [
        'POST /chat HTTP/1.1',
        host,
        'Content-Type: application/json',
        'Idempotency-Key: a\rSet-Cookie: x=1',
        'Content-Length: 2',
      ],
      { body: '{}' },
    );
    expect(echoed.head).not.toMatch(/set-cookie/i);
    await expectLeftAlone();
  });
});
