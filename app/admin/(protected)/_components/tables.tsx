import { historyFieldText, historyValueText } from '@/lib/admin/history-text';
import type { Dictionary, Locale } from '@/lib/i18n';
import type { AdminActionRow, ChangeRow, OperationRow, OrderBills } from '@/lib/payments/bill-queries/detail';
import {
  AdminTable,
  FlagBadges,
  formatDateTime,
  gatewayErrorText,
  money,
  responseText,
  StatusBadge,
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
      <AdminTable
        label={b.orderBills}
        testId="order-bills"
        columns={[
          t.bills.bill,
          t.bills.date,
          { label: t.bills.amount, num: true },
          t.bills.status,
          t.bills.code,
          t.bills.flagsColumn,
        ]}
      >
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
      </AdminTable>
    </>
  );
}

export function ActionsTable({ actions, t, locale }: { actions: AdminActionRow[]; t: T; locale: Locale }) {
  const b = t.bill;
  if (actions.length === 0) return <p>{b.noActions}</p>;
  return (
    <AdminTable
      label={b.actions}
      testId="admin-actions"
      columns={['#', b.at, b.who, b.kind, { label: b.amount, num: true }, b.reason, b.comment, b.state]}
    >
      {actions.map((a) => (
        <tr key={a.id} data-state={a.state}>
          <td>{a.id}</td>
          <td>{formatDateTime(a.createdAt, locale)}</td>
          <td>{a.actorEmail}</td>
          <td>{b.kinds[a.kind]}</td>
          <td className="num">{a.amountKopecks === null ? b.full : money(a.amountKopecks, a.currency)}</td>
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
    </AdminTable>
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
    <AdminTable
      label={b.history}
      testId="bill-history"
      className="admin-history"
      columns={[b.at, showBill ? t.bills.bill : null, b.field, b.oldValue, b.newValue, b.source]}
    >
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
    </AdminTable>
  );
}

export function OperationsTable({
  operations,
  t,
  locale,
}: {
  operations: OperationRow[];
  t: T;
  locale: Locale;
}) {
  const b = t.bill;
  if (operations.length === 0) return <p>{b.noOperations}</p>;
  return (
    <AdminTable
      label={b.operations}
      testId="operations"
      columns={[b.operation, b.kind, b.outcome, { label: b.amount, num: true }, b.at, b.code]}
    >
      {operations.map((o) => (
        <tr key={o.id}>
          <td>{o.operationId}</td>
          <td>{o.kind in b.opKinds ? b.opKinds[o.kind as keyof typeof b.opKinds] : o.rawKind}</td>
          <td>
            {o.outcome in b.opOutcomes ? b.opOutcomes[o.outcome as keyof typeof b.opOutcomes] : o.rawOutcome}
          </td>
          <td className="num">{money(o.amountKopecks, o.currency)}</td>
          <td>{formatDateTime(o.at, locale)}</td>
          <td>{responseText(o.responseCode, locale)}</td>
        </tr>
      ))}
    </AdminTable>
  );
}
