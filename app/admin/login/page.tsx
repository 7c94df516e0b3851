import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getStaffAccess, safeReturnPath } from '@/lib/admin/auth';
import { getT } from '@/lib/i18n/server';
import { LoginForm } from './login-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).admin.login.title };
}

export default async function AdminLoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const [{ next: rawNext }, t, access] = await Promise.all([searchParams, getT(), getStaffAccess('viewer')]);
  const next = safeReturnPath(Array.isArray(rawNext) ? rawNext[0] : rawNext);
  if (access.ok) redirect(next);
  return (
    <section className="admin-login admin-panel" aria-labelledby="login-title">
      <h1 id="login-title">{t.admin.login.title}</h1>
      <p className="lead">{t.admin.login.lead}</p>
      <LoginForm t={t.admin.login} next={next} />
    </section>
  );
}
