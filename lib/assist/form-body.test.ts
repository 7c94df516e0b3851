import { describe, expect, it } from 'vitest';
import { decodeFormBody } from './form-body';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('decodeFormBody', () => {
  it('reads windows-1251 by the declared charset, keeping field names', () => {
    // "Заказ-1" in windows-1251.
    const body = bytes('Shop_IDP=111111&OrderNumber=%C7%E0%EA%E0%E7-1&Status=Authorized');
    const f = decodeFormBody(body, 'application/x-www-form-urlencoded; charset=windows-1251');
    expect(f.get('OrderNumber')).toBe('Заказ-1');
    expect(f.get('Shop_IDP')).toBe('111111');
    expect(decodeFormBody(body, 'application/x-www-form-urlencoded', 'windows-1251').get('OrderNumber')).toBe(
      'Заказ-1',
    );
    expect(decodeFormBody(bytes('_charset_=windows-1251&a=%C7'), null).get('a')).toBe('З');
  });

  it('reads UTF-8 as URLSearchParams does', () => {
    const body = bytes('ordernumber=%D0%97%D0%B0%D0%BA%D0%B0%D0%B7+1&x=a%26b&empty=&flag');
    const f = decodeFormBody(body, 'application/x-www-form-urlencoded; charset=UTF-8', 'windows-1251');
    expect([...f]).toEqual([
      ...new URLSearchParams('ordernumber=%D0%97%D0%B0%D0%BA%D0%B0%D0%B7+1&x=a%26b&empty=&flag'),
    ]);
    expect(decodeFormBody(body, null).get('ordernumber')).toBe('Заказ 1');
  });
});
