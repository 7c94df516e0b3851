import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseBillNumber, compareBillNumbers, isBillNumber, isExtendedBillNumber } from './billnumber';

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

  it('reads leading zeros as BigInt does', () => {
    // Up to 13 digits and 7 zeros: within the 20 digits a billnumber may have.
    const padded = (n: bigint, zeros: number) => '0'.repeat(zeros) + n.toString();
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.nat(7),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.nat(7),
        (a, za, b, zb) => {
          expect(compareBillNumbers(padded(a, za), padded(b, zb))).toBe(a < b ? -1 : a > b ? 1 : 0);
        },
      ),
    );
    expect(compareBillNumbers('0000', '0')).toBe(0);
    expect(compareBillNumbers('010', '9')).toBe(1);
  });

  it('takes the bill part of an extended billnumber', () => {
    expect(baseBillNumber('5960911012345678.2')).toBe('5960911012345678');
    expect(baseBillNumber('5960911012345678')).toBe('5960911012345678');
  });

  it('accepts a bill number (documented 15–16 digits, up to 20) and nothing else', () => {
    for (const ok of ['5960911012345678', '596091101234567', '1', '9'.repeat(20)])
      expect(isBillNumber(ok), ok).toBe(true);
    for (const bad of ['', '9'.repeat(21), '5960911012345678.2', '-1', ' 1', '1 ', '1e5', '１２', '12\n'])
      expect(isBillNumber(bad), bad).toBe(false);
  });

  it('tells an extended billnumber of an operation apart from a bill number', () => {
    expect(isExtendedBillNumber('5960911012345678.2')).toBe(true);
    expect(isExtendedBillNumber('5960911012345678.12345')).toBe(true);
    for (const bad of [
      '5960911012345678',
      '5960911012345678.',
      '.2',
      '5960911012345678.2.1',
      '5960911012345678.123456',
    ])
      expect(isExtendedBillNumber(bad), bad).toBe(false);
  });
});
