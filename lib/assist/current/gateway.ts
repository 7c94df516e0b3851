import type { AssistConfig } from '../config';
import type { AssistGateway } from '../gateway';
import { type ClientOptions, createServiceClient } from './client';
import { requestFiscalReceipt } from './fiscal';
import { buildPaymentForm } from './form';
import { notificationReply, parseNotification } from './notification';

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
