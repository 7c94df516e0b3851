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
