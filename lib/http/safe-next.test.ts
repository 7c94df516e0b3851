import { describe, expect, it } from 'vitest';
import { sameOriginPath } from './safe-next';

describe('sameOriginPath', () => {
  it('keeps same-origin paths, normalised', () => {
    expect(sameOriginPath('/cart?x=1#top', '/')).toBe('/cart?x=1#top');
    expect(sameOriginPath('/products/a/../b', '/')).toBe('/products/b');
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    '/%5Cevil.example'.replace('%5C', '\\'),
    '/\t/evil.example',
    '/\n/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '/ok\r\nSet-Cookie: x=1',
    '/ok\u2028x',
    '',
  ])('refuses %j', (next) => {
    expect(sameOriginPath(next, '/')).toBe('/');
  });

  it('keeps an admin next inside /admin after normalising dot segments', () => {
    expect(sameOriginPath('/admin/bills?status=paid', '/admin', '/admin')).toBe('/admin/bills?status=paid');
    expect(sameOriginPath('/admin/../lang/en?next=/%5Cevil.example', '/admin', '/admin')).toBe('/admin');
    expect(sameOriginPath('/admin/%2e%2e/lang/en', '/admin', '/admin')).toBe('/admin');
    expect(sameOriginPath('/administrator', '/admin', '/admin')).toBe('/admin');
  });
});
