import type { ActionResult, AssistGateway, GatewayError, ReadResult } from '@/lib/assist';
import { logEvent } from '@/lib/log';

type Outcome = { outcome: string; error?: GatewayError; bills?: number };

function errorFields(error: GatewayError | undefined): Record<string, unknown> {
  if (!error) return {};
  switch (error.kind) {
    case 'gateway':
      return { error: error.kind, firstCode: error.firstCode, secondCode: error.secondCode };
    case 'http':
      return { error: error.kind, httpStatus: error.status };
    case 'timeout':
      return { error: error.kind, timeoutMs: error.timeoutMs };
    case 'network':
      return { error: error.kind, sent: error.sent };
    case 'invalid_request':
      return { error: error.kind, field: error.field };
    case 'malformed':
      return { error: error.kind, message: error.message };
    case 'rate_limited':
      return { error: error.kind, retryAfterSeconds: error.retryAfterSeconds };
    case 'declined':
    case 'in_process':
      return { error: error.kind, responseCode: error.responseCode };
  }
}

function readOutcome(r: ReadResult): Outcome {
  return r.ok ? { outcome: 'ok', bills: r.bills.length } : { outcome: 'error', error: r.error };
}

function actionOutcome(r: ActionResult): Outcome {
  return r.ok ? { outcome: 'ok' } : { outcome: r.outcome, error: r.error };
}

async function timed<T>(service: string, call: () => Promise<T>, outcomeOf: (r: T) => Outcome, extra = {}) {
  const started = performance.now();
  const result = await call();
  const { error, ...rest } = outcomeOf(result);
  logEvent(
    'assist_call',
    {
      service,
      durationMs: Math.round(performance.now() - started),
      ...extra,
      ...rest,
      ...errorFields(error),
    },
    rest.outcome === 'ok' ? 'info' : 'warn',
  );
  return result;
}

/**
 * Logs every web-service call (service, duration, outcome, firstcode/secondcode) without touching the
 * adapter: credentials and card data never reach these lines because only outcomes are logged.
 */
export function withCallLog(gateway: AssistGateway): AssistGateway {
  return {
    protocol: gateway.protocol,
    paymentForm: (order) => gateway.paymentForm(order),
    parseNotification: (fields) => gateway.parseNotification(fields),
    notificationReply: (result) => gateway.notificationReply(result),
    report: (window, options) => timed('report', () => gateway.report(window, options), readOutcome),
    bills: (query, options) => timed('bills', () => gateway.bills(query, options), readOutcome),
    charge: (request, options) =>
      timed('charge', () => gateway.charge(request, options), actionOutcome, {
        billNumber: request.billNumber,
      }),
    cancel: (request, options) =>
      timed('cancel', () => gateway.cancel(request, options), actionOutcome, {
        billNumber: request.billNumber,
      }),
    fiscalReceipt: (request, options) =>
      timed(
        'fiscal',
        () => gateway.fiscalReceipt(request, options),
        (r) => (r.ok ? { outcome: 'ok' } : { outcome: r.outcome, error: r.error }),
        { billNumber: request.billNumber, kind: request.kind },
      ),
  };
}
