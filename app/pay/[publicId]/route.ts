import { createElement } from 'react';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { originOf, payPageCsp } from '@/lib/http/csp';
import { DEFAULT_LOCALE, getDictionary, isLocale } from '@/lib/i18n';
import { encodeHtmlWindows1251 } from '@/lib/payments/cp1251';
import { getGateway } from '@/lib/payments/gateway';
import { paymentFormForOrder } from '@/lib/payments/payment-form';
import { findOrderRowByPublicId, payability } from '@/lib/shop/orders';
import { AUTO_SUBMIT_SCRIPT, PayPage } from './PayPage';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /pay/<public id>: the page holding the hidden-field form, served as windows-1251 (the seed's
 * rule), submitting itself to the gateway. Rendered from the same React component tree as the pages.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ publicId: string }> }) {
  const { publicId } = await params;
  const order = await findOrderRowByPublicId(await getDb(), publicId);
  const t = getDictionary(order && isLocale(order.language) ? order.language : DEFAULT_LOCALE);
  if (!order) return render(createElement(PayPage, { kind: 'message', t, message: t.order.notFound }), 404);
  const orderUrl = `/orders/${order.publicId}`;
  const state = payability(order, new Date());
  if (state !== 'payable') {
    const message =
      state === 'expired' ? t.order.expired : state === 'cancelled' ? t.order.cancelled : t.pay.notPayable;
    return render(createElement(PayPage, { kind: 'message', t, message, orderUrl }), 409);
  }
  const built = paymentFormForOrder(getGateway(), order, getEnv().APP_URL);
  if (!built.ok) {
    console.error(
      JSON.stringify({ event: 'payment_form_invalid', order: order.orderNumber, field: built.error.field }),
    );
    return render(createElement(PayPage, { kind: 'message', t, message: t.pay.formError, orderUrl }), 422);
  }
  return render(
    createElement(PayPage, {
      kind: 'form',
      t,
      orderNumber: order.orderNumber,
      amountKopecks: order.totalKopecks,
      currency: order.currency,
      form: built.form,
    }),
    200,
  );
}

// A static import of react-dom/server fails the build in a route handler; the edge build works.
let server: Promise<typeof import('react-dom/server.edge')> | undefined;

async function render(element: ReturnType<typeof createElement>, status: number): Promise<Response> {
  server ??= import('react-dom/server.edge');
  const { renderToStaticMarkup } = await server;
  const bytes = encodeHtmlWindows1251(`<!DOCTYPE html>${renderToStaticMarkup(element)}`);
  return new Response(new Uint8Array(bytes), {
    status,
    headers: {
      'Content-Type': 'text/html; charset=windows-1251',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': payPageCsp({
        script: AUTO_SUBMIT_SCRIPT,
        gatewayOrigin: originOf(getEnv().assist.server),
      }),
    },
  });
}
