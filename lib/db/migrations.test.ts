import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { orderItems, orders, products } from './schema';
import { createTestDatabase, type TestDatabase, testEngines } from './testing';

const engines = testEngines();

describe.each(engines)('migrations on %s', (engine) => {
  let database: TestDatabase;
  afterAll(async () => {
    await database?.close();
  });

  it('applies the migration set and round-trips rows through every table', async () => {
    database = await createTestDatabase({ engine, fresh: true });
    const { db } = database;
    const [product] = await db
      .insert(products)
      .values({ slug: 'samovar', name: 'Самовар', priceKopecks: 1_000_000_000_000, imagePath: '/p.svg' })
      .returning();
    expect(product?.priceKopecks).toBe(1_000_000_000_000);
    const [order] = await db
      .insert(orders)
      .values({
        publicId: 'pub-1',
        orderNumber: '1000',
        subtotalKopecks: 150000,
        totalKopecks: 150000,
        lastName: 'Иванов',
        firstName: 'Иван',
        email: 'ivan@example.ru',
        expiresAt: new Date('2030-01-01T00:00:00Z'),
        paymentFlags: ['double_payment'],
      })
      .returning();
    if (!order || !product) throw new Error('insert returned nothing');
    await db.insert(orderItems).values({
      orderId: order.id,
      productId: product.id,
      productSlug: product.slug,
      name: product.name,
      unitPriceKopecks: 150000,
      quantity: 1,
      lineTotalKopecks: 150000,
    });
    const found = await db.query.orders.findFirst({ where: eq(orders.publicId, 'pub-1') });
    expect(found).toMatchObject({ lastName: 'Иванов', paymentFlags: ['double_payment'], status: 'new' });
    const items = await db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
    expect(items.map((i) => i.name)).toEqual(['Самовар']);
  });

  it('enforces the constraints the app relies on', async () => {
    const { db } = database;
    await expect(
      db.insert(products).values({ slug: 'samovar', name: 'dup', priceKopecks: 1, imagePath: '/p.svg' }),
    ).rejects.toThrow();
    await expect(
      db.insert(products).values({ slug: 'neg', name: 'neg', priceKopecks: -1, imagePath: '/p.svg' }),
    ).rejects.toThrow();
  });

  it('is idempotent: migrating again changes nothing', async () => {
    await database.migrate();
    const rows = await database.db.select().from(products);
    expect(rows).toHaveLength(1);
  });
});
