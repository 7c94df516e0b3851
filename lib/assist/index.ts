/**
 * Public surface of the ASSIST adapter. Everything outside `lib/assist` imports from here and speaks the
 * protocol-neutral names; `current/` and `legacy/` hold the two implementations.
 */
import type { AssistConfig } from './config';
import { createCurrentGateway } from './current/gateway';
import type { AssistGateway, ClientOptions } from './gateway';
import { createLegacyGateway } from './legacy/gateway';

export type { ActualStatus, Anomaly, BillForStatus, OrderForStatus } from './actual-status';
export { actualStatus } from './actual-status';
export type {
  ActionVerdict,
  BillActions,
  BillActionsInput,
  BillForActions,
  InFlightAction,
} from './bill-actions';
export { billActions, checkActionAmount } from './bill-actions';
export { billNumberSchema, compareBillNumbers, isBillNumber } from './billnumber';
export { checkvalue, checkvaluesEqual } from './checkvalue';
export type {
  ChequeError,
  ChequeItem,
  ChequeLine,
  ChequeResult,
  FiscalCodes,
  FiscalPaymentMethod,
  PaymentSubject,
  TaxationSystem,
  VatRate,
} from './cheque';
export {
  buildCheque,
  chequeForAmount,
  chequeItemsJson,
  chequeTotal,
  DEFAULT_FISCAL_CODES,
  formatQuantity,
  PAYMENT_SUBJECTS,
  rateAllowed,
  remainingItems,
  TAXATION_SYSTEMS,
  VAT_RATES,
} from './cheque';
export { errorCodeText, isNothingFound, isSuccessCode, responseCodeText } from './codes';
export type { AssistConfig, AssistConfigResult, AssistProtocol, FiscalConfig } from './config';
export { parseAssistConfig } from './config';
export { parseAssistDate } from './dates';
export type { FormCharset } from './form-body';
export { decodeFormBody } from './form-body';
export { assistKeeps, isCp1251 } from './form-rules';
export type * from './gateway';
export { MAX_REPORT_WINDOW_MS } from './gateway';
export { gatewayErrorSchema } from './gateway-error';
export type { RetryPolicy } from './http';
export type { FieldChange, MergeResult, OperationFacts } from './merge';
export { addsNoOperation, confirmedOperation, mergeBill } from './merge';
export { formatAmount, MAX_KOPECKS, parseAmount } from './money';
export { holdsMoney, isPositive, mapOrderState } from './status';
export type * from './types';
export { PAYMENT_STATUSES } from './types';

/** The gateway for the configured protocol: `ASSIST_PROTOCOL=legacy` picks the 2010 one, else the current API. */
export function createAssistGateway(config: AssistConfig, options: ClientOptions = {}): AssistGateway {
  return config.protocol === 'legacy'
    ? createLegacyGateway(config, options)
    : createCurrentGateway(config, options);
}
