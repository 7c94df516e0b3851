import { historyFieldText, historyValueText } from '@/lib/admin/history-text';
import type { Dictionary, Locale } from '@/lib/i18n';
import type { AdminActionRow, ChangeRow, OrderBills } from '@/lib/payments/bill-queries/detail';
import {
  FlagBadges,
  formatDateTime,
  gatewayErrorText,
  money,
  responseText,
  StatusBadge,
  TableWrap,
} from './display';

type T = Dictionary['admin'];

export function OrderBillsTable({
  detail,
  current,
  t,
  locale,
}: {
  detail: OrderBills;
  current: string | null;
  t: T;
  locale: Locale;
}) {
  const b = t.bill;
  return (
    <>
      {detail.order ? null : <p className="admin-muted">{b.notOurOrder}</p>}
      <TableWrap label={b.orderBills}>
        <table className="admin-table" data-testid="order-bills">
          <thead>
            <tr>
              <th scope="col">{t.bills.bill}</th>
              <th scope="col">{t.bills.date}</th>
              <th scope="col" className="num">
                {t.bills.amount}
              </th>
              <th scope="col">{t.bills.status}</th>
              <th scope="col">{t.bills.code}</th>
              <th scope="col">{t.bills.flagsColumn}</th>
            </tr>
          </thead>
          <tbody>
            {detail.bills.map((bill) => (
              <tr
                key={bill.id}
                data-actual={bill.actual ? 'true' : undefined}
                aria-current={bill.billNumber === current ? 'true' : undefined}
              >
                <td>
                  <a href={`/admin/bills/${bill.billNumber}`}>{bill.billNumber}</a>
                  {bill.actual ? <span className="admin-badge admin-actual"> {b.actual}</span> : null}
                </td>
                <td>{formatDateTime(bill.firstSeenAt, locale)}</td>
                <td className="num">{money(bill.amountKopecks, bill.currency)}</td>
                <td>
                  <StatusBadge status={bill.status} t={t} />
                </td>
                <td>{responseText(bill.responseCode, locale)}</td>
                <td>
                  <FlagBadges flags={bill.flags} t={t} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

export function ActionsTable({ actions, t, locale }: { actions: AdminActionRow[]; t: T; locale: Locale }) {
  const b = t.bill;
  if (actions.length === 0) return <p>{b.noActions}</p>;
  return (
    <TableWrap label={b.actions}>
      <table className="admin-table" data-testid="admin-actions">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{b.at}</th>
            <th scope="col">{b.who}</th>
            <th scope="col">{b.kind}</th>
            <th scope="col" className="num">
              {b.amount}
            </th>
            <th scope="col">{b.reason}</th>
            <th scope="col">{b.comment}</th>
            <th scope="col">{b.state}</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => (
            <tr key={a.id} data-state={a.state}>
              <td>{a.id}</td>
              <td>{formatDateTime(a.createdAt, locale)}</td>
              <td>{a.actorEmail}</td>
              <td>{b.kinds[a.kind]}</td>
              <td className="num">
                {a.amountKopecks === null ? b.full : money(a.amountKopecks, a.currency)}
              </td>
              <td>{a.reason ? b.reasons[a.reason] : '—'}</td>
              <td>{a.comment || '—'}</td>
              <td>
                {b.states[a.state]}
                {a.settledBy === 'reread' ? ` (${b.settledByReread})` : null}
                {a.gatewayError && a.state !== 'succeeded'
                  ? `: ${gatewayErrorText(a.gatewayError, t, locale)}`
                  : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function HistoryTable({
  changes,
  t,
  locale,
  showBill,
}: {
  changes: ChangeRow[];
  t: T;
  locale: Locale;
  showBill: boolean;
}) {
  const b = t.bill;
  if (changes.length === 0) return <p>{b.noHistory}</p>;
  return (
    <TableWrap label={b.history}>
      <table className="admin-table admin-history" data-testid="bill-history">
        <thead>
          <tr>
            <th scope="col">{b.at}</th>
            {showBill ? <th scope="col">{t.bills.bill}</th> : null}
            <th scope="col">{b.field}</th>
            <th scope="col">{b.oldValue}</th>
            <th scope="col">{b.newValue}</th>
            <th scope="col">{b.source}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.id}>
              <td>{formatDateTime(c.at, locale)}</td>
              {showBill ? <td>{c.billNumber}</td> : null}
              <td>{historyFieldText(c.field, t)}</td>
              <td className="admin-value">{historyValueText(c.field, c.oldValue, t, locale)}</td>
              <td className="admin-value">{historyValueText(c.field, c.newValue, t, locale)}</td>
              <td>{c.source in b.sources ? b.sources[c.source as keyof typeof b.sources] : c.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
