import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { getLocale, getT } from '@/lib/i18n/server';
import { orderReceipt } from '@/lib/payments/fiscal';
import { getGateway } from '@/lib/payments/gateway';
import { paymentFormForOrder } from '@/lib/payments/payment-form';
import { localized } from '@/lib/shop/localized';
import { formatRoubles } from '@/lib/shop/money-format';
import { findOrderByPublicId, findOrderRowByPublicId, payability } from '@/lib/shop/orders';
import { formatShopDateTime } from '@/lib/shop/time-zone';
import { PaymentForm } from '../../_components/PaymentForm';
import { PaymentStatusNote } from './_components/PaymentStatusNote';

export const dynamic = 'force-dynamic';
export async function generateMetadata({
  params,
}: {
  params: Promise<{ publicId: string }>;
}): Promise<Metadata> {
  const [t, order] = await Promise.all([
    getT(),
    params.then(({ publicId }) => getDb().then((db) => findOrderRowByPublicId(db, publicId))),
  ]);
  return {
    title: order ? `${t.order.title}${order.orderNumber}` : t.order.notFound,
    robots: { index: false },
  };
}

export default async function OrderPage({ params }: { params: Promise<{ publicId: string }> }) {
  const { publicId } = await params;
  const [t, locale, order] = await Promise.all([
    getT(),
    getLocale(),
    findOrderByPublicId(await getDb(), publicId),
  ]);
  if (!order) notFound();
  const canPay = payability(order, new Date());
  const env = getEnv();
  const form =
    canPay === 'payable'
      ? paymentFormForOrder(
          getGateway(),
          order,
          env.APP_URL,
          await orderReceipt(await getDb(), order, env.assist.fiscal),
        )
      : null;
  return (
    <article>
      <p>
        <a href="/">{t.order.backToCatalogue}</a>
      </p>
      <h1>
        {t.order.title}
        <span data-testid="order-number">{order.orderNumber}</span>
      </h1>
      <PaymentStatusNote t={t} status={order.paymentStatus} />
      <h2>{t.order.items}</h2>
      <ul>
        {order.items.map((i) => (
          <li key={i.id}>
            {localized(i, locale).name} × {i.quantity} — {formatRoubles(i.lineTotalKopecks)}
          </li>
        ))}
      </ul>
      <p>
        {t.order.total}:{' '}
        <strong data-testid="order-total">{formatRoubles(order.totalKopecks, order.currency)}</strong>
      </p>
      {order.twoStage ? <p className="badge">{t.order.twoStage}</p> : null}
      <h2>{t.order.customer}</h2>
      <dl className="customer-details" data-testid="order-customer">
        <dt>{t.order.customer}</dt>
        <dd>{[order.lastName, order.firstName, order.middleName].filter(Boolean).join(' ')}</dd>
        <dt>{t.order.email}</dt>
        <dd>{order.email}</dd>
        {order.phone ? (
          <>
            <dt>{t.order.phone}</dt>
            <dd>{order.phone}</dd>
          </>
        ) : null}
      </dl>
      {canPay === 'payable' ? (
        <>
          <p>
            {t.order.expires}:{' '}
            <span data-testid="order-deadline">{formatShopDateTime(order.expiresAt, locale)}</span>
          </p>
          {form?.ok ? (
            <PaymentForm
              form={form.form}
              submitLabel={order.paymentStatus === 'unpaid' ? t.order.pay : t.order.payAgain}
            />
          ) : (
            <p className="alert error">{t.pay.formError}</p>
          )}
        </>
      ) : null}
      {canPay === 'expired' ? <p className="alert error">{t.order.expired}</p> : null}
      {canPay === 'cancelled' ? <p className="alert error">{t.order.cancelled}</p> : null}
    </article>
  );
}
