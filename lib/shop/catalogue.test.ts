import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { products } from '@/lib/db/schema';
import { seedCatalogue } from '@/lib/db/seed';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { loadCatalogue } from './catalogue';

describe('catalogue cache', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCatalogue(database.db);
  });
  afterAll(async () => {
    await database.close();
  });
  const db = () => database.db;

  it('reuses the rows while the products table is unchanged', async () => {
    const first = await loadCatalogue(db());
    const second = await loadCatalogue(db());
    expect(second).toBe(first);
    expect(first.list.length).toBeGreaterThan(0);
    expect(first.bySlug.get('matryoshka')?.slug).toBe('matryoshka');
  });

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
