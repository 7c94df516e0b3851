import { z } from 'zod';
import type { AssistConfig } from '../config';
import { checkFormInput, formText, isCp1251, paymentFormInputFields } from '../form-rules';
import type { FieldIssue, FormResult, PaymentFormInput, PaymentMethod } from '../gateway';
import { formatAmount } from '../money';

/** Mode 1 sends order data only; mode 2 also the customer (docs/assist-protocol.md §8). */
export const LEGACY_FORM_PATHS = { 1: '/shops/purchase.cfm', 2: '/shops/cardpayment.cfm' } as const;

/**
 * Payment toggles the legacy form knows. PayCash is what became Yandex.Money; Apple Pay and the other
 * modern methods did not exist in 2010, and `AssistIDCCPayment` has no counterpart in our vocabulary.
 */
const METHOD_FIELDS: Partial<Record<PaymentMethod, string>> = {
  card: 'CardPayment',
  webMoney: 'WebMoneyPayment',
  yandexMoney: 'PayCashPayment',
  qiwi: 'QiwiBeelinePayment',
};

export { isCp1251 };

/** The form is submitted in windows-1251: a value it cannot carry would reach ASSIST as `?`. */
function text(max: number) {
  return formText(max).refine(isCp1251, { message: 'must be representable in windows-1251' });
}

const inputSchema = z.object({
  ...paymentFormInputFields(text, 255),
  paymentMethods: z
    .partialRecord(
      z.enum(['card', 'yandexMoney', 'webMoney', 'qiwi', 'applePay', 'googlePay', 'mirPay', 'fastPay']),
      z.boolean(),
    )
    .optional(),
});

/**
 * Builds the legacy payment form (docs/assist-protocol.md §8): `Shop_IDP`, `Order_IDP`, `Subtotal_P`… posted in
 * windows-1251 to `purchase.cfm` (mode 1) or `cardpayment.cfm` (mode 2). The legacy form is unsigned.
 * `DemoResult` goes only to a test gateway: on a production host it would be a field ASSIST never
 * expects. Invalid input is a typed error naming the field; nothing is truncated or transliterated.
 */
export function buildLegacyPaymentForm(config: AssistConfig, input: PaymentFormInput): FormResult {
  const unknownMethods: FieldIssue[] = [];
  for (const [method, on] of Object.entries(input.paymentMethods ?? {}) as Array<[PaymentMethod, boolean]>) {
    if (on && METHOD_FIELDS[method] === undefined) {
      unknownMethods.push({
        field: `paymentMethods.${method}`,
        message: 'is not offered by the legacy protocol',
      });
    }
  }
  if (input.receipt)
    unknownMethods.push({ field: 'receipt', message: 'the legacy protocol has no fiscal receipts' });
  const checked = checkFormInput(inputSchema, input, config.formMode, unknownMethods);
  if (!checked.ok) return checked;
  const order = checked.order;
  const fields: Array<[string, string]> = [
    ['Shop_IDP', config.merchantId],
    ['Order_IDP', order.orderNumber],
    ['Subtotal_P', formatAmount(order.amountKopecks)],
    ['Currency', order.currency],
    ['Language', order.language === 'EN' ? '1' : '0'],
    ['Delay', order.twoStage ? '1' : '0'],
  ];
  const optional: Array<[string, string | undefined]> = [
    ['URL_RETURN', order.returnUrl],
    ['URL_RETURN_OK', order.returnUrlOk],
    ['URL_RETURN_NO', order.returnUrlNo],
    ['Comment', order.comment],
  ];
  for (const [method, name] of Object.entries(METHOD_FIELDS) as Array<[PaymentMethod, string]>) {
    const on = order.paymentMethods?.[method];
    if (on !== undefined) optional.push([name, on ? '1' : '0']);
  }
  if (config.formMode === 2) {
    const c = order.customer ?? {};
    optional.push(
      ['LastName', c.lastName],
      ['FirstName', c.firstName],
      ['MiddleName', c.middleName],
      ['Email', c.email],
      ['Phone', c.phone],
      ['Address', c.address],
      ['Country', c.country],
      ['State', c.state],
      ['City', c.city],
      ['Zip', c.zip],
    );
  }
  if (config.testMode && config.demoResult !== undefined) optional.push(['DemoResult', config.demoResult]);
  for (const [name, value] of optional) if (value !== undefined && value !== '') fields.push([name, value]);
  return {
    ok: true,
    form: {
      action: `${config.server}${LEGACY_FORM_PATHS[config.formMode]}`,
      method: 'POST',
      acceptCharset: 'windows-1251',
      fields,
    },
  };
}
