/** ASSIST dates, always GMT, as both protocols write them. */

const DATE_RE = /^(\d{2})\.(\d{2})\.(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `dd.mm.yyyy hh:mm[:ss]` in GMT → Date; null for anything else (including impossible dates). */
export function parseAssistDate(text: string): Date | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  const [dd, mm, yyyy, hh, mi, seconds] = [n(1), n(2), n(3), n(4), n(5), n(6)];
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
