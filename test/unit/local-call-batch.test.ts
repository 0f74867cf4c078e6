/** LocalCallBatch: outcomes of calls that ran together reach their callers together, in start order. */
import { describe, expect, it } from 'vitest';
import { LocalCallBatch } from '../../workflows/local-call-batch.js';

/** A call the test ends by hand. */
function pendingCall<T>() {
  let end!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    end = resolve;
    fail = reject;
  });
  return { promise, end, fail };
}

/** Lets every queued promise callback run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

describe('LocalCallBatch', () => {
  it.each([
    { ending: [0, 1, 2], label: 'in start order' },
    { ending: [2, 0, 1], label: 'last started first' },
    { ending: [1, 2, 0], label: 'first started last' },
  ])('hands nothing over until the last call ends, then all in start order ($label)', async ({ ending }) => {
    const batch = new LocalCallBatch();
    const calls = [pendingCall<string>(), pendingCall<string>(), pendingCall<string>()];
    const received: string[] = [];
    const runs = calls.map((call, i) => batch.run(() => call.promise).then((value) => received.push(`${i}:${value}`)));
    for (const i of ending.slice(0, -1)) {
      calls[i]!.end(`r${i}`);
      await settle();
      expect(received).toEqual([]);
    }
    calls[ending.at(-1)!]!.end(`r${ending.at(-1)!}`);
    await Promise.all(runs);
    expect(received).toEqual(['0:r0', '1:r1', '2:r2']);
  });

  it('hands a failure over as a rejection, with the others', async () => {
    const batch = new LocalCallBatch();
    const ok = pendingCall<string>();
    const failing = pendingCall<string>();
    const order: string[] = [];
    const first = batch.run(() => failing.promise).catch((error: Error) => order.push(`failed: ${error.message}`));
    const second = batch.run(() => ok.promise).then((value) => order.push(value));
    failing.fail(new Error('sandbox down'));
    await settle();
    expect(order).toEqual([]);
    ok.end('done');
    await Promise.all([first, second]);
    expect(order).toEqual(['failed: sandbox down', 'done']);
  });

  it('a call alone is handed over as soon as it ends, and the batch starts afresh after', async () => {
    const batch = new LocalCallBatch();
    expect(await batch.run(() => Promise.resolve('alone'))).toBe('alone');
    const later = pendingCall<number>();
    const result = batch.run(() => later.promise);
    later.end(7);
    expect(await result).toBe(7);
  });
});
