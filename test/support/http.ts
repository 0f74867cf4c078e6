/** The tests' one HTTP client: JSON calls to the gateway or the sandbox, and a streaming SSE reader. */
import { sandboxAuthHeaders } from '../../dev/stack-secrets.js';

// Response bodies are checked field by field by the tests' assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface JsonResponse<T = Loose> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Loose>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (HTML, SSE): keep the text.
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** A POST of `body` (a string goes as it is) to the sandbox, with an Idempotency-Key when `key` is given. */
export function postJson<T = Loose>(
  baseUrl: string,
  path: string,
  body: unknown,
  opts: { key?: string } = {},
): Promise<JsonResponse<T>> {
  return call<T>(baseUrl, 'POST', path, body, {
    ...sandboxAuthHeaders,
    ...(opts.key !== undefined && { 'idempotency-key': opts.key }),
  });
}

/** A GET from the sandbox, with its service token. */
export function getJson<T = Loose>(baseUrl: string, path: string): Promise<JsonResponse<T>> {
  return call<T>(baseUrl, 'GET', path, undefined, sandboxAuthHeaders);
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseRead {
  status: number;
  events: SseEvent[];
  comments: string[];
  /** True when the server closed the stream (not we). */
  closedByServer: boolean;
}

/**
 * Reads an SSE response with fetch until the server closes it, `stopWhen` says so, or the
 * deadline passes (then it throws, naming what it saw).
 */
export async function readSse(
  url: string,
  opts: {
    headers?: Record<string, string>;
    stopWhen?: (events: SseEvent[], comments: string[]) => boolean;
    timeoutMs?: number;
  } = {},
): Promise<SseRead> {
  const abort = new AbortController();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const events: SseEvent[] = [];
  const comments: string[] = [];
  try {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...opts.headers }, signal: abort.signal });
    if (!res.ok || !res.body) return { status: res.status, events, comments, closedByServer: true };
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw new Error(`SSE read failed after ${events.map((e) => e.event).join(',')}: ${String(err)}`);
      }
      if (chunk.done) return { status: res.status, events, comments, closedByServer: true };
      buffer += decoder.decode(chunk.value, { stream: true });
      let split: number;
      while ((split = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const event: SseEvent = { data: '' };
        const data: string[] = [];
        let isComment = true;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
            continue;
          }
          isComment = false;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') data.push(value);
          else if (field === 'id') event.id = value;
          else if (field === 'event') event.event = value;
        }
        if (!isComment) {
          event.data = data.join('\n');
          events.push(event);
        }
      }
      if (opts.stopWhen?.(events, comments)) {
        await reader.cancel();
        return { status: res.status, events, comments, closedByServer: false };
      }
    }
  } catch (err) {
    if (abort.signal.aborted) {
      throw new Error(
        `SSE ${url}: no end within ${timeoutMs} ms; saw ${events.map((e) => `${e.id}:${e.event}`).join(', ')}`,
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
