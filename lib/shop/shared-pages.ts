import 'server-only';
import { LruCache } from '@/lib/cache/lru';
import { getDb } from '@/lib/db/client';
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from '@/lib/i18n';
import { logEvent } from '@/lib/log';
import { cartItemCount, isCartId } from './cart';
import { CART_COOKIE } from './cart-cookie';
import { catalogueVersion } from './catalogue';

/**
 * The catalogue and product pages are the same for every visitor with the same language and cart item
 * count while the catalogue is unchanged, yet Next renders them on every request (the CSP nonce keeps
 * them dynamic). So the proxy keeps each such page's HTML, rendered once with a placeholder nonce, and
 * answers with a fresh nonce put in its place: every response still carries its own unguessable nonce
 * (docs/adr/0007-shared-page-html.md). Each request still asks the database for the catalogue version
 * (and the cart's item count when there is a cart), so a product changed by any process shows at once;
 * on PGlite the version only when the write counter moved (lib/shop/catalogue.ts).
 */

export const PRERENDER_HEADER = 'x-storefront-prerender';

export function newNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString('base64');
}

/** Per process: the nonce pages are rendered with for the cache, and the key of those renders. */
const PLACEHOLDER = newNonce();
const SECRET = crypto.randomUUID();

/** Whether this request is the proxy's own render of a shared page (render it with the placeholder). */
export function isPrerender(headers: Headers): boolean {
  return headers.get(PRERENDER_HEADER) === SECRET;
}

export function placeholderNonce(): string {
  return PLACEHOLDER;
}

/** `/` and `/products/<slug>`, asked for as a document (not Next's own RSC fetches, not an action). */
export function isSharedPageRequest(method: string, url: URL, headers: Headers): boolean {
  if (method !== 'GET') return false;
  if (url.pathname !== '/' && !/^\/products\/[^/]+$/.test(url.pathname)) return false;
  if (url.searchParams.has('_rsc')) return false;
  return !['rsc', 'next-action', 'next-router-state-tree', 'next-router-prefetch'].some((h) =>
    headers.has(h),
  );
}

/** The page's HTML cut at the placeholder nonce, and the response headers worth repeating. */
export type SharedPage = { parts: readonly string[]; headers: Readonly<Record<string, string>> };

export function cutAtNonce(html: string, placeholder: string): readonly string[] {
  return html.split(placeholder);
}

/** The page's HTML with `nonce` wherever the render put the placeholder. */
export function withNonce(page: SharedPage, nonce: string): string {
  return page.parts.join(nonce);
}

const KEPT_HEADERS = ['content-type', 'cache-control', 'vary', 'link'];

type Visitor = { locale: string; cartId: string | undefined; path: string };

function visitorOf(url: URL, cookie: (name: string) => string | undefined): Visitor {
  const lang = cookie(LOCALE_COOKIE);
  const cart = cookie(CART_COOKIE);
  return {
    locale: isLocale(lang) ? lang : DEFAULT_LOCALE,
    cartId: isCartId(cart) ? cart : undefined,
    path: url.pathname + url.search,
  };
}

/** What a shared page's HTML depends on besides the visitor's language and path. */
async function state(cartId: string | undefined): Promise<{ version: string; items: number }> {
  const db = await getDb();
  const version = await catalogueVersion(db);
  return { version, items: cartId ? await cartItemCount(db, cartId) : 0 };
}

/** Pages of the current catalogue version only; `null` marks a page that is not kept (a 404). */
let pages = { version: '', entries: new LruCache<string, SharedPage | null>(500) };
const filling = new Set<string>();
// A burst of distinct paths (made-up query strings) must not double the server's rendering: a few
// renders for the cache at a time, the rest of the misses just render as usual.
const MAX_FILLING = 4;
let failures = 0;
const MAX_FAILURES = 3;

/**
 * The shared page for this request, or undefined when it must be rendered as usual: then a render for
 * the cache is started beside it, so the next visitor like this one gets the kept page.
 */
export async function sharedPage(
  url: URL,
  cookie: (name: string) => string | undefined,
): Promise<SharedPage | undefined> {
  const origin = failures < MAX_FAILURES ? selfOrigin() : undefined;
  if (!origin) return undefined;
  const visitor = visitorOf(url, cookie);
  const { version, items } = await state(visitor.cartId);
  if (pages.version !== version) pages = { version, entries: new LruCache(500) };
  const key = `${visitor.locale}\n${items}\n${visitor.path}`;
  const kept = pages.entries.get(key);
  if (kept !== undefined) return kept ?? undefined;
  const job = `${version}\n${key}`;
  if (!filling.has(job) && filling.size < MAX_FILLING) {
    filling.add(job);
    fill(origin, visitor, { version, items }, key)
      .then(() => {
        failures = 0;
      })
      .catch((error: unknown) => {
        // After a few in a row (the server cannot reach itself at that address) pages render as before.
        failures++;
        logEvent('shared_page_fill_failed', { origin, error, off: failures >= MAX_FAILURES }, 'error');
      })
      .finally(() => filling.delete(job));
  }
  return undefined;
}

async function fill(
  origin: string,
  visitor: Visitor,
  before: { version: string; items: number },
  key: string,
): Promise<void> {
  const cookies = [`${LOCALE_COOKIE}=${visitor.locale}`];
  if (visitor.cartId) cookies.push(`${CART_COOKIE}=${visitor.cartId}`);
  const response = await fetch(new URL(visitor.path, origin), {
    headers: { cookie: cookies.join('; '), [PRERENDER_HEADER]: SECRET },
    redirect: 'manual',
    cache: 'no-store',
    signal: AbortSignal.timeout(30_000),
  });
  const html = await response.text();
  // A page from another server (an address that is not this process) would carry its own nonce.
  const ours = response.headers.get('content-security-policy')?.includes(`'nonce-${PLACEHOLDER}'`) ?? false;
  if (response.status !== 200 || !ours) {
    if (!ours) logEvent('shared_page_not_ours', { path: visitor.path, status: response.status }, 'warn');
    if (pages.version === before.version) pages.entries.set(key, null);
    return;
  }
  // Kept only if nothing it shows moved while it was rendered; otherwise the next request renders again.
  const after = await state(visitor.cartId);
  if (after.version !== before.version || after.items !== before.items) return;
  if (pages.version !== before.version) return;
  const headers = Object.fromEntries(
    KEPT_HEADERS.flatMap((name) => {
      const value = response.headers.get(name);
      return value === null ? [] : [[name, value]];
    }),
  );
  pages.entries.set(key, { parts: cutAtNonce(html, PLACEHOLDER), headers });
}

/**
 * This server's own address, to render a page for the cache: the port it listens on (`next start` and
 * `npm start` both set PORT) on loopback, or on HOSTNAME when it binds one address. None on Vercel,
 * where an instance serves one request at a time and a request to itself would wait on itself.
 */
function selfOrigin(): string | undefined {
  const port = process.env.PORT;
  if (process.env.VERCEL || !port) return undefined;
  const bound = process.env.HOSTNAME;
  const host = !bound || bound === '0.0.0.0' || bound === '::' ? '127.0.0.1' : bound;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
