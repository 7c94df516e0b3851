import type { Metadata } from 'next';
import { requireStaff } from '@/lib/admin/auth';
import { PAYMENT_STATUSES } from '@/lib/assist';
import { getDb } from '@/lib/db/client';
import type { SearchParams } from '@/lib/http/search-params';
import { getLocale, getT } from '@/lib/i18n/server';
import {
  type BillFilters,
  billTotals,
  decodeCursor,
  encodeCursor,
  listBills,
  parseBillFilters,
} from '@/lib/payments/bill-queries/list';
import {
  AdminNav,
  FlagBadges,
  formatDateTime,
  money,
  responseText,
  StatusBadge,
  statusText,
  TableWrap,
} from '../_components/display';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).admin.bills.title };
}

function query(filters: BillFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...(filters as Record<string, string>), ...extra });
  const s = params.toString();
  return s ? `?${s}` : '';
}

export default async function BillsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const filters = parseBillFilters(params);
  const [who, t, locale, db] = await Promise.all([
    requireStaff('viewer', `/admin/bills${query(filters)}`),
    getT(),
    getLocale(),
    getDb(),
  ]);
  const afterParam = Array.isArray(params.after) ? params.after[0] : params.after;
  const after = decodeCursor(afterParam);
  const [page, totals] = await Promise.all([listBills(db, filters, { after }), billTotals(db, filters)]);
  const a = t.admin;
  const b = a.bills;
  return (
    <>
      <AdminNav t={a} current="bills" role={who.role} />
      <section className="admin-panel" aria-labelledby="bills-title">
        <h1 id="bills-title">{b.title}</h1>
        <form method="get" action="/admin/bills" className="admin-filters" aria-label={b.filters}>
          <div className="admin-field admin-field-search">
            <label htmlFor="f-q">{b.search}</label>
            <input
              id="f-q"
              name="q"
              defaultValue={filters.q ?? ''}
              placeholder={b.searchHint}
              maxLength={64}
            />
          </div>
          <div className="admin-field">
            <label htmlFor="f-status">{b.status}</label>
            <select id="f-status" name="status" defaultValue={filters.status ?? ''}>
              <option value="">{b.any}</option>
              {PAYMENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusText(s, a)}
                </option>
              ))}
            </select>
          </div>
          <div className="admin-field">
            <label htmlFor="f-code">{b.code}</label>
            <input
              id="f-code"
              name="code"
              defaultValue={filters.code ?? ''}
              placeholder="AS100"
              maxLength={10}
            />
          </div>
          <div className="admin-field">
            <label htmlFor="f-from">{b.from}</label>
            <input id="f-from" name="from" type="date" defaultValue={filters.from ?? ''} />
          </div>
          <div className="admin-field">
            <label htmlFor="f-to">{b.to}</label>
            <input id="f-to" name="to" type="date" defaultValue={filters.to ?? ''} />
          </div>
          <div className="admin-field">
            <label htmlFor="f-test">{b.test}</label>
            <select id="f-test" name="test" defaultValue={filters.test ?? ''}>
              <option value="">{b.any}</option>
              <option value="yes">{b.testYes}</option>
              <option value="no">{b.testNo}</option>
            </select>
          </div>
          <div className="admin-field">
            <label htmlFor="f-flag">{b.flag}</label>
            <select id="f-flag" name="flag" defaultValue={filters.flag ?? ''}>
              <option value="">{b.any}</option>
              {Object.entries(a.flags).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="admin-filter-buttons">
            <button type="submit" className="button">
              {b.apply}
            </button>
            <a className="button secondary" href="/admin/bills">
              {b.reset}
            </a>
          </div>
        </form>

        <div className="admin-totals" data-testid="bill-totals">
          <strong>{b.totals}:</strong> {b.count} {totals.count}
          {totals.byCurrency.map((c) => (
            <span key={c.currency}>
              {' · '}
              {b.charged} {money(c.chargedKopecks, c.currency)}, {b.held} {money(c.heldKopecks, c.currency)},{' '}
              {b.returned} {money(c.returnedKopecks, c.currency)}
            </span>
          ))}
          <a className="button secondary admin-export" href={`/admin/bills/export${query(filters)}`}>
            {b.exportCsv}
          </a>
        </div>

        {page.rows.length === 0 ? (
          <p>{b.empty}</p>
        ) : (
          <TableWrap label={b.title}>
            <table className="admin-table" data-testid="bills-table">
              <thead>
                <tr>
                  <th scope="col">{b.bill}</th>
                  <th scope="col">{b.order}</th>
                  <th scope="col">{b.date}</th>
                  <th scope="col" className="num">
                    {b.amount}
                  </th>
                  <th scope="col">{b.status}</th>
                  <th scope="col">{b.code}</th>
                  <th scope="col">{b.card}</th>
                  <th scope="col">{b.flagsColumn}</th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((r) => (
                  <tr key={r.id} data-bill={r.billNumber}>
                    <td>
                      <a href={`/admin/bills/${r.billNumber}`}>{r.billNumber}</a>
                    </td>
                    <td>
                      <a href={`/admin/orders/${encodeURIComponent(r.orderNumber)}`}>{r.orderNumber}</a>
                    </td>
                    <td>{formatDateTime(r.firstSeenAt, locale)}</td>
                    <td className="num">{money(r.amountKopecks, r.currency)}</td>
                    <td>
                      <StatusBadge status={r.status} t={a} />
                    </td>
                    <td>{responseText(r.responseCode, locale)}</td>
                    <td>{r.maskedCard ?? '—'}</td>
                    <td>
                      {r.testMode ? <span className="admin-badge admin-test">{b.testBadge}</span> : null}
                      <FlagBadges flags={r.flags} t={a} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <nav className="admin-pager" aria-label={b.title}>
          {after ? <a href={`/admin/bills${query(filters)}`}>{b.first}</a> : null}
          {page.next ? (
            <a href={`/admin/bills${query(filters, { after: encodeCursor(page.next) })}`} rel="next">
              {b.next}
            </a>
          ) : null}
        </nav>
      </section>
    </>
  );
}
