import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  buildCheque,
  type ChequeItem,
  type ChequeLine,
  chequeForAmount,
  chequeItemsJson,
  chequeTotal,
  DEFAULT_FISCAL_CODES,
  formatQuantity,
  lineAmount,
  parseQuantity,
  rateAllowed,
  remainingItems,
} from './cheque';

const line = (ref: number, price: number, qty: number, extra: Partial<ChequeLine> = {}): ChequeLine => ({
  ref,
  product: `p${ref}`,
  name: `Товар ${ref}`,
  unitPriceKopecks: price,
  quantityMilli: qty,
  vat: '22',
  subject: 'goods',
  ...extra,
});

/** Every item obeys amount = price × quantity (half up) and the items sum to the amount. */
function assertConsistent(items: ChequeItem[], amount: number) {
  for (const item of items)
    expect(item.amountKopecks).toBe(lineAmount(item.priceKopecks, item.quantityMilli));
  expect(chequeTotal(items)).toBe(amount);
  expect(items.map((i) => i.id)).toEqual(items.map((_, i) => i + 1));
}

describe('buildCheque', () => {
  it('keeps the lines as they are when the amount is their sum, with the full-payment method', () => {
    const r = buildCheque([line(1, 185_000_0, 1000), line(2, 45_000, 3000)], {
      amountKopecks: 1_985_000,
      method: 'full_payment',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.items).toMatchObject([
      { id: 1, ref: 1, priceKopecks: 1_850_000, quantityMilli: 1000, amountKopecks: 1_850_000 },
      { id: 2, ref: 2, priceKopecks: 45_000, quantityMilli: 3000, amountKopecks: 135_000 },
    ]);
    expect(r.items.every((i) => i.method === 'full_payment')).toBe(true);
  });

  it('marks a made-to-order receipt as 100 % prepayment', () => {
    const r = buildCheque([line(1, 2_450_000, 1000)], {
      amountKopecks: 2_450_000,
      method: 'full_prepayment',
    });
    expect(r.ok && r.items[0]?.method).toBe('full_prepayment');
    if (r.ok) expect(chequeItemsJson(r.items)).toContain('"fpmode":1');
  });

  it('spreads a discount over the lines in proportion, and sums exactly', () => {
    // 100.00 + 200.00 with 1.00 off: 0.33 and 0.67 (largest remainder takes the odd kopeck).
    const r = buildCheque([line(1, 10_000, 1000), line(2, 20_000, 1000)], {
      amountKopecks: 29_900,
      method: 'full_payment',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.items.map((i) => i.amountKopecks)).toEqual([9_967, 19_933]);
    assertConsistent(r.items, 29_900);
  });

  it('splits a discounted line that no single price can express: all units but one, then the last', () => {
    // 3 × 10.00 discounted to 29.99: no price p gives 3p = 2999.
    const r = buildCheque([line(1, 1_000, 3000)], { amountKopecks: 2_999, method: 'full_payment' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.items).toMatchObject([
      { ref: 1, priceKopecks: 999, quantityMilli: 2000, amountKopecks: 1_998 },
      { ref: 1, priceKopecks: 1_001, quantityMilli: 1000, amountKopecks: 1_001 },
    ]);
    assertConsistent(r.items, 2_999);
  });

  it('rounds fractional quantities half up and keeps them when discounted', () => {
    // 0.125 kg at 201.45: 25.18125 → 25.18; 1.5 m at 3.33: 4.995 → 5.00.
    expect(lineAmount(20_145, 125)).toBe(2_518);
    expect(lineAmount(333, 1500)).toBe(500);
    const lines = [line(1, 20_145, 125), line(2, 333, 1500), line(3, 15_301_01, 64)];
    const gross = lines.reduce((a, l) => a + lineAmount(l.unitPriceKopecks, l.quantityMilli), 0);
    const full = buildCheque(lines, { amountKopecks: gross, method: 'full_payment' });
    expect(full.ok && full.items.map((i) => i.quantityMilli)).toEqual([125, 1500, 64]);
    const discounted = buildCheque(lines, { amountKopecks: gross - 777, method: 'full_payment' });
    expect(discounted.ok).toBe(true);
    if (discounted.ok) assertConsistent(discounted.items, gross - 777);
  });

  it('mixes VAT rates and subjects, each written with its code', () => {
    const r = buildCheque(
      [
        line(1, 10_000, 1000, { vat: '22' }),
        line(2, 5_000, 1000, { vat: '10', subject: 'goods' }),
        line(3, 30_000, 1000, { vat: 'none', subject: 'service' }),
        line(4, 1_000, 1000, { vat: '20/120', markingCode: '0104600000000000215abc' }),
      ],
      { amountKopecks: 46_000, method: 'full_payment' },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const json = JSON.parse(chequeItemsJson(r.items)) as { items: Array<Record<string, unknown>> };
    expect(json.items.map((i) => i.tax)).toEqual(['vat22', 'vat10', 'none', 'vat120']);
    expect(json.items.map((i) => i.subjtype)).toEqual([1, 1, 4, 1]);
    expect(json.items[3]?.gs1code).toBe('0104600000000000215abc');
    expect(json.items[0]).not.toHaveProperty('gs1code');
  });

  it('refuses what cannot be a receipt, with a typed error', () => {
    expect(buildCheque([], { amountKopecks: 100, method: 'full_payment' })).toEqual({
      ok: false,
      error: { kind: 'no_lines' },
    });
    expect(buildCheque([line(1, 100, 1000)], { amountKopecks: 101, method: 'full_payment' })).toEqual({
      ok: false,
      error: { kind: 'amount_exceeds_lines', amountKopecks: 101, linesKopecks: 100 },
    });
    const bad = buildCheque([line(1, 100, 1000, { vat: '18' as never })], {
      amountKopecks: 100,
      method: 'full_payment',
    });
    expect(bad.ok === false && bad.error.kind).toBe('invalid_line');
    const zeroQty = buildCheque([line(1, 100, 0)], { amountKopecks: 100, method: 'full_payment' });
    expect(zeroQty.ok === false && zeroQty.error.kind).toBe('invalid_line');
  });

  it('always sums exactly and keeps amount = price × quantity (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            price: fc.integer({ min: 0, max: 5_000_000 }),
            qty: fc.integer({ min: 1, max: 50_000 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rows, cut) => {
          const lines = rows.map((r, i) => line(i + 1, r.price, r.qty));
          const gross = lines.reduce((a, l) => a + lineAmount(l.unitPriceKopecks, l.quantityMilli), 0);
          if (gross === 0) return;
          const amount = Math.max(1, Math.floor(gross * cut));
          const r = buildCheque(lines, { amountKopecks: amount, method: 'full_payment' });
          expect(r.ok).toBe(true);
          if (r.ok) assertConsistent(r.items, amount);
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });
});

describe('chequeForAmount and remainingItems', () => {
  const sold = buildCheque([line(1, 320_000, 1000), line(2, 45_000, 3000), line(3, 189_000, 1000)], {
    amountKopecks: 644_000,
    method: 'full_payment',
  });
  if (!sold.ok) throw new Error('fixture');

  it('refunds exactly the one item whose price is refunded', () => {
    const r = chequeForAmount(sold.items, 45_000, 'full_payment');
    expect(r.ok && r.items).toMatchObject([{ ref: 2, quantityMilli: 1000, amountKopecks: 45_000 }]);
    const line3 = chequeForAmount(sold.items, 189_000, 'full_payment');
    expect(line3.ok && line3.items).toMatchObject([{ ref: 3, amountKopecks: 189_000 }]);
  });

  it('spreads any other amount over the items and sums exactly', () => {
    const r = chequeForAmount(sold.items, 100_001, 'full_prepayment');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    assertConsistent(r.items, 100_001);
    expect(r.items.every((i) => i.method === 'full_prepayment')).toBe(true);
    expect(chequeForAmount(sold.items, 644_001, 'full_payment').ok).toBe(false);
  });

  it('leaves what earlier refunds did not return, for the next refund or the full calculation', () => {
    const first = chequeForAmount(sold.items, 45_000, 'full_payment');
    if (!first.ok) throw new Error('fixture');
    const left = remainingItems(sold.items, [first.items]);
    expect(left.map((i) => [i.ref, i.quantityMilli, i.amountKopecks])).toEqual([
      [1, 1000, 320_000],
      [2, 2000, 90_000],
      [3, 1000, 189_000],
    ]);
    expect(chequeTotal(left)).toBe(599_000);
    expect(remainingItems(sold.items, [sold.items])).toEqual([]);
  });
});

describe('codes and formats', () => {
  it('writes quantities and parses them back', () => {
    expect(formatQuantity(1000)).toBe('1');
    expect(formatQuantity(125)).toBe('0.125');
    expect(formatQuantity(2500)).toBe('2.5');
    expect(parseQuantity('0,125')).toBe(125);
    expect(parseQuantity('1.2345')).toBeNull();
  });

  it('writes prices with two decimals, exactly as ASSIST expects', () => {
    const r = buildCheque([line(1, 150_000, 1000, { name: 'Самовар "Тула"' })], {
      amountKopecks: 150_000,
      method: 'full_payment',
    });
    if (!r.ok) throw new Error('fixture');
    expect(chequeItemsJson(r.items)).toBe(
      '{"items":[{"id":1,"product":"p1","name":"Самовар \\"Тула\\"","price":1500.00,"quantity":1,"amount":1500.00,"tax":"vat22","fpmode":4,"subjtype":1}]}',
    );
    const custom = { ...DEFAULT_FISCAL_CODES, tax: { ...DEFAULT_FISCAL_CODES.tax, '22': 'vat22x' } };
    expect(chequeItemsJson(r.items, custom)).toContain('"tax":"vat22x"');
  });

  it('allocates proportionally with the odd kopecks to the largest remainders', () => {
    expect(allocate([1, 1, 1], 100)).toEqual([34, 33, 33]);
    expect(allocate([0, 5], 3)).toEqual([0, 3]);
  });

  it('allows simplified-tax merchants only their rates', () => {
    expect(rateAllowed('osn', '22')).toBe(true);
    expect(rateAllowed('usn_income', '22')).toBe(false);
    expect(rateAllowed('usn_income', '5')).toBe(true);
    expect(rateAllowed('patent', 'none')).toBe(true);
  });
});
