import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { getEnv } from '@/lib/env';
import { getLocale, getT } from '@/lib/i18n/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Лавка ремёсел', template: '%s · Лавка ремёсел' },
  description: 'assist-storefront: a Next.js storefront taking card payments through ASSIST',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, t] = await Promise.all([getLocale(), getT()]);
  const sandbox = getEnv().ASSIST_MODE === 'sandbox';
  const other = locale === 'ru' ? 'en' : 'ru';
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
        <header className="site-header">
          <div className="container header-row">
            <a className="brand" href="/">
              {t.shop.name}
            </a>
            <nav aria-label={t.shop.catalogue} className="site-nav">
              <a href="/">{t.shop.catalogue}</a>
              <a href="/cart">{t.shop.cart}</a>
              <a href={`/lang/${other}`} hrefLang={other} lang={other}>
                {t.shop.switchLanguage}
              </a>
            </nav>
          </div>
        </header>
        <main id="main" className="container">
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">{t.shop.footer}</div>
        </footer>
      </body>
    </html>
  );
}
