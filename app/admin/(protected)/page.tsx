import type { Metadata } from 'next';
import { requireStaff } from '@/lib/admin/auth';
import { getT } from '@/lib/i18n/server';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).admin.title };
}

export default async function AdminDashboardPage() {
  const [who, t] = await Promise.all([requireStaff('viewer', '/admin'), getT()]);
  return (
    <section className="admin-panel" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t.admin.title}</h1>
      <dl>
        <dt>{t.admin.signedInAs}</dt>
        <dd data-testid="admin-email">{who.email}</dd>
        <dt>{t.admin.dashboard.role}</dt>
        <dd data-testid="admin-role">{t.admin.roles[who.role]}</dd>
      </dl>
      <p className="lead">{t.admin.dashboard.placeholder}</p>
    </section>
  );
}
