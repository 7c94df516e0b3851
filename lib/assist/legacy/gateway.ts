import type { AssistConfig } from '../config';
import type { AssistGateway, ClientOptions } from '../gateway';
import { notificationReply } from '../notification';
import { createLegacyClient } from './client';
import { buildLegacyPaymentForm } from './form';
import { parseLegacyNotification } from './notification';

/**
 * The AssistGateway for the legacy 2010 protocol (secure.assist.ru), which django-assist-ru spoke.
 * The notification reply is the same `pushpaymentresult` document in both generations.
 */
export function createLegacyGateway(config: AssistConfig, options: ClientOptions = {}): AssistGateway {
  const client = createLegacyClient(config, options);
  return {
    protocol: 'legacy',
    paymentForm: (order) => buildLegacyPaymentForm(config, order),
    report: (window, opts) => client.report(window, opts),
    bills: (query, opts) => client.bills(query, opts),
    charge: (request, opts) => client.charge(request, opts),
    cancel: (request, opts) => client.cancel(request, opts),
    // The 2010 protocol has no receipt fields; the configuration refuses ASSIST_FISCAL with it.
    fiscalReceipt: async () => ({
      ok: false,
      outcome: 'failed',
      error: {
        kind: 'invalid_request',
        field: 'fiscal',
        message: 'the legacy protocol has no fiscal receipts',
      },
    }),
    parseNotification: (fields) => parseLegacyNotification(config, fields),
    notificationReply,
  };
}
