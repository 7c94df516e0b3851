import { describe, expect, it } from 'vitest';
import { languageHref } from './language-link';

describe('languageHref', () => {
  it('passes the current page, query included', () => {
    expect(languageHref('en', '/products/samovar')).toBe('/lang/en?next=%2Fproducts%2Fsamovar');
    expect(languageHref('ru', '/orders/abc/return?result=no')).toBe(
      '/lang/ru?next=%2Forders%2Fabc%2Freturn%3Fresult%3Dno',
    );
  });

  it('falls back to the catalogue for anything that is not a same-site path', () => {
    expect(languageHref('en', '/')).toBe('/lang/en');
    expect(languageHref('en', null)).toBe('/lang/en');
    expect(languageHref('en', '//evil.example/x')).toBe('/lang/en');
    expect(languageHref('en', 'https://evil.example/')).toBe('/lang/en');
  });
});
