import type { AssistGateway, ChequeResult, FormResult } from '@/lib/assist';
import type { Order } from '@/lib/shop/orders';

export type ReturnUrls = { ok: string; no: string };

/** Where ASSIST sends the customer back: our return page, keyed by the unguessable public id. */
export function returnUrls(appUrl: string, publicId: string): ReturnUrls {
  const base = `${appUrl}/orders/${encodeURIComponent(publicId)}/return`;
  return { ok: `${base}?result=ok`, no: `${base}?result=no` };
}

/**
 * The adapter's hidden-field form for one of our orders. Amount, currency and stage come from the
 * stored order (server-computed totals), never from anything the browser sent.
 */
export function paymentFormForOrder(
  gateway: AssistGateway,
  order: Pick<
    Order,
    | 'orderNumber'
    | 'publicId'
    | 'totalKopecks'
    | 'currency'
    | 'twoStage'
    | 'language'
    | 'lastName'
    | 'firstName'
    | 'middleName'
    | 'email'
    | 'phone'
  >,
  appUrl: string,
  /** ASSIST_FISCAL: the order's receipt (lib/payments/fiscal.ts `orderReceipt`); null when off. */
  receipt: ChequeResult | null = null,
): FormResult {
  if (receipt && !receipt.ok)
    return {
      ok: false,
      error: {
        kind: 'invalid_order',
        field: 'receipt',
        message: receipt.error.kind,
        issues: [{ field: 'receipt', message: receipt.error.kind }],
      },
    };
  const urls = returnUrls(appUrl, order.publicId);
  return gateway.paymentForm({
    ...(receipt?.ok ? { receipt: receipt.items } : {}),
    orderNumber: order.orderNumber,
    amountKopecks: order.totalKopecks,
    currency: order.currency,
    twoStage: order.twoStage,
    language: order.language === 'en' ? 'EN' : 'RU',
    returnUrl: urls.no,
    returnUrlOk: urls.ok,
    returnUrlNo: urls.no,
    comment: order.language === 'en' ? `Order ${order.orderNumber}` : `Заказ №${order.orderNumber}`,
    customer: {
      lastName: order.lastName,
      firstName: order.firstName,
      middleName: order.middleName ?? undefined,
      email: order.email,
      phone: order.phone ?? undefined,
    },
  });
}
