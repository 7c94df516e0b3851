import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import type { SearchParams } from '@/lib/http/search-params';
import { fill } from '@/lib/i18n';
import { getLocale, getT } from '@/lib/i18n/server';
import { logEvent } from '@/lib/log';
import { orderReceipt } from '@/lib/payments/fiscal';
import { getGateway } from '@/lib/payments/gateway';
import {
  checkOrderPayment,
  orderCheckSettings,
  parseRefreshCount,
  parseReturnResult,
  RETURN_MAX_REFRESHES,
  RETURN_REFRESH_SECONDS,
  returnView,
} from '@/lib/payments/order-check';
import { paymentFormForOrder } from '@/lib/payments/payment-form';
import { markReachedGateway } from '@/lib/shop/cleanup';
import { findOrderByPublicId, payability } from '@/lib/shop/orders';
import { formatShopDateTime } from '@/lib/shop/time-zone';
import { PaymentForm } from '../../../_components/PaymentForm';
import { PaymentStatusNote } from '../_components/PaymentStatusNote';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).pay.title, robots: { index: false } };
}

type Props = {
  params: Promise<{ publicId: string }>;
  searchParams: Promise<SearchParams>;
};

/**
 * Where the gateway sends the customer back (URL_RETURN_OK / URL_RETURN_NO). Nothing here is trusted:
 * `result` only picks the wording while we wait, the appended billnumber/ordernumber are ignored, and
 * the order's status comes from our database, which notifications, the sync and the metered look-up
 * below update. The page reloads itself (no client JS) until the outcome is known or ~2 minutes pass.
 */
export default async function PaymentReturnPage({ params, searchParams }: Props) {
  const [{ publicId }, query, t, locale, db] = await Promise.all([
    params,
    searchParams,
    getT(),
    getLocale(),
    getDb(),
  ]);
  const found = await findOrderByPublicId(db, publicId);
  if (!found) notFound();
  let order = found;
  if (order.reachedGatewayAt === null) await markReachedGateway(db, order.id);
  const result = parseReturnResult(query.result);
  const refreshes = parseRefreshCount(query.n);
  let view = returnView(result, order, refreshes, new Date());
  // The first landing leaves the notification a moment to arrive; reloads may ask the gateway.
  if (view.pending && refreshes > 0) {
    const check = await checkOrderPayment(db, getGateway(), order, orderCheckSettings(getEnv()));
    if (check.kind === 'failed') {
      logEvent('return_check_failed', { order: order.orderNumber, error: check.error }, 'error');
    }
    if (check.kind === 'checked' && check.paymentStatus !== order.paymentStatus) {
      order = { ...order, paymentStatus: check.paymentStatus };
      view = returnView(result, order, refreshes, new Date());
    }
  }
  const state = payability(order, new Date());
  const form =
    view.stage === 'failed' && state === 'payable'
      ? paymentFormForOrder(
          getGateway(),
          order,
          getEnv().APP_URL,
          await orderReceipt(db, order, getEnv().assist.fiscal),
        )
      : null;
  // A decline reads the same before and after the gateway's word arrives: what happened and until when
  // the order can still be paid (the status note's "not paid yet" would contradict it on first landing).
  const message =
    state === 'expired'
      ? t.order.expired
      : state === 'cancelled'
        ? t.order.cancelled
        : view.stage === 'failed'
          ? fill(t.order.return.failedUntil, { deadline: formatShopDateTime(order.expiresAt, locale) })
          : t.order.return[view.stage];
  const here = `/orders/${encodeURIComponent(order.publicId)}/return?result=${result}`;
  return (
    <article>
      {view.refresh ? (
        <meta httpEquiv="refresh" content={`${RETURN_REFRESH_SECONDS};url=${here}&n=${refreshes + 1}`} />
      ) : null}
      <h1>
        {t.order.return.title}
        <span data-testid="order-number">{order.orderNumber}</span>
      </h1>
      <p
        className={`alert ${view.stage === 'confirmed' ? 'ok' : view.stage === 'failed' ? 'error' : 'info'}`}
        role="status"
        data-testid="return-message"
      >
        {message}
      </p>
      {view.stage === 'confirmed' ? <PaymentStatusNote t={t} status={order.paymentStatus} /> : null}
      {view.refresh ? (
        // A page that reloads by itself must let the reader turn that off (WCAG 2.2.1).
        <p>
          <a href={`${here}&n=${RETURN_MAX_REFRESHES}`}>{t.order.return.stopRefresh}</a>
        </p>
      ) : null}
      {form?.ok ? <PaymentForm form={form.form} submitLabel={t.order.payAgain} /> : null}
      <p>
        <a href={`/orders/${encodeURIComponent(order.publicId)}`}>{t.order.backToOrder}</a>
      </p>
    </article>
  );
}
