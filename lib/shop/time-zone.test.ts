import { afterEach, describe, expect, it } from 'vitest';
import { dayIn, dayStartIn, formatShopDateTime, isTimeZone, shopTimeZone } from './time-zone';

describe('shop time zone', () => {
  const saved = process.env.SHOP_TIME_ZONE;
  afterEach(() => {
    if (saved === undefined) delete process.env.SHOP_TIME_ZONE;
    else process.env.SHOP_TIME_ZONE = saved;
  });

  it('finds where a day begins, also across a DST change', () => {
    expect(dayStartIn('2026-11-29', 'Europe/Moscow').toISOString()).toBe('2026-11-28T21:00:00.000Z');
    expect(dayStartIn('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(dayStartIn('2026-01-01', 'Europe/Berlin').toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(dayStartIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(dayStartIn('2026-11-29', 'Asia/Vladivostok').toISOString()).toBe('2026-11-28T14:00:00.000Z');
    expect(dayIn(new Date('2026-11-28T21:30:00Z'), 'Europe/Moscow')).toBe('2026-11-29');
  });

  it('defaults to Moscow, takes a configured zone and ignores a bad one', () => {
    delete process.env.SHOP_TIME_ZONE;
    expect(shopTimeZone()).toBe('Europe/Moscow');
    const at = new Date('2026-11-29T12:00:00Z');
    expect(formatShopDateTime(at, 'en', { timeStyle: 'short' })).toBe('15:00');
    process.env.SHOP_TIME_ZONE = 'Asia/Yekaterinburg';
    expect(formatShopDateTime(at, 'ru', { timeStyle: 'short' })).toBe('17:00');
    process.env.SHOP_TIME_ZONE = 'Mars/Olympus';
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(shopTimeZone()).toBe('Europe/Moscow');
  });
});
