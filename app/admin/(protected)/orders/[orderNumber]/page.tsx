import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { authorize, requireStaff } from '@/lib/admin/auth';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import type { SearchParams } from '@/lib/http/search-params';
import { getLocale, getT } from '@/lib/i18n/server';
import { getOrderDetail } from '@/lib/payments/bill-queries/detail';
import { receiptsOfOrder } from '@/lib/payments/fiscal';
import { AdminNav, FlagBadges, formatDateTime, money, StatusBadge } from '../../_components/display';
import { FiscalReceiptsTable } from '../../_components/FiscalReceipts';
import { ActionsTable, HistoryTable, OrderBillsTable } from '../../_components/tables';
import { handOverAction } from '../../fiscal/actions';

/** A result message picked by a query parameter, only from the known ones. */
function flashText(messages: Record<string, string>, key: SearchParams[string]): string | null {
  return typeof key === 'string' && Object.hasOwn(messages, key) ? (messages[key] ?? null) : null;
}

type Params = { orderNumber: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const [{ orderNumber }, t] = await Promise.all([params, getT()]);
  return { title: `${t.admin.order.title}${orderNumber}` };
}

export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<SearchParams>;
}) {
  const [{ orderNumber }, search] = await Promise.all([params, searchParams]);
  if (!/^[A-Za-z0-9-]{1,128}$/.test(orderNumber)) notFound();
  const [who, tAll, locale, db] = await Promise.all([
    requireStaff('viewer', `/admin/orders/${encodeURIComponent(orderNumber)}`),
    getT(),
    getLocale(),
    getDb(),
  ]);
  const env = getEnv();
  const detail = await getOrderDetail(db, orderNumber, env.assist.testMode);
  if (!detail) notFound();
  const t = tAll.admin;
  const o = t.order;
  const { order } = detail;
  const receipts = order ? await receiptsOfOrder(db, order.id) : [];
  const isAdmin = authorize(who, 'admin');
  const canHandOver =
    isAdmin &&
    order?.twoStage &&
    order.status !== 'handed_over' &&
    ['paid', 'partially_charged', 'partially_refunded'].includes(order.paymentStatus);
  const handOverNote = flashText(o.handOverResults, search.handover);
  const fiscalNote = flashText(t.fiscal.results, search.fiscal);
  return (
    <>
      <AdminNav t={t} current="bills" role={who.role} />
      <section className="admin-panel" aria-labelledby="order-title">
        <p>
          <a href="/admin/bills">← {t.bill.back}</a>
        </p>
        <h1 id="order-title">
          {o.title}
          {orderNumber} {detail.status ? <StatusBadge status={detail.status} t={t} /> : null}
        </h1>
        {order ? (
          <dl className="admin-facts" data-testid="order-facts">
            <dt>{o.customer}</dt>
            <dd>
              {order.lastName} {order.firstName} · {order.email}
            </dd>
            <dt>{o.total}</dt>
            <dd>{money(order.totalKopecks, order.currency)}</dd>
            <dt>{o.paymentStatus}</dt>
            <dd data-testid="order-payment-status">
              <StatusBadge status={order.paymentStatus} t={t} />{' '}
              <FlagBadges flags={order.paymentFlags} t={t} />
            </dd>
            <dt>{o.twoStage}</dt>
            <dd>{order.twoStage ? t.bill.yes : t.bill.no}</dd>
            <dt>{o.status}</dt>
            <dd data-testid="order-status">{order.status}</dd>
            <dt>{o.created}</dt>
            <dd>{formatDateTime(order.createdAt, locale)}</dd>
          </dl>
        ) : null}
        {handOverNote ? (
          <p role="status" data-testid="handover-result">
            {handOverNote}
          </p>
        ) : null}
        {canHandOver ? (
          <form action={handOverAction}>
            <input type="hidden" name="orderNumber" value={orderNumber} />
            <p className="muted">{o.handOverHint}</p>
            <button type="submit">{o.handOver}</button>
          </form>
        ) : null}
        <h2>{t.fiscal.title}</h2>
        {fiscalNote ? <p role="status">{fiscalNote}</p> : null}
        <FiscalReceiptsTable
          receipts={receipts}
          t={t}
          locale={locale}
          canResend={isAdmin}
          back={`/admin/orders/${orderNumber}`}
          enabled={Boolean(env.assist.fiscal)}
        />
        <h2>{t.bill.orderBills}</h2>
        <OrderBillsTable detail={detail} current={null} t={t} locale={locale} />
        <h2>{t.bill.actions}</h2>
        <ActionsTable actions={detail.actions} t={t} locale={locale} />
        <h2>{t.bill.history}</h2>
        <HistoryTable changes={detail.changes} t={t} locale={locale} showBill />
      </section>
    </>
  );
}
