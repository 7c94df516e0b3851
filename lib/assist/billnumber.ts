/**
 * Billnumbers are 15–16 digit numbers; django-assist-ru sorted them as strings, which puts
 * `999999999999999` after `1000000000000000`. Compare them as integers.
 */

const DIGITS = /^\d{1,30}$/;

/** Numeric comparison of two billnumbers; non-numeric values sort before numeric ones, then as strings. */
export function compareBillNumbers(a: string, b: string): number {
  const an = DIGITS.test(a);
  const bn = DIGITS.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an !== bn) return an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<bill>.<n>` → `<bill>`; a plain billnumber is returned unchanged. */
export function baseBillNumber(extended: string): string {
  const dot = extended.indexOf('.');
  return dot === -1 ? extended : extended.slice(0, dot);
}
