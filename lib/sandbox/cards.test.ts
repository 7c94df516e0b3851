import { describe, expect, it } from 'vitest';
import { checkCard, maskCardNumber, TEST_CARDS } from './cards';

const now = new Date('2026-11-27T12:00:00Z');
const card = { number: '4111 1111 1111 1111', expiry: '12/30', cvc: '123', holder: ' ivan  ivanov ' };

describe('test cards', () => {
  it('approves 4111 1111 1111 1111 and returns only a mask', () => {
    expect(checkCard(card, now, null)).toEqual({
      ok: true,
      responseCode: 'AS000',
      mask: '411111****1111',
      brand: 'VISA',
      holder: 'ivan ivanov',
    });
  });
  it('declines each table number with its code', () => {
    for (const c of TEST_CARDS) {
      const r = checkCard({ ...card, number: c.number }, now, null);
      expect(r.ok && r.responseCode).toBe(c.responseCode);
    }
  });
  it('refuses numbers outside the table, bad expiry text and a missing holder without deciding', () => {
    expect(checkCard({ ...card, number: '5555555555554444' }, now, null)).toMatchObject({
      ok: false,
      error: 'not_test_card',
    });
    expect(checkCard({ ...card, expiry: '13/30' }, now, null)).toMatchObject({
      ok: false,
      error: 'bad_expiry',
    });
    expect(checkCard({ ...card, holder: ' ' }, now, null)).toMatchObject({ ok: false, error: 'no_holder' });
  });
  it('declines an expired card (valid through its month) and a CVC that is not 3 digits', () => {
    expect(checkCard({ ...card, expiry: '10/26' }, now, null)).toMatchObject({ responseCode: 'AS104' });
    expect(checkCard({ ...card, expiry: '11/26' }, now, null)).toMatchObject({ responseCode: 'AS000' });
    expect(checkCard({ ...card, cvc: '12' }, now, null)).toMatchObject({ responseCode: 'AS107' });
  });
  it('lets DemoResult force the outcome of an acceptable card', () => {
    expect(checkCard(card, now, 'AS102')).toMatchObject({ responseCode: 'AS102' });
  });
  it('masks as 6 + **** + 4', () => {
    expect(maskCardNumber('2200000000000004')).toBe('220000****0004');
  });
});
