/** ASSIST dates, always GMT, as both protocols write them. */

const DOT = 0x2e;
const COLON = 0x3a;
const SPACE = /\s/;

/** The `n`-digit number at `at`, or -1 if any of its characters is not an ASCII digit. */
function digits(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * `dd.mm.yyyy hh:mm[:ss]` in GMT → Date; null for anything else (including impossible dates). Read
 * character by character rather than with a regular expression: a report holds tens of thousands of
 * dates, and each match would leave an array and seven strings behind.
 */
export function parseAssistDate(input: string): Date | null {
  const text = input.trim();
  if (text.length < 16 || text.charCodeAt(2) !== DOT || text.charCodeAt(5) !== DOT) return null;
  let at = 10;
  while (at < text.length && SPACE.test(text.charAt(at))) at++;
  const rest = text.length - at;
  if (at === 10 || (rest !== 5 && rest !== 8) || text.charCodeAt(at + 2) !== COLON) return null;
  if (rest === 8 && text.charCodeAt(at + 5) !== COLON) return null;
  const dd = digits(text, 0, 2);
  const mm = digits(text, 3, 2);
  const yyyy = digits(text, 6, 4);
  const hh = digits(text, at, 2);
  const mi = digits(text, at + 3, 2);
  const seconds = rest === 8 ? digits(text, at + 6, 2) : 0;
  if (dd < 0 || mm < 0 || yyyy < 0 || hh < 0 || mi < 0 || seconds < 0) return null;
  const d = new Date(Date.UTC(yyyy, mm - 1, dd, hh, mi, seconds));
  const roundTrips =
    d.getUTCFullYear() === yyyy &&
    d.getUTCMonth() === mm - 1 &&
    d.getUTCDate() === dd &&
    d.getUTCHours() === hh &&
    d.getUTCMinutes() === mi &&
    d.getUTCSeconds() === seconds;
  return roundTrips ? d : null;
}

const MINUTE_MS = 60_000;
const pad = (n: number) => n.toString().padStart(2, '0');

/** `Start…`/`End…` report-window fields (GMT, minute precision); both protocols use the same names. */
export function windowFields(prefix: 'Start' | 'End', d: Date): Array<[string, string]> {
  return [
    [`${prefix}Year`, d.getUTCFullYear().toString()],
    [`${prefix}Month`, pad(d.getUTCMonth() + 1)],
    [`${prefix}Day`, pad(d.getUTCDate())],
    [`${prefix}Hour`, pad(d.getUTCHours())],
    [`${prefix}Min`, pad(d.getUTCMinutes())],
  ];
}

/** The window's fields carry whole minutes: a start rounds down and an end up, so nothing falls outside. */
export function floorMinute(d: Date): Date {
  return new Date(Math.floor(d.getTime() / MINUTE_MS) * MINUTE_MS);
}

export function ceilMinute(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / MINUTE_MS) * MINUTE_MS);
}
