import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cartItems, orderItems, orders, products } from '@/lib/db/schema';
import { seedCatalogue } from '@/lib/db/seed';
import { writeGeneration } from '@/lib/db/write-generation';
import { useTestDatabase } from '@/lib/testing/hooks';
import { addToCart, newCartId, readCart, setCartQuantity } from './cart';
import type { Customer } from './customer';
import {
  createOrderFromCart,
  findOrderByPublicId,
  findOrderRowByPublicId,
  isPublicId,
  type OrderSettings,
  payability,
} from './orders';

const customer: Customer = {
  lastName: 'Иванова',
  firstName: 'Анна',
  middleName: null,
  email: 'anna@example.ru',
  phone: null,
};
const settings: OrderSettings = { twoStageDefault: false, expiryMinutes: 60, language: 'ru' };

describe('cart and orders', () => {
  const database = useTestDatabase();
  beforeAll(async () => {
    await seedCatalogue(database.db);
  });

  it('adds, merges, changes and removes cart lines priced from the catalogue', async () => {
    const { db } = database;
    const cart = newCartId();
    expect(await addToCart(db, cart, 'samovar')).toEqual({ ok: true });
    expect(await addToCart(db, cart, 'samovar', 2)).toEqual({ ok: true });
    expect(await addToCart(db, cart, 'no-such-product')).toEqual({ ok: false, error: 'unknown_product' });
    expect(await addToCart(db, cart, 'samovar', 0)).toEqual({ ok: false, error: 'bad_quantity' });
    let read = await readCart(db, cart);
    expect(read.lines.map((l) => [l.slug, l.quantity])).toEqual([['samovar', 3]]);
    expect(read.totals?.totalKopecks).toBe(3 * 1_850_000);
    const id = read.lines[0]?.productId ?? 0;
    expect(await setCartQuantity(db, cart, id, 1000)).toEqual({ ok: false, error: 'bad_quantity' });
    await setCartQuantity(db, cart, id, 0);
    read = await readCart(db, cart);
    expect(read).toEqual({ lines: [], totals: null });
  });

  it('places an order with server-side prices, snapshots the items and empties the cart', async () => {
    const { db } = database;
    const cart = newCartId();
    await addToCart(db, cart, 'med-altay', 3);
    await addToCart(db, cart, 'ivan-chai', 1);
    const result = await createOrderFromCart(db, cart, customer, settings);
    if (!result.ok) throw new Error(result.error);
    const { order } = result;
    expect(order.totalKopecks).toBe(3 * 75_050 + 39_900);
    expect(order.twoStage).toBe(false);
    expect(order.orderNumber).toMatch(/^\d+$/);
    expect(isPublicId(order.publicId)).toBe(true);
    expect(order.expiresAt.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(await db.select().from(cartItems).where(eq(cartItems.cartId, cart))).toEqual([]);

    // A later price change must not touch the placed order.
    await db.update(products).set({ priceKopecks: 1 }).where(eq(products.slug, 'med-altay'));
    const found = await findOrderByPublicId(db, order.publicId);
    expect(found?.items.map((i) => [i.productSlug, i.unitPriceKopecks, i.quantity])).toEqual([
      ['med-altay', 75_050, 3],
      ['ivan-chai', 39_900, 1],
    ]);
  });

  it('pays two-stage when any product is made to order, and numbers orders uniquely', async () => {
    const { db } = database;
    const a = newCartId();
    await addToCart(db, a, 'gusli');
    await addToCart(db, a, 'lozhka-hohloma');
    const b = newCartId();
    await addToCart(db, b, 'lozhka-hohloma');
    const [ra, rb] = await Promise.all([
      createOrderFromCart(db, a, customer, settings),
      createOrderFromCart(db, b, customer, { ...settings, orderNumberPrefix: 'T-' }),
    ]);
    if (!ra.ok || !rb.ok) throw new Error('order failed');
    expect(ra.order.twoStage).toBe(true);
    expect(rb.order.twoStage).toBe(false);
    expect(rb.order.orderNumber).toMatch(/^T-\d+$/);
    expect(ra.order.orderNumber).not.toBe(rb.order.orderNumber.slice(2));
  });

  it('numbers orders without gaps: a checkout that fails gives its number back', async () => {
    const { db } = database;
    const place = async () => {
      const cart = newCartId();
      await addToCart(db, cart, 'ivan-chai');
      const r = await createOrderFromCart(db, cart, customer, settings);
      if (!r.ok) throw new Error(r.error);
      return Number(r.order.orderNumber);
    };
    const first = await place();
    const failing = newCartId();
    await addToCart(db, failing, 'ivan-chai');
    // A missing last name fails the insert after the number was taken: the transaction rolls back.
    await expect(
      createOrderFromCart(db, failing, { ...customer, lastName: null as unknown as string }, settings),
    ).rejects.toThrow();
    expect(await place()).toBe(first + 1);
    const concurrent = await Promise.all([place(), place(), place()]);
    expect(concurrent.sort((a, b) => a - b)).toEqual([first + 2, first + 3, first + 4]);
  });

  it('an existing shop continues from the old sequence', async () => {
    const { db } = database;
    await db.execute(sql`delete from counters`);
    await db.execute(sql`select setval('order_number_seq', 4999)`);
    const cart = newCartId();
    await addToCart(db, cart, 'ivan-chai');
    const r = await createOrderFromCart(db, cart, customer, settings);
    expect(r.ok && r.order.orderNumber).toBe('5000');
  });

  it('refuses an empty cart and creates nothing', async () => {
    const { db } = database;
    const before = (await db.select().from(orders)).length;
    expect(await createOrderFromCart(db, newCartId(), customer, settings)).toEqual({
      ok: false,
      error: 'empty_cart',
    });
    expect((await db.select().from(orders)).length).toBe(before);
    expect((await db.select().from(orderItems)).length).toBeGreaterThan(0);
  });

  it('moves the embedded database write counter on every order write, not on reads (the /pay page relies on it)', async () => {
    const { db } = database;
    const cart = newCartId();
    await addToCart(db, cart, 'samovar');
    const before = writeGeneration(db);
    if (database.kind === 'postgres') {
      expect(before).toBeUndefined();
      return;
    }
    const placed = await createOrderFromCart(db, cart, customer, settings);
    if (!placed.ok) throw new Error(placed.error);
    const afterPlacing = writeGeneration(db) ?? Number.NaN;
    expect(afterPlacing).toBeGreaterThan(before ?? Number.NaN);
    expect(await findOrderRowByPublicId(db, placed.order.publicId)).toBeDefined();
    expect(writeGeneration(db)).toBe(afterPlacing);
    await db.update(orders).set({ paymentStatus: 'paid' }).where(eq(orders.id, placed.order.id));
    expect(writeGeneration(db)).toBeGreaterThan(afterPlacing);
  });

  it('does not find orders by malformed or unknown public ids', async () => {
    expect(await findOrderByPublicId(database.db, '1')).toBeUndefined();
    expect(await findOrderByPublicId(database.db, 'A'.repeat(22))).toBeUndefined();
  });
});

describe('payability', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const later = new Date('2026-01-01T13:00:00Z');
  it('allows paying an open order until it expires, never after money moved', () => {
    expect(payability({ status: 'new', paymentStatus: 'unpaid', expiresAt: later }, now)).toBe('payable');
    expect(payability({ status: 'new', paymentStatus: 'declined', expiresAt: later }, now)).toBe('payable');
    expect(payability({ status: 'new', paymentStatus: 'unpaid', expiresAt: now }, now)).toBe('expired');
    expect(payability({ status: 'new', paymentStatus: 'paid', expiresAt: later }, now)).toBe('settled');
    expect(payability({ status: 'new', paymentStatus: 'held', expiresAt: later }, now)).toBe('settled');
    expect(payability({ status: 'cancelled', paymentStatus: 'unpaid', expiresAt: later }, now)).toBe(
      'cancelled',
    );
  });
});
