import { describe, expect, it } from 'vitest';
import {
  checkvalue,
  checkvaluesEqual,
  formCheckvalueInput,
  legacyCheckvalue,
  replyCheckvalueInput,
  verifyReplyCheckvalue,
} from './checkvalue';

describe('checkvalue', () => {
  it('matches the form test vector from docs/assist-protocol.md §3', () => {
    expect(checkvalue('secret', '111111;100;100.0')).toBe('DBE8D1AB4F19A27D161999DC53293881');
    const x = formCheckvalueInput({
      merchantId: '111111',
      orderNumber: '100',
      orderAmount: '100.00',
      orderCurrency: 'RUB',
    });
    expect(x).toBe('111111;100;100.00;RUB');
  });

  it('matches the reply test vector from docs/assist-protocol.md §3', () => {
    const x = replyCheckvalueInput({
      merchantId: '111111',
      orderNumber: 'ok',
      amount: '4.00',
      currency: 'RUB',
      orderState: 'Canceled',
    });
    expect(checkvalue('secret', x)).toBe('74DEB154081757F1E8097DDFAC35FC5C');
  });

  it('distinguishes 100.0 from 100.00 (values are signed exactly as sent)', () => {
    expect(checkvalue('secret', '111111;100;100.00')).not.toBe(checkvalue('secret', '111111;100;100.0'));
  });

  it('builds the legacy notification checkvalue from the documented concatenation', () => {
    const v = legacyCheckvalue('secret', { shopIdp: '1', orderNumber: '2', total: '3.00', currency: 'RUR' });
    expect(v).toMatch(/^[0-9A-F]{32}$/);
    expect(v).not.toBe(
      legacyCheckvalue('other', { shopIdp: '1', orderNumber: '2', total: '3.00', currency: 'RUR' }),
    );
  });

  it('compares case-insensitively and rejects different or shorter values', () => {
    const v = checkvalue('secret', 'x');
    expect(checkvaluesEqual(v, v.toLowerCase())).toBe(true);
    expect(checkvaluesEqual(v, v.slice(0, -1))).toBe(false);
    expect(checkvaluesEqual(v, `${v.slice(0, -1)}${v.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(checkvaluesEqual(v, '')).toBe(false);
  });

  it('verifies a reply against either amount variant', () => {
    const given = '74DEB154081757F1E8097DDFAC35FC5C';
    const base = { merchantId: '111111', orderNumber: 'ok', orderState: 'Canceled' };
    const order = { amount: '4.00', currency: 'RUB' };
    const operation = { amount: '0.05', currency: 'USD' };
    expect(verifyReplyCheckvalue('secret', given, { ...base, amounts: [operation, order] })).toBe(true);
    expect(verifyReplyCheckvalue('secret', given, { ...base, amounts: [order, operation] })).toBe(true);
    expect(verifyReplyCheckvalue('secret', given, { ...base, amounts: [operation] })).toBe(false);
    expect(
      verifyReplyCheckvalue('secret', given, { ...base, orderState: 'Approved', amounts: [order] }),
    ).toBe(false);
    expect(
      verifyReplyCheckvalue('secret', given, { ...base, amounts: [{ amount: undefined, currency: 'RUB' }] }),
    ).toBe(false);
  });
});
