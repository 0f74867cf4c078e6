/** Money is integer cents everywhere; these helpers are the only place text and cents meet. */

/** Largest single amount the system accepts: $1,000,000.00. */
export const MAX_AMOUNT_CENTS = 100_000_000;

/**
 * Parses "6000", "1,250.50", "$1,250.5" or a finite number into integer cents.
 * Returns undefined for anything that is not a non-negative amount with at most two decimals.
 */
export function parseMoneyToCents(input: string | number): number | undefined {
  const text = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input.trim();
  const match = /^\$?((?:\d{1,3}(?:,\d{3})+)|\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const whole = match[1]!.replaceAll(',', '');
  if (whole.length > 12) return undefined;
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return Number(whole) * 100 + Number(fraction);
}

/** 600000 → "6000.00" (the sandbox's wire format, from the original banking API). */
export function centsToDecimalString(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 600000 → 6000 (a JSON number in dollars, as the original banking API's replies carry it). */
export function centsToDollars(cents: number): number {
  return Number(centsToDecimalString(cents));
}

/** 600000 → "$6,000.00" (for people: summaries, messages, the web page). */
export function formatUsd(cents: number): string {
  const [whole, fraction] = centsToDecimalString(Math.abs(cents)).split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}$${grouped}.${fraction}`;
}

/** A transfer step's name as the planner gives it: "Transfer $6,000.00 → kiran". */
export function transferStepName(amountCents: number, recipient: string): string {
  return `Transfer ${formatUsd(amountCents)} → ${recipient}`;
}
