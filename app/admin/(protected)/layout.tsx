import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { requireStaff } from '@/lib/admin/auth';
import { getLocale, getT } from '@/lib/i18n/server';
import { languageHref } from '@/lib/shop/language-link';
import { signOutAction } from './actions';

/**
 * Everything under /admin except the login form. This check is a backstop for the chrome only: layouts
 * render in parallel with pages and are not re-run on client navigation, so each page checks too.
 */
export default async function ProtectedAdminLayout({ children }: { children: ReactNode }) {
  const requested = (await headers()).get('x-pathname') ?? '/admin';
  const [who, t, locale] = await Promise.all([requireStaff('viewer', requested), getT(), getLocale()]);
  const other = locale === 'ru' ? 'en' : 'ru';
  return (
    <>
      <header className="admin-bar">
        <a className="admin-bar-title" href="/admin">
          {t.admin.title}
        </a>
        <div className="admin-who" data-testid="admin-who">
          <span>
            {t.admin.signedInAs} <strong>{who.email}</strong>
          </span>
          <span className="admin-role" data-role={who.role}>
            {t.admin.roles[who.role]}
          </span>
          <a href={languageHref(other, requested)} hrefLang={other} lang={other} data-testid="language-link">
            {t.shop.switchLanguage}
          </a>
          <form action={signOutAction} className="admin-inline-form">
            <button type="submit" className="button secondary">
              {t.admin.signOut}
            </button>
          </form>
        </div>
      </header>
      {children}
    </>
  );
}
