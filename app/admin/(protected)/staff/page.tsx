import type { Metadata } from 'next';
import { requireStaff } from '@/lib/admin/auth';
import { listStaff } from '@/lib/admin/staff-management';
import { getDb } from '@/lib/db/client';
import { getLocale, getT } from '@/lib/i18n/server';
import { AdminNav, AdminTable, formatDateTime } from '../_components/display';
import { CreateStaffForm, StaffRowActions } from './StaffForms';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).admin.staff.title };
}

/** Staff accounts, for administrators: create, change role, disable or enable, issue a new password. */
export default async function StaffPage() {
  const [who, t, locale, db] = await Promise.all([
    requireStaff('admin', '/admin/staff'),
    getT(),
    getLocale(),
    getDb(),
  ]);
  const members = await listStaff(db);
  const a = t.admin;
  const s = a.staff;
  return (
    <>
      <AdminNav t={a} current="staff" role={who.role} />
      <section className="admin-panel" aria-labelledby="staff-title">
        <h1 id="staff-title">{s.title}</h1>
        <p className="admin-muted">{s.lead}</p>
        <CreateStaffForm t={a} />
        <AdminTable
          label={s.title}
          testId="staff-list"
          columns={[s.email, s.role, s.state, s.created, s.lastSignIn, s.actions]}
        >
          {members.map((m) => (
            <tr key={m.id} data-email={m.email} data-state={m.disabledAt ? 'disabled' : 'active'}>
              <td>{m.email}</td>
              <td>{a.roles[m.role]}</td>
              <td>{m.disabledAt ? s.disabled : s.active}</td>
              <td>{formatDateTime(m.createdAt, locale)}</td>
              <td>{m.lastSignInAt ? formatDateTime(m.lastSignInAt, locale) : s.never}</td>
              <td>
                {m.id === who.id ? (
                  s.you
                ) : (
                  <StaffRowActions
                    member={{ id: m.id, email: m.email, role: m.role, disabled: m.disabledAt !== null }}
                    t={a}
                  />
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      </section>
    </>
  );
}
