import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { cartItems, carts, products } from '@/lib/db/schema';
import {
  type CartTotals,
  computeTotals,
  isValidQuantity,
  MAX_LINES,
  MAX_QUANTITY_PER_LINE,
} from './cart-math';

export type CartLine = {
  productId: number;
  slug: string;
  name: string;
  nameEn: string | null;
  imagePath: string;
  unitPriceKopecks: number;
  quantity: number;
  lineTotalKopecks: number;
  payTwoStage: boolean;
};

export type Cart = { lines: CartLine[]; totals: CartTotals | null };

export type CartChangeResult =
  | { ok: true }
  | { ok: false; error: 'unknown_product' | 'bad_quantity' | 'too_many_lines' };

/** Cart tokens are random: the cookie is the only key to the cart, so it must not be guessable. */
export function newCartId(): string {
  return randomBytes(18).toString('base64url');
}

export function isCartId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{24}$/.test(value);
}

/** Lines priced from the catalogue as it is now; inactive products drop out of the cart. */
export async function readCart(db: Db, cartId: string): Promise<Cart> {
  const rows = await db
    .select({
      productId: products.id,
      slug: products.slug,
      name: products.name,
      nameEn: products.nameEn,
      imagePath: products.imagePath,
      unitPriceKopecks: products.priceKopecks,
      payTwoStage: products.payTwoStage,
      quantity: cartItems.quantity,
    })
    .from(cartItems)
    .innerJoin(products, eq(products.id, cartItems.productId))
    .where(and(eq(cartItems.cartId, cartId), eq(products.active, true)))
    .orderBy(asc(cartItems.addedAt), asc(products.id));
  const lines = rows.map((r) => ({ ...r, lineTotalKopecks: r.unitPriceKopecks * r.quantity }));
  const totals = computeTotals(lines);
  return { lines, totals: totals.ok ? totals.totals : null };
}

/** How many items the cart holds (quantities summed), for the header. */
export async function cartItemCount(db: Db, cartId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${cartItems.quantity}), 0)::int` })
    .from(cartItems)
    .innerJoin(products, eq(products.id, cartItems.productId))
    .where(and(eq(cartItems.cartId, cartId), eq(products.active, true)));
  return Number(row?.n ?? 0);
}

export async function addToCart(
  db: Db,
  cartId: string,
  productSlug: string,
  quantity = 1,
): Promise<CartChangeResult> {
  if (!isValidQuantity(quantity)) return { ok: false, error: 'bad_quantity' };
  return db.transaction(async (tx) => {
    const [product] = await tx
      .select({ id: products.id })
      .from(products)
      .where(and(eq(products.slug, productSlug), eq(products.active, true)))
      .limit(1);
    if (!product) return { ok: false, error: 'unknown_product' } as const;
    await tx
      .insert(carts)
      .values({ id: cartId })
      .onConflictDoUpdate({ target: carts.id, set: { updatedAt: sql`now()` } });
    const [{ count } = { count: 0 }] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(cartItems)
      .where(eq(cartItems.cartId, cartId));
    const [existing] = await tx
      .select({ quantity: cartItems.quantity })
      .from(cartItems)
      .where(and(eq(cartItems.cartId, cartId), eq(cartItems.productId, product.id)));
    if (!existing && count >= MAX_LINES) return { ok: false, error: 'too_many_lines' } as const;
    const next = Math.min((existing?.quantity ?? 0) + quantity, MAX_QUANTITY_PER_LINE);
    await tx
      .insert(cartItems)
      .values({ cartId, productId: product.id, quantity: next })
      .onConflictDoUpdate({ target: [cartItems.cartId, cartItems.productId], set: { quantity: next } });
    return { ok: true } as const;
  });
}

/** Quantity 0 removes the line. */
export async function setCartQuantity(
  db: Db,
  cartId: string,
  productId: number,
  quantity: number,
): Promise<CartChangeResult> {
  if (quantity === 0) {
    await db.delete(cartItems).where(and(eq(cartItems.cartId, cartId), eq(cartItems.productId, productId)));
    return { ok: true };
  }
  if (!isValidQuantity(quantity)) return { ok: false, error: 'bad_quantity' };
  await db
    .update(cartItems)
    .set({ quantity })
    .where(and(eq(cartItems.cartId, cartId), eq(cartItems.productId, productId)));
  return { ok: true };
}
