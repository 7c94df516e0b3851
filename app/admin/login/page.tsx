import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getStaffAccess, safeReturnPath } from '@/lib/admin/auth';
import { getLocale, getT } from '@/lib/i18n/server';
import { languageHref } from '@/lib/shop/language-link';
import { LoginForm } from './login-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).admin.login.title };
}

export default async function AdminLoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const [{ next: rawNext }, t, locale, access] = await Promise.all([
    searchParams,
    getT(),
    getLocale(),
    getStaffAccess('viewer'),
  ]);
  const next = safeReturnPath(Array.isArray(rawNext) ? rawNext[0] : rawNext);
  if (access.ok) redirect(next);
  return (
    <section className="admin-login admin-panel" aria-labelledby="login-title">
      <h1 id="login-title">{t.admin.login.title}</h1>
      <p className="lead">{t.admin.login.lead}</p>
      <LoginForm t={t.admin.login} next={next} />
      <p>
        <a
          href={languageHref(locale === 'ru' ? 'en' : 'ru', `/admin/login?next=${encodeURIComponent(next)}`)}
          hrefLang={locale === 'ru' ? 'en' : 'ru'}
          lang={locale === 'ru' ? 'en' : 'ru'}
          data-testid="language-link"
        >
          {t.shop.switchLanguage}
        </a>
      </p>
    </section>
  );
}
