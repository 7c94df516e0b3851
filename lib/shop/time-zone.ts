/**
 * The shop's time zone (SHOP_TIME_ZONE, an IANA name, default Europe/Moscow): every date shown to
 * customers and staff, and every day a staff filter or chart means, is a day in this zone.
 */
export const DEFAULT_SHOP_TIME_ZONE = 'Europe/Moscow';

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Read per call (env.ts has already refused a bad value at start-up; tests may set it). */
export function shopTimeZone(): string {
  const name = process.env.SHOP_TIME_ZONE;
  return name && isTimeZone(name) ? name : DEFAULT_SHOP_TIME_ZONE;
}

/** Minutes the zone is ahead of UTC at `at`. */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a calendar day (`YYYY-MM-DD`) begins in the zone. */
export function dayStartIn(day: string, timeZone: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  let guess = new Date(utcMidnight.getTime() - offsetMinutes(utcMidnight, timeZone) * 60_000);
  // Once more at the guessed instant: the offset may differ there (a DST change that night).
  guess = new Date(utcMidnight.getTime() - offsetMinutes(guess, timeZone) * 60_000);
  return guess;
}

/** The calendar day (`YYYY-MM-DD`) an instant falls on in the zone. */
export function dayIn(at: Date, timeZone: string): string {
  return at.toLocaleDateString('en-CA', { timeZone });
}

/** A date and time for people, in the shop's zone and the reader's language. */
export function formatShopDateTime(
  date: Date,
  locale: 'ru' | 'en',
  style: { dateStyle?: 'short' | 'medium' | 'long'; timeStyle?: 'short' | 'medium' } = {
    dateStyle: 'medium',
    timeStyle: 'short',
  },
): string {
  return new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
    ...style,
    timeZone: shopTimeZone(),
  }).format(date);
}
