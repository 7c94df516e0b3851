import { formatQuantity } from '@/lib/assist';
import type { Dictionary, Locale } from '@/lib/i18n';
import type { FiscalReceipt } from '@/lib/payments/fiscal';
import { resendReceiptAction } from '../fiscal/actions';
import { AdminTable, formatDateTime, gatewayErrorText, money } from './display';

type T = Dictionary['admin'];

/** The receipts of an order or a bill, item by item, with "send again" for the unanswered or refused. */
export function FiscalReceiptsTable({
  receipts,
  t,
  locale,
  canResend,
  back,
  enabled,
}: {
  receipts: FiscalReceipt[];
  t: T;
  locale: Locale;
  canResend: boolean;
  back: string;
  enabled: boolean;
}) {
  const f = t.fiscal;
  if (receipts.length === 0) return <p>{enabled ? f.none : f.off}</p>;
  return (
    <AdminTable
      label={f.title}
      testId="fiscal-receipts"
      columns={['#', t.bill.at, f.kind, f.operation, f.items, { label: f.amount, num: true }, f.state]}
    >
      {receipts.map((r) => {
        const reply = r.gatewayReply;
        const error = reply?.outcome === 'failed' || reply?.outcome === 'unknown' ? reply.error : null;
        return (
          <tr key={r.id} data-kind={r.kind} data-state={r.state}>
            <td>{r.id}</td>
            <td>{formatDateTime(r.createdAt, locale)}</td>
            <td>{f.kinds[r.kind]}</td>
            <td>
              <code>{r.operationId ?? r.billNumber}</code>
            </td>
            <td>
              <ul className="admin-receipt-items">
                {r.items.map((i) => (
                  <li key={i.id}>
                    {i.name} × {formatQuantity(i.quantityMilli)} = {money(i.amountKopecks, 'RUB')} (
                    {i.vat === 'none' ? f.noVat : `${f.vat} ${i.vat}`}, {f.methods[i.method]})
                  </li>
                ))}
              </ul>
            </td>
            <td className="num">{money(r.amountKopecks, 'RUB')}</td>
            <td>
              {f.states[r.state]}
              {error ? `: ${gatewayErrorText(error, t, locale)}` : null}
              {canResend && (r.state === 'failed' || r.state === 'unknown') ? (
                <form action={resendReceiptAction}>
                  <input type="hidden" name="receiptId" value={r.id} />
                  <input type="hidden" name="back" value={back} />
                  <button type="submit">{f.resend}</button>
                </form>
              ) : null}
            </td>
          </tr>
        );
      })}
    </AdminTable>
  );
}
