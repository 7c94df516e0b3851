import type { Metadata } from 'next';
import { getDb } from '@/lib/db/client';
import type { Dictionary } from '@/lib/i18n';
import { getLocale, getT } from '@/lib/i18n/server';
import { readCart } from '@/lib/shop/cart';
import { currentCartId } from '@/lib/shop/cart-cookie';
import { localized } from '@/lib/shop/localized';
import { formatRoubles } from '@/lib/shop/money-format';
import { ordersAwaitingPayment } from '@/lib/shop/recent-orders-cookie';
import { AwaitingPayment } from '../_components/AwaitingPayment';
import { setQuantityAction } from './actions';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).cart.title };
}

type CartError = keyof Dictionary['cart']['errors'];

function cartErrorText(t: Dictionary, error: string | undefined): string | null {
  // Own keys only: `constructor`, `__proto__` or `toString` are in every object's prototype chain.
  if (!error || !Object.hasOwn(t.cart.errors, error)) return null;
  return t.cart.errors[error as CartError];
}

export default async function CartPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const [t, locale, cartId, { error }, db] = await Promise.all([
    getT(),
    getLocale(),
    currentCartId(),
    searchParams,
    getDb(),
  ]);
  const [cart, awaiting] = await Promise.all([
    cartId ? readCart(db, cartId) : { lines: [], totals: null },
    ordersAwaitingPayment(db),
  ]);
  const message = cartErrorText(t, error);
  return (
    <section>
      <h1>{t.cart.title}</h1>
      <AwaitingPayment orders={awaiting} t={t} locale={locale} />
      {message ? (
        <p className="alert error" role="alert">
          {message}
        </p>
      ) : null}
      {cart.lines.length === 0 ? (
        <div className="empty-state">
          <p>{t.cart.empty}</p>
          <a className="button" href="/">
            {t.cart.toCatalogue}
          </a>
        </div>
      ) : (
        <>
          <table className="cart-table" data-testid="cart">
            <thead>
              <tr>
                <th scope="col">{t.cart.product}</th>
                <th scope="col">{t.cart.unitPrice}</th>
                <th scope="col">{t.cart.quantity}</th>
                <th scope="col">{t.cart.lineTotal}</th>
              </tr>
            </thead>
            <tbody>
              {cart.lines.map((line) => (
                <tr key={line.productId}>
                  <td data-label={t.cart.product}>
                    <a href={`/products/${line.slug}`}>{localized(line, locale).name}</a>
                  </td>
                  <td data-label={t.cart.unitPrice}>{formatRoubles(line.unitPriceKopecks)}</td>
                  <td data-label={t.cart.quantity}>
                    <form action={setQuantityAction} className="quantity-form">
                      <input type="hidden" name="productId" value={line.productId} />
                      <label>
                        <span className="visually-hidden">
                          {t.cart.quantity}: {localized(line, locale).name}
                        </span>
                        <input
                          type="number"
                          name="quantity"
                          min={1}
                          max={99}
                          defaultValue={line.quantity}
                          inputMode="numeric"
                        />
                      </label>
                      <button type="submit" className="button secondary small">
                        {t.cart.update}
                      </button>
                      <button type="submit" name="remove" value="1" className="button secondary small">
                        {t.cart.remove}
                        <span className="visually-hidden"> {localized(line, locale).name}</span>
                      </button>
                    </form>
                  </td>
                  <td data-label={t.cart.lineTotal}>{formatRoubles(line.lineTotalKopecks)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="cart-total">
            {t.cart.total}:{' '}
            <strong data-testid="cart-total">{formatRoubles(cart.totals?.totalKopecks ?? 0)}</strong>
          </p>
          <a className="button" href="/checkout">
            {t.cart.checkout}
          </a>
        </>
      )}
    </section>
  );
}
