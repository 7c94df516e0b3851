import type { Metadata } from 'next';
import { formatRoubles } from '@/lib/assist/money';
import { getDb } from '@/lib/db/client';
import type { Dictionary } from '@/lib/i18n';
import { getT } from '@/lib/i18n/server';
import { readCart } from '@/lib/shop/cart';
import { currentCartId } from '@/lib/shop/cart-cookie';
import { setQuantityAction } from './actions';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Корзина' };

type CartError = keyof Dictionary['cart']['errors'];

function cartErrorText(t: Dictionary, error: string | undefined): string | null {
  // Own keys only: `constructor`, `__proto__` or `toString` are in every object's prototype chain.
  if (!error || !Object.hasOwn(t.cart.errors, error)) return null;
  return t.cart.errors[error as CartError];
}

export default async function CartPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const [t, cartId, { error }] = await Promise.all([getT(), currentCartId(), searchParams]);
  const cart = cartId ? await readCart(await getDb(), cartId) : { lines: [], totals: null };
  const message = cartErrorText(t, error);
  return (
    <section>
      <h1>{t.cart.title}</h1>
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
                  <td>
                    <a href={`/products/${line.slug}`}>{line.name}</a>
                  </td>
                  <td>{formatRoubles(line.unitPriceKopecks)}</td>
                  <td>
                    <form action={setQuantityAction} className="quantity-form">
                      <input type="hidden" name="productId" value={line.productId} />
                      <label>
                        <span className="visually-hidden">
                          {t.cart.quantity}: {line.name}
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
                        <span className="visually-hidden"> {line.name}</span>
                      </button>
                    </form>
                  </td>
                  <td>{formatRoubles(line.lineTotalKopecks)}</td>
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
