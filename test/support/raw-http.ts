/**
 * HTTP requests written byte for byte on a TCP socket, for inputs that fetch refuses or normalises
 * (CR/LF or NUL in header values, dot segments and raw bytes in the path, oversized headers).
 */
import net from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without a status line. */
  status: number;
  head: string;
  /** The body as received (chunked framing left in place). */
  body: string;
}

/**
 * Sends `lines` (joined with CRLF, `Connection: close` added, ended by an empty line; UTF-8 unless
 * `encoding` says otherwise, `latin1` for arbitrary bytes) plus an optional body, and reads until
 * the server closes the connection, a chunked body ends, or the deadline passes.
 */
export function rawRequest(
  baseUrl: string,
  lines: string[],
  opts: { body?: string | Buffer; timeoutMs?: number; encoding?: BufferEncoding } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no end of the response within ${timeoutMs} ms: ${Buffer.concat(chunks).toString('latin1').slice(0, 300)}`,
        ),
      );
    }, timeoutMs);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // A chunked body is complete at its last chunk, even if the server keeps the connection open.
      const text = Buffer.concat(chunks).toString('latin1');
      if (
        /\r\ntransfer-encoding: chunked\r\n/i.test(text.slice(0, text.indexOf('\r\n\r\n') + 2)) &&
        text.endsWith('\r\n0\r\n\r\n')
      )
        socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      resolve({ status: status ? Number(status) : 0, head, body: split < 0 ? '' : text.slice(split + 4) });
    });
    socket.on('connect', () => {
      const head = Buffer.from([...lines, 'Connection: close', '', ''].join('\r\n'), opts.encoding ?? 'utf8');
      socket.write(opts.body === undefined ? head : Buffer.concat([head, Buffer.from(opts.body)]));
    });
  });
}
