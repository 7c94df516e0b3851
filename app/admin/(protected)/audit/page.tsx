import type { Metadata } from 'next';
import { AUDIT_ACTIONS } from '@/lib/admin/audit';
import {
  type AuditFilters,
  listAuditEntries,
  parseAuditCursor,
  parseAuditFilters,
} from '@/lib/admin/audit-log';
import { requireStaff } from '@/lib/admin/auth';
import { getDb } from '@/lib/db/client';
import type { SearchParams } from '@/lib/http/search-params';
import { getLocale, getT } from '@/lib/i18n/server';
import { AdminNav, AdminTable, formatDateTime } from '../_components/display';
import { auditActionText, auditDetailsText } from './details';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).admin.audit.title };
}

function query(filters: AuditFilters, extra: Record<string, string> = {}): string {
  const s = new URLSearchParams({ ...(filters as Record<string, string>), ...extra }).toString();
  return s ? `?${s}` : '';
}

/** The audit trail, for administrators: it names staff and their addresses. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const filters = parseAuditFilters(params);
  const [who, t, locale, db] = await Promise.all([
    requireStaff('admin', `/admin/audit${query(filters)}`),
    getT(),
    getLocale(),
    getDb(),
  ]);
  const after = parseAuditCursor(params.after);
  const page = await listAuditEntries(db, filters, { after });
  const a = t.admin;
  const l = a.audit;
  return (
    <>
      <AdminNav t={a} current="audit" role={who.role} />
      <section className="admin-panel" aria-labelledby="audit-title">
        <h1 id="audit-title">{l.title}</h1>
        <p className="admin-muted">{l.lead}</p>
        <form method="get" action="/admin/audit" className="admin-filters" aria-label={l.filters}>
          <div className="admin-field">
            <label htmlFor="a-action">{l.action}</label>
            <select id="a-action" name="action" defaultValue={filters.action ?? ''}>
              <option value="">{l.any}</option>
              {AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {auditActionText(action, a)}
                </option>
              ))}
            </select>
          </div>
          <div className="admin-field">
            <label htmlFor="a-actor">{l.actor}</label>
            <input
              id="a-actor"
              name="actor"
              type="email"
              defaultValue={filters.actor ?? ''}
              maxLength={254}
            />
          </div>
          <div className="admin-field">
            <label htmlFor="a-bill">{l.bill}</label>
            <input
              id="a-bill"
              name="bill"
              inputMode="numeric"
              defaultValue={filters.bill ?? ''}
              maxLength={20}
            />
          </div>
          <div className="admin-filter-buttons">
            <button type="submit" className="button">
              {l.apply}
            </button>
            <a className="button secondary" href="/admin/audit">
              {l.reset}
            </a>
          </div>
        </form>
        {page.rows.length === 0 ? (
          <p>{l.empty}</p>
        ) : (
          <AdminTable
            label={l.title}
            testId="audit-log"
            columns={[l.at, l.who, l.what, l.subject, l.details]}
          >
            {page.rows.map((row) => (
              <tr key={row.id} data-action={row.action}>
                <td>{formatDateTime(row.at, locale)}</td>
                <td>{row.actorEmail ?? l.nobody}</td>
                <td>{auditActionText(row.action, a)}</td>
                <td>
                  {row.subjectType === 'assist_bill' && row.subjectId ? (
                    <a href={`/admin/bills/${row.subjectId}`}>{row.subjectId}</a>
                  ) : (
                    (row.subjectId ?? '—')
                  )}
                </td>
                <td>{auditDetailsText(row, a)}</td>
              </tr>
            ))}
          </AdminTable>
        )}
        <nav className="admin-pager" aria-label={l.title}>
          {after ? <a href={`/admin/audit${query(filters)}`}>{l.first}</a> : null}
          {page.next ? (
            <a href={`/admin/audit${query(filters, { after: String(page.next) })}`} rel="next">
              {l.next}
            </a>
          ) : null}
        </nav>
      </section>
    </>
  );
}
