import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { orders } from '@/lib/db/schema';
import { type OrderPaymentStatusChange, onOrderPaymentStatusChange } from '@/lib/payments/status-hooks';

/** Payment states in which the goods may be prepared: the money is taken or held for us. */
const SHIPPABLE = new Set(['paid', 'held', 'partially_charged']);

/**
 * The template's example of reacting to payments (django-assist-ru's `payment_accepted` signal): an
 * order whose money arrived becomes ready to ship; one whose money went back stops being so. A shop
 * replaces this with its own fulfilment. Handing a prepaid made-to-order order over to the customer is
 * the next step, taken by staff: `handOverOrder` (lib/payments/fiscal.ts) marks it `handed_over` and asks
 * ASSIST for the full-calculation receipt that settles the 100 % prepayment.
 */
async function applyFulfilment(db: Db, change: OrderPaymentStatusChange): Promise<void> {
  if (SHIPPABLE.has(change.to) && change.flags.length === 0) {
    await db
      .update(orders)
      .set({ status: 'ready_to_ship', updatedAt: new Date() })
      .where(and(eq(orders.id, change.orderId), eq(orders.status, 'new')));
  } else if (!SHIPPABLE.has(change.to)) {
    await db
      .update(orders)
      .set({ status: 'new', updatedAt: new Date() })
      .where(and(eq(orders.id, change.orderId), inArray(orders.status, ['ready_to_ship'])));
  }
}

export function registerFulfilment(getDb: () => Promise<Db>): () => void {
  return onOrderPaymentStatusChange(async (change) => applyFulfilment(await getDb(), change));
}
