import { getLocale, getT } from '@/lib/i18n/server';
import { listActiveProducts } from '@/lib/shop/catalogue';
import { localized } from '@/lib/shop/localized';
import { formatRoubles } from '@/lib/shop/money-format';

export const dynamic = 'force-dynamic';

export default async function CataloguePage() {
  const [t, locale, products] = await Promise.all([getT(), getLocale(), listActiveProducts()]);
  return (
    <>
      <h1>{t.catalogue.title}</h1>
      <p className="lead">{t.shop.tagline}</p>
      {products.length === 0 ? (
        <p>{t.catalogue.empty}</p>
      ) : (
        <ul className="product-grid" data-testid="catalogue">
          {products.map((p) => (
            <li key={p.id} className="product-card">
              <a href={`/products/${p.slug}`} className="product-link">
                <img src={p.imagePath} alt="" width={400} height={400} loading="lazy" decoding="async" />
                <span className="product-name">{localized(p, locale).name}</span>
              </a>
              <span className="product-price">{formatRoubles(p.priceKopecks, p.currency)}</span>
              {p.payTwoStage ? <span className="badge">{t.catalogue.madeToOrder}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
