import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { fill } from '@/lib/i18n';
import { getLocale, getT } from '@/lib/i18n/server';
import { cartItemCount } from '@/lib/shop/cart';
import { currentCartId } from '@/lib/shop/cart-cookie';
import { languageHref } from '@/lib/shop/language-link';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return {
    title: { default: t.shop.name, template: `%s · ${t.shop.name}` },
    description: 'assist-storefront: a Next.js storefront taking card payments through ASSIST',
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, t, path, cartId] = await Promise.all([
    getLocale(),
    getT(),
    headers().then((h) => h.get('x-pathname')),
    currentCartId(),
  ]);
  const sandbox = getEnv().ASSIST_MODE === 'sandbox';
  const other = locale === 'ru' ? 'en' : 'ru';
  // Staff pages have their own bar; the shop's catalogue and cart links mean nothing there.
  const staff = path?.startsWith('/admin') ?? false;
  const items = !staff && cartId ? await cartItemCount(await getDb(), cartId) : 0;
  return (
    <html lang={locale}>
      <body>
        <a className="skip-link" href="#main">
          {t.shop.skipToContent}
        </a>
        {sandbox ? (
          <p className="sandbox-banner" role="status" data-testid="sandbox-banner">
            {t.shop.sandboxBanner}
          </p>
        ) : null}
        {staff ? null : (
          <header className="site-header">
            <div className="container header-row">
              <a className="brand" href="/">
                {t.shop.name}
              </a>
              <nav aria-label={t.shop.navLabel} className="site-nav">
                <a href="/">{t.shop.catalogue}</a>
                <a href="/cart" data-testid="cart-link">
                  {t.shop.cart}
                  {items > 0 ? (
                    <>
                      {' '}
                      <span className="cart-count" data-testid="cart-count" aria-hidden="true">
                        {items}
                      </span>
                      <span className="visually-hidden">{fill(t.shop.cartItems, { count: items })}</span>
                    </>
                  ) : null}
                </a>
                <a href={languageHref(other, path)} hrefLang={other} lang={other} data-testid="language-link">
                  {t.shop.switchLanguage}
                </a>
              </nav>
            </div>
          </header>
        )}
        <main id="main" className="container">
          {children}
        </main>
        {staff ? null : (
          <footer className="site-footer">
            <div className="container">{t.shop.footer}</div>
          </footer>
        )}
      </body>
    </html>
  );
}
