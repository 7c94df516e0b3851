import type { Metadata } from 'next';
import { getDb } from '@/lib/db/client';
import { getLocale, getT } from '@/lib/i18n/server';
import { readCart } from '@/lib/shop/cart';
import { currentCartId } from '@/lib/shop/cart-cookie';
import { localized } from '@/lib/shop/localized';
import { formatRoubles } from '@/lib/shop/money-format';
import { ordersAwaitingPayment } from '@/lib/shop/recent-orders-cookie';
import { AwaitingPayment } from '../_components/AwaitingPayment';
import { CheckoutForm } from './CheckoutForm';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).checkout.title };
}

export default async function CheckoutPage() {
  const [t, locale, cartId, db] = await Promise.all([getT(), getLocale(), currentCartId(), getDb()]);
  const [cart, awaiting] = await Promise.all([
    cartId ? readCart(db, cartId) : { lines: [], totals: null },
    ordersAwaitingPayment(db),
  ]);
  if (cart.lines.length === 0) {
    return (
      <section>
        <h1>{t.checkout.title}</h1>
        <AwaitingPayment orders={awaiting} t={t} locale={locale} />
        <div className="empty-state">
          <p>{t.checkout.errors.empty_cart}</p>
          <a className="button" href="/">
            {t.cart.toCatalogue}
          </a>
        </div>
      </section>
    );
  }
  return (
    <section>
      <h1>{t.checkout.title}</h1>
      <AwaitingPayment orders={awaiting} t={t} locale={locale} />
      {/* The summary comes first, so a phone shows what is being paid for before the pay button. */}
      <div className="checkout-grid">
        <aside className="summary" aria-labelledby="summary-title" data-testid="checkout-summary">
          <h2 id="summary-title">{t.checkout.summary}</h2>
          <ul>
            {cart.lines.map((l) => (
              <li key={l.productId}>
                {localized(l, locale).name} × {l.quantity} — {formatRoubles(l.lineTotalKopecks)}
              </li>
            ))}
          </ul>
          <p>
            {t.cart.total}: <strong>{formatRoubles(cart.totals?.totalKopecks ?? 0)}</strong>
          </p>
          {cart.lines.some((l) => l.payTwoStage) ? <p className="badge">{t.checkout.twoStageNote}</p> : null}
        </aside>
        <div className="checkout-form">
          <h2>{t.checkout.contact}</h2>
          <CheckoutForm t={{ checkout: t.checkout }} />
        </div>
      </div>
    </section>
  );
}
