import type { AssistConfig } from '../config';
import type { AssistGateway, ClientOptions } from '../gateway';
import { notificationReply } from '../notification';
import { createServiceClient } from './client';
import { requestFiscalReceipt } from './fiscal';
import { buildPaymentForm } from './form';
import { parseNotification } from './notification';

/** The AssistGateway for the current API (payments.paysecure.ru). */
export function createCurrentGateway(config: AssistConfig, options: ClientOptions = {}): AssistGateway {
  const client = createServiceClient(config, options);
  return {
    protocol: 'current',
    paymentForm: (order) => buildPaymentForm(config, order),
    report: (window, opts) => client.resultByDate(window, opts),
    bills: (query, opts) => client.orderResult(query, opts),
    charge: (request, opts) => client.charge(request, opts),
    cancel: (request, opts) => client.cancel(request, opts),
    fiscalReceipt: (request, opts) => requestFiscalReceipt(config, request, opts),
    parseNotification: (fields) => parseNotification(config, fields),
    notificationReply,
  };
}
