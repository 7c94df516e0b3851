import { z } from 'zod';
import { checkvalue, formCheckvalueInput } from '../checkvalue';
import { chequeItemsJson, chequeTotal } from '../cheque';
import type { AssistConfig } from '../config';
import { checkFormInput, formText, ORDER_COMMENT_MAX, paymentFormInputFields } from '../form-rules';
import type { FieldIssue, FormResult, PaymentFormInput, PaymentMethod } from '../gateway';
import { formatAmount } from '../money';

const METHOD_FIELDS: Record<PaymentMethod, string> = {
  card: 'CardPayment',
  yandexMoney: 'YMPayment',
  webMoney: 'WMPayment',
  qiwi: 'QIWIPayment',
  applePay: 'ApplePayPayment',
  googlePay: 'GooglePayPayment',
  mirPay: 'MirPayPayment',
  fastPay: 'FastPayPayment',
};

const inputSchema = z.object({
  ...paymentFormInputFields(formText, ORDER_COMMENT_MAX),
  paymentMethods: z
    .partialRecord(z.enum(Object.keys(METHOD_FIELDS) as [PaymentMethod]), z.boolean())
    .optional(),
});

/**
 * Builds the current API's payment form (docs/assist-protocol.md §2). Invalid input is a typed error naming the field:
 * a truncated order number or e-mail would pay the wrong order or lose the receipt.
 */
export function buildPaymentForm(config: AssistConfig, input: PaymentFormInput): FormResult {
  const checked = checkFormInput(inputSchema, input, config.formMode, receiptIssues(config, input));
  if (!checked.ok) return checked;
  const order = checked.order;
  const amount = formatAmount(order.amountKopecks);
  const fields: Array<[string, string]> = [
    ['Merchant_ID', config.merchantId],
    ['OrderNumber', order.orderNumber],
    ['OrderAmount', amount],
    ['OrderCurrency', order.currency],
    ['Delay', order.twoStage ? '1' : '0'],
    ['Language', order.language],
  ];
  const optional: Array<[string, string | undefined]> = [
    ['URL_RETURN', order.returnUrl],
    ['URL_RETURN_OK', order.returnUrlOk],
    ['URL_RETURN_NO', order.returnUrlNo],
    ['OrderComment', order.comment],
  ];
  for (const [method, name] of Object.entries(METHOD_FIELDS) as Array<[PaymentMethod, string]>) {
    const on = order.paymentMethods?.[method];
    if (on !== undefined) optional.push([name, on ? '1' : '0']);
  }
  // Mode 1 sends order data only: the customer types their details on ASSIST's page, and nothing
  // personal leaves the shop in a form the customer's browser carries (README "Configuration").
  const c = config.formMode === 2 ? (order.customer ?? {}) : {};
  optional.push(
    ['Lastname', c.lastName],
    ['Firstname', c.firstName],
    ['Middlename', c.middleName],
    ['Email', c.email],
    ['MobilePhone', c.phone],
    ['Address', c.address],
    ['Country', c.country],
    ['State', c.state],
    ['City', c.city],
    ['Zip', c.zip],
  );
  for (const [name, value] of optional) if (value !== undefined && value !== '') fields.push([name, value]);
  if (input.receipt && config.fiscal)
    fields.push(['ChequeItems', chequeItemsJson(input.receipt, config.fiscal.codes)]);
  if (config.secret !== null) {
    const x = formCheckvalueInput({
      merchantId: config.merchantId,
      orderNumber: order.orderNumber,
      orderAmount: amount,
      orderCurrency: order.currency,
    });
    fields.push(['Checkvalue', checkvalue(config.secret, x)]);
  }
  return {
    ok: true,
    form: { action: `${config.server}/pay/order.cfm`, method: 'POST', acceptCharset: 'UTF-8', fields },
  };
}

/** A receipt must add up to the amount, go to an e-mail, and only be sent when fiscalisation is on. */
function receiptIssues(config: AssistConfig, input: PaymentFormInput): FieldIssue[] {
  const receipt = input.receipt;
  if (!receipt) return [];
  if (!config.fiscal) return [{ field: 'receipt', message: 'ASSIST_FISCAL is off' }];
  const issues: FieldIssue[] = [];
  if (receipt.length === 0) issues.push({ field: 'receipt', message: 'has no items' });
  else if (chequeTotal(receipt) !== input.amountKopecks)
    issues.push({ field: 'receipt', message: 'items must sum to the order amount' });
  if (!input.customer?.email)
    issues.push({ field: 'customer.email', message: 'is required for the receipt' });
  return issues;
}
