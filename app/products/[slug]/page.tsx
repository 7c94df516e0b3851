import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getT } from '@/lib/i18n/server';
import { findActiveProduct } from '@/lib/shop/catalogue';
import { localized } from '@/lib/shop/localized';
import { formatRoubles } from '@/lib/shop/money-format';
import { addToCartAction } from '../../cart/actions';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [product, locale] = await Promise.all([findActiveProduct((await params).slug), getLocale()]);
  return { title: product ? localized(product, locale).name : undefined };
}

export default async function ProductPage({ params }: Props) {
  const { slug } = await params;
  const [t, locale, product] = await Promise.all([getT(), getLocale(), findActiveProduct(slug)]);
  if (!product) notFound();
  const text = localized(product, locale);
  return (
    <article className="product-detail">
      <p>
        <a href="/">{t.product.back}</a>
      </p>
      <div className="product-detail-grid">
        <img src={product.imagePath} alt="" width={400} height={400} />
        <div>
          <h1>{text.name}</h1>
          <p>{text.description}</p>
          <p className="product-price">
            <span className="visually-hidden">{t.product.price}: </span>
            {formatRoubles(product.priceKopecks, product.currency)}
          </p>
          {product.payTwoStage ? <p className="badge">{t.catalogue.madeToOrder}</p> : null}
          <form action={addToCartAction} className="add-to-cart">
            <input type="hidden" name="slug" value={product.slug} />
            <label>
              {t.cart.quantity}
              <input type="number" name="quantity" min={1} max={99} defaultValue={1} inputMode="numeric" />
            </label>
            <button type="submit" className="button">
              {t.cart.add}
            </button>
          </form>
        </div>
      </div>
    </article>
  );
}
