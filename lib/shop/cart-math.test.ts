import { describe, expect, it } from 'vitest';
import { MAX_KOPECKS } from '@/lib/assist';
import { computeTotals, MAX_LINES, MAX_QUANTITY_PER_LINE } from './cart-math';

describe('computeTotals', () => {
  it('sums integer kopecks exactly (no 0.1 + 0.2 drift)', () => {
    const r = computeTotals([
      { unitPriceKopecks: 10, quantity: 1 },
      { unitPriceKopecks: 20, quantity: 1 },
    ]);
    expect(r).toEqual({ ok: true, totals: { lines: 2, items: 2, subtotalKopecks: 30, totalKopecks: 30 } });
  });

  it('multiplies quantities', () => {
    const r = computeTotals([{ unitPriceKopecks: 75_050, quantity: 3 }]);
    expect(r.ok && r.totals.totalKopecks).toBe(225_150);
  });

  it('refuses an empty cart, bad quantities and too many lines', () => {
    expect(computeTotals([])).toEqual({ ok: false, error: 'empty' });
    for (const quantity of [0, -1, 1.5, MAX_QUANTITY_PER_LINE + 1, Number.NaN]) {
      expect(computeTotals([{ unitPriceKopecks: 100, quantity }]), String(quantity)).toEqual({
        ok: false,
        error: 'bad_quantity',
      });
    }
    const many = Array.from({ length: MAX_LINES + 1 }, () => ({ unitPriceKopecks: 1, quantity: 1 }));
    expect(computeTotals(many)).toEqual({ ok: false, error: 'too_many_lines' });
  });

  it('refuses totals beyond the largest amount ASSIST can be sent, without overflow', () => {
    const r = computeTotals([{ unitPriceKopecks: MAX_KOPECKS, quantity: 2 }]);
    expect(r).toEqual({ ok: false, error: 'total_too_large' });
    expect(computeTotals([{ unitPriceKopecks: MAX_KOPECKS, quantity: 1 }]).ok).toBe(true);
  });

  it('refuses negative or fractional prices', () => {
    expect(computeTotals([{ unitPriceKopecks: -5, quantity: 1 }])).toEqual({ ok: false, error: 'bad_price' });
    expect(computeTotals([{ unitPriceKopecks: 0.5, quantity: 1 }])).toEqual({
      ok: false,
      error: 'bad_price',
    });
  });
});
