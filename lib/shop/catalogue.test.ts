import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { products } from '@/lib/db/schema';
import { seedCatalogue } from '@/lib/db/seed';
import { createTestDatabase, type TestDatabase, testServerUrl } from '@/lib/db/testing';
import { useTestDatabase } from '@/lib/testing/hooks';
import { addToCart, newCartId } from './cart';
import { loadCatalogue } from './catalogue';
import { PRERENDER_HEADER, placeholderNonce, sharedPage, withNonce } from './shared-pages';

describe('catalogue cache', () => {
  const database = useTestDatabase();
  beforeAll(async () => {
    await seedCatalogue(database.db);
  });
  const db = () => database.db;

  it('reuses the rows while the products table is unchanged', async () => {
    const first = await loadCatalogue(db());
    const second = await loadCatalogue(db());
    expect(second).toBe(first);
    expect(first.list.length).toBeGreaterThan(0);
    expect(first.bySlug.get('matryoshka')?.slug).toBe('matryoshka');
  });

  // PostgreSQL has other writers and no write counter: there the version is asked on every read.
  it.skipIf(testServerUrl() !== undefined)(
    'asks the embedded database nothing while its write counter stands',
    async () => {
      await loadCatalogue(db());
      const client = (db() as unknown as { $client: { query: () => unknown } }).$client;
      const query = vi.spyOn(client, 'query');
      try {
        await loadCatalogue(db());
        await loadCatalogue(db());
        expect(query).not.toHaveBeenCalled();
      } finally {
        query.mockRestore();
      }
    },
  );

  it('shows a price change on the next read', async () => {
    const before = await loadCatalogue(db());
    await db().update(products).set({ priceKopecks: 12_345 }).where(eq(products.slug, 'matryoshka'));
    const after = await loadCatalogue(db());
    expect(after).not.toBe(before);
    expect(after.bySlug.get('matryoshka')?.priceKopecks).toBe(12_345);
  });

  it('drops a deactivated product and shows a new one on the next read', async () => {
    await loadCatalogue(db());
    await db().update(products).set({ active: false }).where(eq(products.slug, 'ivan-chai'));
    const hidden = await loadCatalogue(db());
    expect(hidden.bySlug.has('ivan-chai')).toBe(false);
    expect(hidden.list.some((p) => p.slug === 'ivan-chai')).toBe(false);

    await db()
      .insert(products)
      .values({ slug: 'novinka', name: 'Новинка', priceKopecks: 100, imagePath: '/products/x.svg' });
    const added = await loadCatalogue(db());
    expect(added.bySlug.get('novinka')?.name).toBe('Новинка');
  });

  it('shows a deleted product gone and the seed refreshing the rows', async () => {
    await loadCatalogue(db());
    await db().delete(products).where(eq(products.slug, 'novinka'));
    expect((await loadCatalogue(db())).bySlug.has('novinka')).toBe(false);

    await seedCatalogue(db());
    const reseeded = await loadCatalogue(db());
    expect(reseeded.bySlug.get('matryoshka')?.priceKopecks).not.toBe(12_345);
  });
});

