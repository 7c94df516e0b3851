/**
 * Money is integer minor units (kopecks) everywhere in the app; ASSIST speaks decimal strings with
 * exactly two places. These are the only two crossings between the two forms, done on strings and
 * integers (at most 13 digits of roubles: below 2^53 kopecks, so every step is exact) so that no
 * fraction ever holds an amount.
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

/** The value of the ASCII digit at `i`, or -1. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 0x30;
  return d >= 0 && d <= 9 ? d : -1;
}

/**
 * `^(\d{1,13})(?:[.,](\d{1,2}))?$` → kopecks, or -1. Read character by character: a report holds tens of
 * thousands of amounts, and a match would leave an array, its strings and bigints behind for each.
 */
function kopecksOf(text: string): number {
  let whole = 0;
  let i = 0;
  for (let d = digitAt(text, 0); d !== -1 && i < 14; d = digitAt(text, ++i)) whole = whole * 10 + d;
  if (i === 0 || i > 13) return -1;
  if (i === text.length) return whole * 100;
  const mark = text.charCodeAt(i);
  const decimals = text.length - i - 1;
  if ((mark !== 0x2e && mark !== 0x2c) || decimals < 1 || decimals > 2) return -1;
  const first = digitAt(text, i + 1);
  const second = decimals === 2 ? digitAt(text, i + 2) : 0;
  if (first === -1 || second === -1) return -1;
  return whole * 100 + first * 10 + second;
}

/**
 * `1500.00`, ` 100.0 `, `15`, `0,5` → kopecks. Replies pad values and some sources drop trailing zeros,
 * so this is tolerant of whitespace and of 0–2 decimals, and strict about everything else.
 */
export function parseAmount(text: string): AmountParseResult {
  const r = readAmount(text);
  return typeof r === 'number' ? { ok: true, kopecks: r } : { ok: false, error: r };
}

/** `parseAmount` unwrapped, for a reader of many amounts: the kopecks, or why not. */
export function readAmount(text: string): number | string {
  const trimmed = text.trim();
  const kopecks = kopecksOf(trimmed);
  if (kopecks === -1) return `not an amount: ${JSON.stringify(text.slice(0, 40))}`;
  if (kopecks > MAX_KOPECKS) return `amount too large: ${trimmed}`;
  return kopecks;
}

/** Strict form check for what we send: digits, a dot, exactly two decimals. */
export function isAssistAmount(text: string): boolean {
  return /^\d{1,11}\.\d{2}$/.test(text);
}
