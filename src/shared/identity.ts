/**
 * One person, one id: ids are compared after Unicode NFKC normalisation and case folding, so
 * `manager@BANK.com`, `manager@bank.com` and `ｍanager@bank.com` name the same person. Pure: the
 * workflow bundle and the gateway both use it.
 */

/** The form two ids are compared in. JavaScript has no full case fold; lower-casing after NFKC (and NFKC again, since lower-casing can denormalise) is close enough for ids. */
export function normalizeIdentity(id: string): string {
  return id.normalize('NFKC').toLowerCase().normalize('NFKC');
}

export function sameIdentity(a: string, b: string): boolean {
  return normalizeIdentity(a) === normalizeIdentity(b);
}
