/**
 * One person, one id. Ids are compared after Unicode NFKC normalisation and lower-casing, so
 * `manager@BANK.com`, `manager@bank.com` and `ｍanager@bank.com` name the same person; and an id is
 * accepted only when that form is in a safe alphabet (ASCII letters, digits and `@ . _ + : -`), so
 * look-alikes that no normalisation joins (Turkish `İ`/`ı`, Cyrillic `а` for Latin `a`) are refused
 * instead of being taken for another person. Pure: the workflow bundle and the gateway both use it.
 */

/** The alphabet an id's normal form must be written in (lower-case ASCII letters, digits, `@ . _ + : -`). */
export const SAFE_IDENTITY_PATTERN = /^[a-z0-9@._+:-]+$/;

/** Words for the safe alphabet, for refusals and documentation. */
export const SAFE_IDENTITY_RULE =
  'must be ASCII letters, digits and @ . _ + : - only (after Unicode NFKC and lower-casing; look-alike letters ' +
  'such as Turkish İ/ı or Cyrillic а are refused)';

/**
 * The form two ids are compared in. JavaScript has no full case fold; lower-casing after NFKC (and
 * NFKC again, since lower-casing can denormalise) is enough once ids are in the safe alphabet.
 */
export function normalizeIdentity(id: string): string {
  return id.normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** Whether `id` names one person unambiguously: its normal form is in the safe alphabet. */
export function isSafeIdentity(id: string): boolean {
  return SAFE_IDENTITY_PATTERN.test(normalizeIdentity(id));
}

export function sameIdentity(a: string, b: string): boolean {
  return normalizeIdentity(a) === normalizeIdentity(b);
}
