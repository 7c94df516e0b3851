import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseUrlEncoded } from './urlencoded';

const percentEncode = (bytes: Buffer) =>
  [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

describe('parseUrlEncoded', () => {
  it('decodes UTF-8 by default, with + as space and lower-cased names', () => {
    const r = parseUrlEncoded(
      Buffer.from('OrderNumber=A+1&OrderComment=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82'),
    );
    expect(r.ok && Object.fromEntries(r.fields)).toEqual({ ordernumber: 'A 1', ordercomment: 'Привет' });
  });

  it('decodes percent-escaped windows-1251 bytes when _charset_ says so', () => {
    const body = `_charset_=windows-1251&OrderComment=${percentEncode(iconv.encode('Ёлка №5', 'win1251'))}`;
    const r = parseUrlEncoded(Buffer.from(body));
    expect(r.ok && r.charset).toBe('win1251');
    expect(r.ok && r.fields.get('ordercomment')).toBe('Ёлка №5');
  });

  it('falls back to the Content-Type charset', () => {
    const body = `c=${percentEncode(iconv.encode('Жук', 'win1251'))}`;
    const r = parseUrlEncoded(Buffer.from(body), 'application/x-www-form-urlencoded; charset=windows-1251');
    expect(r.ok && r.fields.get('c')).toBe('Жук');
  });

  it('keeps malformed escapes literally, keeps the first of repeated fields, skips empty pairs', () => {
    const r = parseUrlEncoded(Buffer.from('a=%ZZ%4&&a=2&b'));
    expect(r.ok && Object.fromEntries(r.fields)).toEqual({ a: '%ZZ%4', b: '' });
  });

  it('refuses a charset it cannot decode', () => {
    expect(parseUrlEncoded(Buffer.from('_charset_=x-klingon&a=1')).ok).toBe(false);
  });
});
