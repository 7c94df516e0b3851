import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { cartItems, carts, orderItems, orders, products } from '@/lib/db/schema';
import { claimRate } from '@/lib/ops/throttle';
import { computeTotals } from './cart-math';
import type { Customer } from './customer';

export type Order = typeof orders.$inferSelect;
export type OrderItem = typeof orderItems.$inferSelect;
export type OrderWithItems = Order & { items: OrderItem[] };

export type OrderSettings = {
  /** Shop-wide default for two-stage payment (ASSIST_TWO_STAGE); made-to-order products force it. */
  twoStageDefault: boolean;
  expiryMinutes: number;
  orderNumberPrefix?: string;
  language: 'ru' | 'en';
};

export type CreateOrderResult =
  | { ok: true; order: Order }
  | { ok: false; error: 'empty_cart' | 'cart_limits' };

/**
 * Counts one order placement for a client (its trusted address, or its cart without a trusted proxy):
 * at most `perHour`, so a script cannot fill the orders table or the sync's re-checks.
 */
export function claimOrderPlacement(db: Db, client: string, perHour: number): Promise<boolean> {
  return claimRate(db, `order:${client}`, perHour, new Date(), 3600);
}

/** 16 random bytes: customer URLs must not let anyone walk other customers' orders. */
export function newPublicId(): string {
  return randomBytes(16).toString('base64url');
}

export function isPublicId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22}$/.test(value);
}

/**
 * Places an order from the cart in one transaction. Prices and totals come from the database at this
 * moment; nothing the browser sent about money is used. The cart is emptied in the same transaction.
 */
export async function createOrderFromCart(
  db: Db,
  cartId: string,
  customer: Customer,
  settings: OrderSettings,
): Promise<CreateOrderResult> {
  return db.transaction(async (tx) => {
    const lines = await tx
      .select({
        productId: products.id,
        slug: products.slug,
        name: products.name,
        nameEn: products.nameEn,
        unitPriceKopecks: products.priceKopecks,
        payTwoStage: products.payTwoStage,
        vatRate: products.vatRate,
        paymentSubject: products.paymentSubject,
        markingCode: products.markingCode,
        quantity: cartItems.quantity,
      })
      .from(cartItems)
      .innerJoin(products, eq(products.id, cartItems.productId))
      .where(and(eq(cartItems.cartId, cartId), eq(products.active, true)))
      .orderBy(asc(cartItems.addedAt), asc(products.id));
    const totals = computeTotals(lines);
    if (!totals.ok)
      return { ok: false, error: totals.error === 'empty' ? 'empty_cart' : 'cart_limits' } as const;
    // The first order of a shop that numbered by the old sequence continues where it stopped.
    const [seq] = rowsOf<{ n: string }>(
      await tx.execute(sql`
        insert into counters (name, value)
        select 'order_number', case when is_called then last_value + 1 else last_value end
        from order_number_seq
        on conflict (name) do update set value = counters.value + 1
        returning value::text as n`),
    );
    if (!seq) throw new Error('the order number counter returned no value');
    const [order] = await tx
      .insert(orders)
      .values({
        publicId: newPublicId(),
        orderNumber: `${settings.orderNumberPrefix ?? ''}${seq.n}`,
        subtotalKopecks: totals.totals.subtotalKopecks,
        totalKopecks: totals.totals.totalKopecks,
        twoStage: settings.twoStageDefault || lines.some((l) => l.payTwoStage),
        language: settings.language,
        lastName: customer.lastName,
        firstName: customer.firstName,
        middleName: customer.middleName,
        email: customer.email,
        phone: customer.phone,
        expiresAt: sql`now() + make_interval(mins => ${settings.expiryMinutes})`,
      })
      .returning();
    if (!order) throw new Error('order insert returned no row');
    await tx.insert(orderItems).values(
      lines.map((l) => ({
        orderId: order.id,
        productId: l.productId,
        productSlug: l.slug,
        name: l.name,
        nameEn: l.nameEn,
        unitPriceKopecks: l.unitPriceKopecks,
        quantity: l.quantity,
        lineTotalKopecks: l.unitPriceKopecks * l.quantity,
        vatRate: l.vatRate,
        paymentSubject: l.paymentSubject,
        markingCode: l.markingCode,
      })),
    );
    await tx.delete(carts).where(eq(carts.id, cartId));
    return { ok: true, order } as const;
  });
}

/** postgres.js returns rows as the result itself, PGlite as `.rows`: one accessor for both engines. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** The order alone, in one query: the hot /pay page needs no items. */
function prepareOrderByPublicId(db: Db) {
  return db
    .select()
    .from(orders)
    .where(eq(orders.publicId, sql.placeholder('publicId')))
    .limit(1)
    .prepare('order_by_public_id');
}

// The /pay page is one query and a render: on PostgreSQL a named prepared statement (parsed and planned
// once per connection, no query building per request) is most of what that page costs.
const orderByPublicId = new WeakMap<Db, ReturnType<typeof prepareOrderByPublicId>>();

export async function findOrderRowByPublicId(db: Db, publicId: string): Promise<Order | undefined> {
  if (!isPublicId(publicId)) return undefined;
  let query = orderByPublicId.get(db);
  if (!query) {
    query = prepareOrderByPublicId(db);
    orderByPublicId.set(db, query);
  }
  const [order] = await query.execute({ publicId });
  return order;
}

export async function findOrderByPublicId(db: Db, publicId: string): Promise<OrderWithItems | undefined> {
  const order = await findOrderRowByPublicId(db, publicId);
  if (!order) return undefined;
  const items = await db
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, order.id))
    .orderBy(asc(orderItems.id));
  return { ...order, items };
}

/** Statuses of an order's payment that end the customer's ability to pay it. */
const SETTLED = new Set(['paid', 'held', 'partially_charged', 'refunded', 'partially_refunded']);

export type Payability = 'payable' | 'settled' | 'expired' | 'cancelled';

/** Whether the customer may (still) pay: not once money moved, not after expiry or cancellation. */
export function payability(
  order: Pick<Order, 'status' | 'paymentStatus' | 'expiresAt'>,
  now: Date,
): Payability {
  if (order.status === 'cancelled') return 'cancelled';
  if (SETTLED.has(order.paymentStatus)) return 'settled';
  if (order.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'payable';
}
