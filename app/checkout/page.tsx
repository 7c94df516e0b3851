import type { Metadata } from 'next';
import { formatRoubles } from '@/lib/assist/money';
import { getDb } from '@/lib/db/client';
import { getT } from '@/lib/i18n/server';
import { readCart } from '@/lib/shop/cart';
import { currentCartId } from '@/lib/shop/cart-cookie';
import { CheckoutForm } from './CheckoutForm';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Оформление заказа' };

export default async function CheckoutPage() {
  const [t, cartId] = await Promise.all([getT(), currentCartId()]);
  const cart = cartId ? await readCart(await getDb(), cartId) : { lines: [], totals: null };
  if (cart.lines.length === 0) {
    return (
      <section>
        <h1>{t.checkout.title}</h1>
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
      <div className="checkout-grid">
        <div>
          <h2>{t.checkout.contact}</h2>
          <CheckoutForm t={{ checkout: t.checkout }} />
        </div>
        <aside className="summary" aria-labelledby="summary-title">
          <h2 id="summary-title">{t.checkout.summary}</h2>
          <ul>
            {cart.lines.map((l) => (
              <li key={l.productId}>
                {l.name} × {l.quantity} — {formatRoubles(l.lineTotalKopecks)}
              </li>
            ))}
          </ul>
          <p>
            {t.cart.total}: <strong>{formatRoubles(cart.totals?.totalKopecks ?? 0)}</strong>
          </p>
          {cart.lines.some((l) => l.payTwoStage) ? <p className="badge">{t.checkout.twoStageNote}</p> : null}
        </aside>
      </div>
    </section>
  );
}
