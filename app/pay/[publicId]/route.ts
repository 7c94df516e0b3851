import { createElement } from 'react';
import { LruCache } from '@/lib/cache/lru';
import { getDb } from '@/lib/db/client';
import { writeGeneration } from '@/lib/db/write-generation';
import { getEnv } from '@/lib/env';
import { originOf, payPageCsp } from '@/lib/http/csp';
import { DEFAULT_LOCALE, getDictionary, isLocale } from '@/lib/i18n';
import { logEvent } from '@/lib/log';
import { encodeHtmlWindows1251 } from '@/lib/payments/cp1251';
import { orderReceipt } from '@/lib/payments/fiscal';
import { getGateway } from '@/lib/payments/gateway';
import { paymentFormForOrder } from '@/lib/payments/payment-form';
import { findOrderRowByPublicId, type Order, payability } from '@/lib/shop/orders';
import { AUTO_SUBMIT_SCRIPT, PayPage } from './PayPage';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /pay/<public id>: the page holding the hidden-field form, served as windows-1251 (the seed's
 * rule), submitting itself to the gateway. Rendered from the same React component tree as the pages.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ publicId: string }> }) {
  const { publicId } = await params;
  const db = await getDb();
  // Taken before the read: a write counted after it marks the row kept below as possibly stale.
  const generation = writeGeneration(db);
  const cached = formPages.get(publicId);
  const order =
    generation !== undefined && cached?.generation === generation
      ? cached.order
      : await findOrderRowByPublicId(db, publicId);
  const t = getDictionary(order && isLocale(order.language) ? order.language : DEFAULT_LOCALE);
  if (!order) return render(createElement(PayPage, { kind: 'message', t, message: t.order.notFound }), 404);
  const orderUrl = `/orders/${order.publicId}`;
  const state = payability(order, new Date());
  if (state !== 'payable') {
    const message =
      state === 'expired' ? t.order.expired : state === 'cancelled' ? t.order.cancelled : t.pay.notPayable;
    return render(createElement(PayPage, { kind: 'message', t, message, orderUrl }), 409);
  }
  // The order row is current (just read, or kept while nothing could have written it), so whether it
  // may be paid is decided afresh on every request; only the page's bytes are reused, and only while the
  // row is unchanged.
  const version = order.updatedAt.getTime();
  if (cached?.version === version) {
    formPages.set(publicId, { ...cached, order, generation });
    return respond(cached.bytes, 200);
  }
  const env = getEnv();
  const receipt = await orderReceipt(db, order, env.assist.fiscal);
  const built = paymentFormForOrder(getGateway(), order, env.APP_URL, receipt);
  if (!built.ok) {
    logEvent('payment_form_invalid', { order: order.orderNumber, field: built.error.field }, 'error');
    return render(createElement(PayPage, { kind: 'message', t, message: t.pay.formError, orderUrl }), 422);
  }
  const bytes = await renderBytes(
    createElement(PayPage, {
      kind: 'form',
      t,
      orderNumber: order.orderNumber,
      amountKopecks: order.totalKopecks,
      currency: order.currency,
      form: built.form,
    }),
  );
  formPages.set(publicId, { version, bytes, order, generation });
  return respond(bytes, 200);
}

/**
 * Rendered form pages by order: a customer reloading the page, or several tabs, cost one database read
 * each and no rendering. The form is made from fields fixed when the order is placed and from this
 * process's configuration, so a page is keyed by the order row's version. On PGlite the row itself is
 * kept with the database's write counter it was read at and reused while no statement could have
 * written since (lib/db/write-generation.ts: one process owns the folder); on PostgreSQL it is always
 * read, as another process may have paid the order.
 */
const formPages = new LruCache<
  string,
  { version: number; bytes: Uint8Array<ArrayBuffer>; order: Order; generation: number | undefined }
>(1000);

// A static import of react-dom/server fails the build in a route handler; the edge build works.
let server: Promise<typeof import('react-dom/server.edge')> | undefined;

async function renderBytes(element: ReturnType<typeof createElement>): Promise<Uint8Array<ArrayBuffer>> {
  server ??= import('react-dom/server.edge');
  const { renderToStaticMarkup } = await server;
  return new Uint8Array(encodeHtmlWindows1251(`<!DOCTYPE html>${renderToStaticMarkup(element)}`));
}

async function render(element: ReturnType<typeof createElement>, status: number): Promise<Response> {
  return respond(await renderBytes(element), status);
}

// Fixed for the process (the script and the gateway's address): hashed once, not per request.
let cspHeader: string | undefined;
function csp(): string {
  cspHeader ??= payPageCsp({ script: AUTO_SUBMIT_SCRIPT, gatewayOrigin: originOf(getEnv().assist.server) });
  return cspHeader;
}

function respond(bytes: Uint8Array<ArrayBuffer>, status: number): Response {
  return new Response(bytes, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=windows-1251',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': csp(),
    },
  });
}
