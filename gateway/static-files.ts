/** Serving files from a directory without letting a path escape it. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The absolute path of `relative` inside `root`, or undefined when it would leave it. */
export function resolveInside(root: string, relative: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = path.resolve(root);
  const full = path.resolve(base, '.' + path.posix.normalize('/' + decoded));
  return full === base || full.startsWith(base + path.sep) ? full : undefined;
}

/** The file's bytes and content type, or undefined when it does not exist (or is not a file). */
export async function loadFile(
  root: string,
  relative: string,
): Promise<{ body: Uint8Array; type: string } | undefined> {
  const full = resolveInside(root, relative);
  if (!full) return undefined;
  try {
    if (!(await stat(full)).isFile()) return undefined;
    return { body: new Uint8Array(await readFile(full)), type: contentTypeOf(full) };
  } catch {
    return undefined;
  }
}
