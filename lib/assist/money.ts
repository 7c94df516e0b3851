/**
 * Money is integer minor units (kopecks) everywhere in the app; ASSIST speaks decimal strings with
 * exactly two places. These are the only two crossings between the two forms, done on strings and
 * bigints so that no floating-point value ever holds an amount.
 */

/** Largest amount we accept: 10^13 kopecks (10^11 roubles), far above any real order, well inside int64. */
export const MAX_KOPECKS = 10_000_000_000_000;

export type AmountParseResult = { ok: true; kopecks: number } | { ok: false; error: string };

/** Kopecks → `1500.00` (ASSIST's OrderAmount / Amount format). Throws on non-integer or out-of-range input. */
export function formatAmount(kopecks: number): string {
  if (!Number.isSafeInteger(kopecks) || kopecks < 0 || kopecks > MAX_KOPECKS) {
    throw new RangeError(`amount must be an integer number of kopecks in 0..${MAX_KOPECKS}, got ${kopecks}`);
  }
  const whole = Math.trunc(kopecks / 100);
  const frac = kopecks % 100;
  return `${whole}.${frac.toString().padStart(2, '0')}`;
}

const AMOUNT_RE = /^(\d{1,13})(?:[.,](\d{1,2}))?$/;

/**
 * `1500.00`, ` 100.0 `, `15`, `0,5` → kopecks. Replies pad values and some sources drop trailing zeros,
 * so this is tolerant of whitespace and of 0–2 decimals, and strict about everything else.
 */
export function parseAmount(text: string): AmountParseResult {
  const trimmed = text.trim();
  const m = AMOUNT_RE.exec(trimmed);
  if (!m) return { ok: false, error: `not an amount: ${JSON.stringify(text.slice(0, 40))}` };
  const whole = BigInt(m[1] ?? '0');
  const frac = BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  const total = whole * 100n + frac;
  if (total > BigInt(MAX_KOPECKS)) return { ok: false, error: `amount too large: ${trimmed}` };
  return { ok: true, kopecks: Number(total) };
}

/** Strict form check for what we send: digits, a dot, exactly two decimals. */
export function isAssistAmount(text: string): boolean {
  return /^\d{1,11}\.\d{2}$/.test(text);
}
