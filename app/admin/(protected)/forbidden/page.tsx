import type { Metadata } from 'next';
import { requireStaff } from '@/lib/admin/auth';
import { getT } from '@/lib/i18n/server';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).admin.forbidden.title };
}

/** Where requireStaff sends a signed-in member whose role is too low for the page they asked for. */
export default async function AdminForbiddenPage() {
  const [, t] = await Promise.all([requireStaff('viewer', '/admin/forbidden'), getT()]);
  return (
    <section className="admin-panel" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">{t.admin.forbidden.title}</h1>
      <p>{t.admin.forbidden.text}</p>
      <a className="button secondary" href="/admin">
        {t.admin.forbidden.back}
      </a>
    </section>
  );
}
