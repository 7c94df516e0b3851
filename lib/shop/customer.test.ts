import { describe, expect, it } from 'vitest';
import { isCp1251Safe, parseCustomer } from './customer';

const valid = {
  lastName: 'Иванов',
  firstName: 'Пётр',
  middleName: '',
  email: 'petr@example.ru',
  phone: '+7 (912) 345-67-89',
};

describe('parseCustomer', () => {
  it('accepts Cyrillic names and normalises optional fields', () => {
    const r = parseCustomer(valid);
    expect(r).toEqual({
      ok: true,
      customer: {
        lastName: 'Иванов',
        firstName: 'Пётр',
        middleName: null,
        email: 'petr@example.ru',
        phone: '+79123456789',
      },
    });
  });

  it('names each bad field with a reason', () => {
    const r = parseCustomer({ lastName: ' ', firstName: 'x'.repeat(71), email: 'nope', phone: 'call me' });
    expect(r).toEqual({
      ok: false,
      errors: { lastName: 'required', firstName: 'too_long', email: 'email', phone: 'phone' },
    });
  });

  it('refuses text windows-1251 cannot hold instead of mangling it', () => {
    for (const bad of ['Иван 😀', 'Bjørn', '王']) {
      const r = parseCustomer({ ...valid, firstName: bad });
      expect(r.ok ? null : r.errors.firstName, bad).toBe('charset');
    }
    expect(isCp1251Safe('Ёлкин — «ёж» №5')).toBe(true);
    expect(isCp1251Safe('Ив\u0000ан')).toBe(false);
    expect(isCp1251Safe('Ив\tан')).toBe(false);
  });

  it('refuses what ASSIST would strip from names and e-mail, as the payment form does', () => {
    const r = parseCustomer({ ...valid, lastName: "O'Brien", middleName: 'a(b)', email: 'a=b@example.ru' });
    expect(r).toEqual({
      ok: false,
      errors: { lastName: 'characters', middleName: 'characters', email: 'characters' },
    });
    expect(parseCustomer({ ...valid, lastName: 'Иванов-Петров' }).ok).toBe(true);
  });
});
