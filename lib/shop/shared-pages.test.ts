import { describe, expect, it } from 'vitest';
import {
  cutAtNonce,
  isPrerender,
  isSharedPageRequest,
  newNonce,
  PRERENDER_HEADER,
  placeholderNonce,
  withNonce,
} from './shared-pages';

const url = (path: string) => new URL(path, 'http://127.0.0.1:3000');

describe('isSharedPageRequest', () => {
  it('takes the catalogue and product documents', () => {
    expect(isSharedPageRequest('GET', url('/'), new Headers())).toBe(true);
    expect(isSharedPageRequest('GET', url('/products/matryoshka'), new Headers())).toBe(true);
    expect(isSharedPageRequest('GET', url('/?sort=price'), new Headers())).toBe(true);
  });

  it('leaves other pages, actions and Next’s own fetches to the renderer', () => {
    expect(isSharedPageRequest('GET', url('/cart'), new Headers())).toBe(false);
    expect(isSharedPageRequest('GET', url('/products/a/b'), new Headers())).toBe(false);
    expect(isSharedPageRequest('POST', url('/products/matryoshka'), new Headers())).toBe(false);
    expect(isSharedPageRequest('HEAD', url('/'), new Headers())).toBe(false);
    expect(isSharedPageRequest('GET', url('/?_rsc=abc'), new Headers())).toBe(false);
    expect(isSharedPageRequest('GET', url('/'), new Headers({ rsc: '1' }))).toBe(false);
    expect(isSharedPageRequest('GET', url('/'), new Headers({ 'next-action': 'x' }))).toBe(false);
    expect(isSharedPageRequest('GET', url('/'), new Headers({ 'next-router-prefetch': '1' }))).toBe(false);
  });
});

describe('nonces', () => {
  it('puts a fresh nonce wherever the render put the placeholder', () => {
    const placeholder = placeholderNonce();
    const html = `<script nonce="${placeholder}">a</script><p>${'x'}</p><script nonce="${placeholder}" src="/b.js"></script>`;
    const page = { parts: cutAtNonce(html, placeholder), headers: {} };
    const nonce = newNonce();
    const out = withNonce(page, nonce);
    expect(out).not.toContain(placeholder);
    expect(out).toBe(
      `<script nonce="${nonce}">a</script><p>x</p><script nonce="${nonce}" src="/b.js"></script>`,
    );
    expect(withNonce(page, newNonce())).not.toBe(out);
  });

  it('makes a different unguessable nonce each time', () => {
    const seen = new Set(Array.from({ length: 100 }, newNonce));
    expect(seen.size).toBe(100);
    expect(newNonce()).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
  });

  it('renders with the placeholder only for the proxy’s own request', () => {
    expect(isPrerender(new Headers())).toBe(false);
    expect(isPrerender(new Headers({ [PRERENDER_HEADER]: placeholderNonce() }))).toBe(false);
    expect(isPrerender(new Headers({ [PRERENDER_HEADER]: 'guess' }))).toBe(false);
  });
});
