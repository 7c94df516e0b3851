import type { PaymentStatus } from '@/lib/assist';
import { logEvent } from '@/lib/log';

/** An order whose actual payment status changed, reported after the change is committed. */
export type OrderPaymentStatusChange = {
  orderId: number;
  orderNumber: string;
  from: PaymentStatus | 'unpaid';
  to: PaymentStatus | 'unpaid';
  billNumber: string | null;
  flags: string[];
};

export type OrderPaymentStatusListener = (change: OrderPaymentStatusChange) => void | Promise<void>;

const registry = globalThis as typeof globalThis & {
  __orderStatusListeners?: Set<OrderPaymentStatusListener>;
};

function listeners(): Set<OrderPaymentStatusListener> {
  registry.__orderStatusListeners ??= new Set();
  return registry.__orderStatusListeners;
}

/**
 * The successor of django-assist-ru's `payment_accepted` signal: shop code subscribes here to react when
 * an order becomes paid, held, refunded… Listeners run after commit, so they never see a change that
 * was rolled back; a failing listener is logged and does not undo the payment record.
 */
export function onOrderPaymentStatusChange(listener: OrderPaymentStatusListener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

export async function emitOrderPaymentStatusChanges(changes: OrderPaymentStatusChange[]): Promise<void> {
  for (const change of changes) {
    for (const listener of listeners()) {
      try {
        await listener(change);
      } catch (err) {
        logEvent('order_status_listener_failed', { order: change.orderNumber, error: err }, 'error');
      }
    }
  }
}
