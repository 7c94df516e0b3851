import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, MAX_KOPECKS, parseAmount } from './money';

describe('money', () => {
  it('formats kopecks as ASSIST amounts', () => {
    expect(formatAmount(150000)).toBe('1500.00');
    expect(formatAmount(0)).toBe('0.00');
    expect(formatAmount(5)).toBe('0.05');
    expect(formatAmount(MAX_KOPECKS)).toBe('100000000000.00');
  });

  it('refuses non-integer, negative and oversized amounts', () => {
    expect(() => formatAmount(0.1 + 0.2)).toThrow(RangeError);
    expect(() => formatAmount(-1)).toThrow(RangeError);
    expect(() => formatAmount(MAX_KOPECKS + 1)).toThrow(RangeError);
  });

  it('parses padded and short decimals without floating point', () => {
    expect(parseAmount(' 100.00 ')).toEqual({ ok: true, kopecks: 10000 });
    expect(parseAmount('100.0')).toEqual({ ok: true, kopecks: 10000 });
    expect(parseAmount('0.3')).toEqual({ ok: true, kopecks: 30 });
    expect(parseAmount('15')).toEqual({ ok: true, kopecks: 1500 });
    expect(parseAmount('0,10')).toEqual({ ok: true, kopecks: 10 });
    expect(parseAmount('100000000000.00')).toEqual({ ok: true, kopecks: MAX_KOPECKS });
  });

  it('rejects malformed amounts with a typed error', () => {
    const malformed = ['', 'abc', '1.234', '-1.00', '1e5', '1.00.0', 'NaN', '1.', '.5', ',50', '1. 5', '1.x'];
    const refused = [...malformed, '+1', '１.00', '12345678901234', '9999999999999.99', '100000000000.01'];
    for (const bad of refused) {
      expect(parseAmount(bad).ok, bad).toBe(false);
    }
  });

  it('reads the same amounts as the documented pattern', () => {
    const pattern = /^(\d{1,13})(?:[.,](\d{1,2}))?$/;
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.,a ]{0,17}$/), (s) => {
        const m = pattern.exec(s.trim());
        const expected = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
        const r = parseAmount(s);
        expect(r.ok ? r.kopecks : null).toBe(expected !== null && expected <= MAX_KOPECKS ? expected : null);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_KOPECKS }), (k) => {
        expect(parseAmount(formatAmount(k))).toEqual({ ok: true, kopecks: k });
      }),
    );
  });

  it('never throws on arbitrary text and yields only safe integers', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const r = parseAmount(s);
        if (r.ok)
          expect(Number.isSafeInteger(r.kopecks) && r.kopecks >= 0 && r.kopecks <= MAX_KOPECKS).toBe(true);
      }),
    );
    expect(parseAmount('0.1').ok && parseAmount('0.2').ok).toBe(true);
    const a = parseAmount('0.1');
    const b = parseAmount('0.2');
    expect(a.ok && b.ok && formatAmount(a.kopecks + b.kopecks)).toBe('0.30');
  });
});
