import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ceilMinute, floorMinute, parseAssistDate, windowFields } from './dates';

describe('parseAssistDate', () => {
  it('reads both forms as GMT', () => {
    expect(parseAssistDate('27.09.2016 23:24')).toEqual(new Date('2016-09-27T23:24:00Z'));
    expect(parseAssistDate(' 27.09.2016 23:24:59 ')).toEqual(new Date('2016-09-27T23:24:59Z'));
    expect(parseAssistDate('27.09.2016 \t 23:24')).toEqual(new Date('2016-09-27T23:24:00Z'));
  });

  it('refuses impossible or foreign dates', () => {
    for (const bad of [
      '31.02.2016 10:00',
      '2016-09-27 23:24',
      '27.09.2016',
      '27.09.2016 24:00',
      '27.13.2016 10:00:00',
      '27.09.201623:24',
      '27.09.2016 23:24:5',
      '27.09.2016 23-24',
      '27.09.2016 23:24-59',
      '27.09.2016 2a:24',
      '27/09/2016 23:24',
      '',
    ]) {
      expect(parseAssistDate(bad), bad).toBeNull();
    }
  });

  it('round-trips any instant at second precision', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01Z'), max: new Date('2099-12-31Z'), noInvalidDate: true }),
        (d) => {
          const p = (n: number) => n.toString().padStart(2, '0');
          const s = `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
          expect(parseAssistDate(s)?.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000);
        },
      ),
    );
  });
});

describe('report window fields', () => {
  it('name a minute in GMT, the start rounded down and the end up', () => {
    const at = new Date('2026-03-04T05:06:07.500Z');
    expect(windowFields('Start', floorMinute(at))).toEqual([
      ['StartYear', '2026'],
      ['StartMonth', '03'],
      ['StartDay', '04'],
      ['StartHour', '05'],
      ['StartMin', '06'],
    ]);
    expect(windowFields('End', ceilMinute(at)).map(([, v]) => v)).toEqual(['2026', '03', '04', '05', '07']);
    const whole = new Date('2026-03-04T05:06:00Z');
    expect(floorMinute(whole)).toEqual(whole);
    expect(ceilMinute(whole)).toEqual(whole);
  });
});
