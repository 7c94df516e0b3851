import { z } from 'zod';

/**
 * Billnumbers are 15–16 digit numbers (docs/assist-protocol.md 2.6); django-assist-ru sorted them as
 * strings, which puts `999999999999999` after `1000000000000000`. Compare them as integers.
 * Up to 20 digits are accepted (headroom over the documented 16, still a 64-bit number), never a sign,
 * a space or a dot: an operation's extended billnumber `<bill>.<n>` is its own shape.
 */
const BILL_NUMBER = /^\d{1,20}$/;
const EXTENDED_BILL_NUMBER = /^\d{1,20}\.\d{1,5}$/;

/** A bill's own number: what a page URL, a form field or a reply row may carry. */
export function isBillNumber(value: string): boolean {
  return BILL_NUMBER.test(value);
}

/** One operation's extended billnumber `<bill>.<n>`, as the web services name operations. */
export function isExtendedBillNumber(value: string): boolean {
  return EXTENDED_BILL_NUMBER.test(value);
}

export const billNumberSchema = z.string().regex(BILL_NUMBER, { message: 'must be a billnumber' });

/** Compares two digit strings as integers, digit by digit (no bigint to allocate per comparison). */
function compareDigits(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 0x30) i++;
  while (j < b.length - 1 && b.charCodeAt(j) === 0x30) j++;
  if (a.length - i !== b.length - j) return a.length - i < b.length - j ? -1 : 1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Numeric comparison of two billnumbers; non-numeric values sort before numeric ones, then as strings. */
export function compareBillNumbers(a: string, b: string): number {
  const an = BILL_NUMBER.test(a);
  const bn = BILL_NUMBER.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an !== bn) return an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `<bill>.<n>` → `<bill>`; a plain billnumber is returned unchanged. */
export function baseBillNumber(extended: string): string {
  const dot = extended.indexOf('.');
  return dot === -1 ? extended : extended.slice(0, dot);
}
