import type { FormFields } from './urlencoded';

const pad = (n: number, w = 2) => n.toString().padStart(w, '0');

/** ASSIST's date form, always GMT: `dd.mm.yyyy hh:mm:ss`. */
export function formatGmt(d: Date): string {
  return (
    `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

export interface Window {
  start: Date;
  /** Inclusive. */
  end: Date;
}

export type WindowResult = { ok: true; window: Window } | { ok: false; error: string };

const MINUTE = 60_000;

/**
 * Reads one end of a `Start*`/`End*` window (GMT). Absent fields → null; year, month and day are
 * required together, hour and minute default to the start (00:00) or the end (23:59) of the day.
 */
function readPoint(
  fields: FormFields,
  prefix: 'start' | 'end',
): { ok: true; at: Date | null } | { ok: false; error: string } {
  const names = ['year', 'month', 'day', 'hour', 'min'] as const;
  const raw = names.map((n) => fields.get(prefix + n)?.trim() ?? '');
  if (raw.every((v) => v === '')) return { ok: true, at: null };
  if (raw.some((v) => v !== '' && !/^\d{1,4}$/.test(v)))
    return { ok: false, error: `${prefix} date is not numeric` };
  const [y, mo, d, h, mi] = raw.map((v) => (v === '' ? null : Number(v)));
  if (y == null || mo == null || d == null)
    return { ok: false, error: `${prefix} date needs year, month and day` };
  const hour = h ?? (prefix === 'start' ? 0 : 23);
  const minute = mi ?? (prefix === 'start' ? 0 : 59);
  const at = new Date(Date.UTC(y, mo - 1, d, hour, minute));
  const valid =
    at.getUTCFullYear() === y &&
    at.getUTCMonth() === mo - 1 &&
    at.getUTCDate() === d &&
    hour < 24 &&
    minute < 60;
  return valid ? { ok: true, at } : { ok: false, error: `${prefix} date is not a real date` };
}

/**
 * The report window of a web-service request. A missing end is "now", a missing start is `defaultMs`
 * before the end. The end is inclusive to the end of its minute.
 */
export function readWindow(fields: FormFields, now: Date, defaultMs: number): WindowResult {
  const start = readPoint(fields, 'start');
  if (!start.ok) return start;
  const end = readPoint(fields, 'end');
  if (!end.ok) return end;
  const endAt = end.at ? new Date(end.at.getTime() + MINUTE - 1) : now;
  const startAt = start.at ?? new Date(endAt.getTime() - defaultMs);
  if (startAt.getTime() > endAt.getTime()) return { ok: false, error: 'the window starts after it ends' };
  return { ok: true, window: { start: startAt, end: endAt } };
}

/** Window width as the caller wrote it (whole minutes), so `00:00`–`23:59` and `10:00`–`10:00` both fit a day. */
export function windowWidthMs(w: Window): number {
  return w.end.getTime() + 1 - MINUTE - w.start.getTime();
}