describe('shared catalogue and product pages', () => {
  let database: TestDatabase;
  const shared = globalThis as typeof globalThis & { __assistStorefrontDb?: Promise<unknown> };
  const port = process.env.PORT;
  // Stands in for the server rendering a page for the proxy: the page names its path and the cookies.
  const render = vi.fn(async (url: URL | string, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const html = `<p>${String(url)} ${headers.get('cookie')}</p><script nonce="${placeholderNonce()}"></script>`;
    return new Response(html, {
      status: String(url).includes('missing') ? 404 : 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `script-src 'self' 'nonce-${placeholderNonce()}' 'strict-dynamic'`,
      },
    });
  });
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCatalogue(database.db);
    shared.__assistStorefrontDb = Promise.resolve(database);
    process.env.PORT = '3599';
    vi.stubGlobal('fetch', render);
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    // Assigning undefined would store the string 'undefined' for the next file in this worker.
    if (port === undefined) delete process.env.PORT;
    else process.env.PORT = port;
    shared.__assistStorefrontDb = undefined;
    await database.close();
  });
  const url = (path: string) => new URL(path, 'http://127.0.0.1:3599');
  const cookies =
    (jar: Record<string, string>) =>
    (name: string): string | undefined =>
      jar[name];

  /** The page as the proxy would answer it, once its render for the cache has landed. */
  async function kept(path: string, jar: Record<string, string> = {}) {
    let page: Awaited<ReturnType<typeof sharedPage>>;
    await vi.waitFor(async () => {
      page = await sharedPage(url(path), cookies(jar));
      expect(page).toBeDefined();
    });
    return page;
  }

  it('renders a page once for the cache, then answers from it with whatever nonce it is given', async () => {
    render.mockClear();
    expect(await sharedPage(url('/'), cookies({}))).toBeUndefined();
    const page = await kept('/');
    expect(render).toHaveBeenCalledTimes(1);
    const [target, init] = render.mock.calls[0] ?? [];
    expect(String(target)).toBe('http://127.0.0.1:3599/');
    const sent = new Headers(init?.headers);
    expect(sent.get(PRERENDER_HEADER)).toBeTruthy();
    expect(sent.get('cookie')).toBe('lang=ru');
    const html = withNonce(page ?? { parts: [], headers: {} }, 'fresh');
    expect(html).toContain('<script nonce="fresh">');
    expect(html).not.toContain(placeholderNonce());
    await sharedPage(url('/'), cookies({}));
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('renders again after a product changes', async () => {
    await kept('/products/matryoshka');
    render.mockClear();
    await database.db.update(products).set({ priceKopecks: 54_321 }).where(eq(products.slug, 'matryoshka'));
    expect(await sharedPage(url('/products/matryoshka'), cookies({}))).toBeUndefined();
    await kept('/products/matryoshka');
    expect(render).toHaveBeenCalledTimes(1);
  });

  it('keeps pages apart by language, cart item count and query', async () => {
    const russian = withNonce((await kept('/')) ?? { parts: [], headers: {} }, 'n');
    const english = withNonce((await kept('/', { lang: 'en' })) ?? { parts: [], headers: {} }, 'n');
    expect(russian).toContain('lang=ru');
    expect(english).toContain('lang=en');
    const cart = newCartId();
    await addToCart(database.db, cart, 'samovar');
    render.mockClear();
    expect(await sharedPage(url('/'), cookies({ cart }))).toBeUndefined();
    expect(withNonce((await kept('/', { cart })) ?? { parts: [], headers: {} }, 'n')).toContain(
      `cart=${cart}`,
    );
    // Another visitor with one item gets the same page; the count moving gives another.
    const other = newCartId();
    await addToCart(database.db, other, 'matryoshka');
    expect(await sharedPage(url('/'), cookies({ cart: other }))).toBeDefined();
    await addToCart(database.db, other, 'matryoshka');
    expect(await sharedPage(url('/'), cookies({ cart: other }))).toBeUndefined();
    expect(await sharedPage(url('/?page=2'), cookies({}))).toBeUndefined();
  });

  it('does not keep a page that is not found, or one rendered without the placeholder nonce', async () => {
    render.mockClear();
    expect(await sharedPage(url('/products/missing'), cookies({}))).toBeUndefined();
    await vi.waitFor(() => expect(render).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sharedPage(url('/products/missing'), cookies({}))).toBeUndefined();
    expect(render).toHaveBeenCalledTimes(1);
    render.mockImplementationOnce(
      async () => new Response('<script nonce="someone-else"></script>', { status: 200 }),
    );
    expect(await sharedPage(url('/products/samovar'), cookies({}))).toBeUndefined();
    await vi.waitFor(() => expect(render).toHaveBeenCalledTimes(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sharedPage(url('/products/samovar'), cookies({}))).toBeUndefined();
  });
});
