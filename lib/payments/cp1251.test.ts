import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodeHtmlWindows1251 } from './cp1251';

describe('encodeHtmlWindows1251', () => {
  it('writes Cyrillic as single windows-1251 bytes', () => {
    const bytes = encodeHtmlWindows1251('Заказ №1 — ёЁ');
    expect(Array.from(bytes)).toEqual([
      0xc7, 0xe0, 0xea, 0xe0, 0xe7, 0x20, 0xb9, 0x31, 0x20, 0x97, 0x20, 0xb8, 0xa8,
    ]);
  });

  it('keeps characters windows-1251 cannot hold as character references instead of "?"', () => {
    const bytes = encodeHtmlWindows1251('Bjørn 😀 王');
    expect(iconv.decode(Buffer.from(bytes), 'win1251')).toBe('Bj&#248;rn &#128512; &#29579;');
  });

  it('carries a ChequeItems value: Cyrillic and «» as their own bytes, the rest as references', () => {
    const json = '{"items":[{"id":1,"name":"Самовар «Тула» ✓","price":1500.00}]}';
    const bytes = encodeHtmlWindows1251(
      `<input name="ChequeItems" value="${json.replaceAll('"', '&quot;')}">`,
    );
    expect(Buffer.from(bytes).includes(iconv.encode('Самовар «Тула»', 'win1251'))).toBe(true);
    const back = iconv.decode(Buffer.from(bytes), 'win1251');
    expect(back).toContain('&#10003;');
    // What a browser decodes from the page and posts as UTF-8 is the JSON the shop built.
    expect(back.replaceAll('&quot;', '"').replace('&#10003;', '✓')).toContain(json);
  });
});
