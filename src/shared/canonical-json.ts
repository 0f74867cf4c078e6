/**
 * One canonical text of a JSON value (object keys sorted at every depth, no white space) and its
 * ASCII bytes, so equal values give equal bytes whatever their key order or the side that makes
 * them. Hashes (action-hash.ts, the sandbox's idempotency keys) and signed proofs (signed-proof.ts)
 * are taken over these. Pure, with no text encoder: the workflow sandbox has none.
 */

/** JSON with object keys sorted at every depth; undefined members are left out, undefined items are null. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error(`cannot make canonical JSON of a ${typeof value}`);
  return text;
}

/** The bytes of `json` with every character above U+007E escaped as JSON does, so no text encoder is needed. */
export function asciiBytes(json: string): Uint8Array {
  const text = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
