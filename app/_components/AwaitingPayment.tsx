import { type Dictionary, fill, type Locale } from '@/lib/i18n';
import type { Order } from '@/lib/shop/orders';
import { formatShopDateTime } from '@/lib/shop/time-zone';

/**
 * This browser's orders that still wait for payment: back from the payment page with an emptied cart,
 * the customer finds the order here instead of losing it.
 */
export function AwaitingPayment({ orders, t, locale }: { orders: Order[]; t: Dictionary; locale: Locale }) {
  if (orders.length === 0) return null;
  return (
    <section
      className="alert info awaiting"
      aria-label={t.order.awaitingTitle}
      data-testid="awaiting-payment"
    >
      <ul>
        {orders.map((o) => (
          <li key={o.publicId}>
            {fill(t.order.awaiting, {
              number: o.orderNumber,
              deadline: formatShopDateTime(o.expiresAt, locale),
            })}{' '}
            <a href={`/orders/${encodeURIComponent(o.publicId)}`}>{t.order.awaitingOpen}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
