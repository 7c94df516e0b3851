import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseBillNumber, compareBillNumbers } from './billnumber';

describe('billnumbers', () => {
  it('orders numerically, not as strings', () => {
    expect(compareBillNumbers('999999999999999', '1000000000000000')).toBe(-1);
    expect(compareBillNumbers('1000000000000000', '999999999999999')).toBe(1);
    expect(compareBillNumbers('5960911012345678', '5960911012345678')).toBe(0);
  });

  it('agrees with BigInt ordering for any pair', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 17n }),
        fc.bigInt({ min: 0n, max: 10n ** 17n }),
        (a, b) => {
          expect(compareBillNumbers(a.toString(), b.toString())).toBe(a < b ? -1 : a > b ? 1 : 0);
        },
      ),
    );
  });

  it('takes the bill part of an extended billnumber', () => {
    expect(baseBillNumber('5960911012345678.2')).toBe('5960911012345678');
    expect(baseBillNumber('5960911012345678')).toBe('5960911012345678');
  });
});
