import 'server-only';
import { type AssistGateway, createAssistGateway } from '@/lib/assist';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { outboundSignal } from '@/lib/ops/shutdown';
import { withCallLog } from './logged-gateway';
import { legacyReportBudget } from './read-budget';

const cache = globalThis as typeof globalThis & { __assistGateway?: AssistGateway };

/**
 * The one gateway adapter of this process, built from the validated configuration. With the legacy
 * protocol every results.cfm request draws from one budget in the database (once per 10 minutes).
 */
export function getGateway(): AssistGateway {
  const env = getEnv();
  const config = env.assist;
  cache.__assistGateway ??= withCallLog(
    stoppedWithProcess(
      createAssistGateway(
        config,
        config.protocol === 'legacy'
          ? { reportBudget: legacyReportBudget(getDb, env.ASSIST_LEGACY_REPORT_INTERVAL_SECONDS) }
          : {},
      ),
    ),
  );
  return cache.__assistGateway;
}

/**
 * Every web-service call also ends when the stopping server gives up on it: a charge then comes back
 * `unknown`, is recorded so, and the next re-check settles it from the gateway's own record.
 */
export function stoppedWithProcess(
  gateway: AssistGateway,
  signal: AbortSignal = outboundSignal(),
): AssistGateway {
  const withSignal = <T extends { signal?: AbortSignal }>(options: T | undefined) =>
    ({ ...options, signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal }) as T;
  return {
    protocol: gateway.protocol,
    paymentForm: (order) => gateway.paymentForm(order),
    parseNotification: (fields) => gateway.parseNotification(fields),
    notificationReply: (result) => gateway.notificationReply(result),
    report: (window, options) => gateway.report(window, withSignal(options)),
    bills: (query, options) => gateway.bills(query, withSignal(options)),
    charge: (request, options) => gateway.charge(request, withSignal(options)),
    cancel: (request, options) => gateway.cancel(request, withSignal(options)),
    fiscalReceipt: (request, options) => gateway.fiscalReceipt(request, withSignal(options)),
  };
}
