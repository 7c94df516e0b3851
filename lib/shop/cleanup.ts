import { and, eq, inArray, isNull, lt, notExists, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { assistBills, carts, orders } from '@/lib/db/schema';
import { removeStaleThrottles } from '@/lib/ops/throttle';

/** A cart nobody touched for this long is abandoned. */
const ABANDONED_CART_DAYS = 30;
/**
 * An unpaid order with no bill is removed this long after it expired: longer than the sync's re-check
 * window, so a payment started just before expiry is still found first.
 */
const EXPIRED_ORDER_GRACE_DAYS = 7;
/** Rate and delay counters nothing touched for a day have run out. */
const STALE_THROTTLE_SECONDS = 24 * 60 * 60;
const BATCH = 1000;

export type CleanupSummary = { carts: number; orders: number; throttles: number };

/**
 * Run by the cron route after a sync: removes abandoned carts, unpaid orders long past their expiry that
 * never reached the gateway (no bill), and spent rate counters, so scripted carts and orders cannot grow
 * the database without bound. Batched, so one run stays short.
 */
export async function cleanUpAbandoned(db: Db, now = new Date()): Promise<CleanupSummary> {
  const day = 24 * 60 * 60 * 1000;
  const cartCutoff = new Date(now.getTime() - ABANDONED_CART_DAYS * day);
  const staleCarts = await db
    .select({ id: carts.id })
    .from(carts)
    .where(lt(carts.updatedAt, cartCutoff))
    .limit(BATCH);
  const removedCarts = staleCarts.length
    ? await db
        .delete(carts)
        .where(
          inArray(
            carts.id,
            staleCarts.map((c) => c.id),
          ),
        )
        .returning({ id: carts.id })
    : [];
  const orderCutoff = new Date(now.getTime() - EXPIRED_ORDER_GRACE_DAYS * day);
  const staleOrders = await db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.paymentStatus, 'unpaid'),
        lt(orders.expiresAt, orderCutoff),
        isNull(orders.reachedGatewayAt),
        notExists(
          db.select({ one: sql`1` }).from(assistBills).where(eq(assistBills.orderNumber, orders.orderNumber)),
        ),
      ),
    )
    .limit(BATCH);
  const removedOrders = staleOrders.length
    ? await db
        .delete(orders)
        .where(
          and(
            inArray(
              orders.id,
              staleOrders.map((o) => o.id),
            ),
            eq(orders.paymentStatus, 'unpaid'),
          ),
        )
        .returning({ id: orders.id })
    : [];
  const throttles = await removeStaleThrottles(db, STALE_THROTTLE_SECONDS, now);
  return { carts: removedCarts.length, orders: removedOrders.length, throttles };
}

/** The customer came back from the gateway's page: the order reached the gateway (first time only). */
export async function markReachedGateway(db: Db, orderId: number): Promise<void> {
  await db
    .update(orders)
    .set({ reachedGatewayAt: sql`now()` })
    .where(and(eq(orders.id, orderId), isNull(orders.reachedGatewayAt)));
}
