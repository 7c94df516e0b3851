import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireStaff } from '@/lib/admin/auth';
import { getOrderDetail } from '@/lib/admin/bills';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { getLocale, getT } from '@/lib/i18n/server';
import { AdminNav, FlagBadges, formatDateTime, money, StatusBadge } from '../../_components/display';
import { ActionsTable, HistoryTable, OrderBillsTable } from '../../_components/tables';

type Params = { orderNumber: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const [{ orderNumber }, t] = await Promise.all([params, getT()]);
  return { title: `${t.admin.order.title}${orderNumber}` };
}

export default async function OrderPage({ params }: { params: Promise<Params> }) {
  const { orderNumber } = await params;
  if (!/^[A-Za-z0-9-]{1,128}$/.test(orderNumber)) notFound();
  const [who, tAll, locale, db] = await Promise.all([
    requireStaff('viewer', `/admin/orders/${encodeURIComponent(orderNumber)}`),
    getT(),
    getLocale(),
    getDb(),
  ]);
  const detail = await getOrderDetail(db, orderNumber, getEnv().assist.testMode);
  if (!detail) notFound();
  const t = tAll.admin;
  const o = t.order;
  const { order } = detail;
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
            <dt>{o.created}</dt>
            <dd>{formatDateTime(order.createdAt, locale)}</dd>
          </dl>
        ) : null}
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
