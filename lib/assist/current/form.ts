import { z } from 'zod';
import { checkvalue, formCheckvalueInput } from '../checkvalue';
import type { AssistConfig } from '../config';
import { formText, formUrl } from '../form-rules';
import type { FieldIssue, FormResult, PaymentFormInput, PaymentMethod } from '../gateway';
import { formatAmount, MAX_KOPECKS } from '../money';

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

const text = formText;
const url = () => formUrl(formText);

const customerSchema = z.object({
  lastName: text(70).optional(),
  firstName: text(70).optional(),
  middleName: text(70).optional(),
  email: text(128)
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'must be an e-mail address' })
    .optional(),
  phone: z
    .string()
    .regex(/^\+?\d{5,19}$/, { message: 'must be digits with an optional leading +, at most 20 characters' })
    .optional(),
  address: text(256).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2,3}$/, { message: 'must be a 2- or 3-letter country code' })
    .optional(),
  state: z
    .string()
    .regex(/^[A-Za-z0-9]{1,3}$/, { message: 'at most 3 letters or digits' })
    .optional(),
  city: text(70).optional(),
  zip: text(25).optional(),
});

const inputSchema = z.object({
  orderNumber: text(128).min(1, { message: 'is required' }),
  amountKopecks: z
    .number()
    .int({ message: 'must be a whole number of kopecks' })
    .min(1, { message: 'must be positive' })
    .max(MAX_KOPECKS, { message: `at most ${MAX_KOPECKS} kopecks` }),
  currency: z.string().regex(/^[A-Z]{3}$/, { message: 'must be 3 capital letters, e.g. RUB' }),
  twoStage: z.boolean(),
  language: z.enum(['RU', 'EN']),
  returnUrl: url().optional(),
  returnUrlOk: url().optional(),
  returnUrlNo: url().optional(),
  comment: text(4000).optional(),
  paymentMethods: z
    .partialRecord(z.enum(Object.keys(METHOD_FIELDS) as [PaymentMethod]), z.boolean())
    .optional(),
  customer: customerSchema.optional(),
});

/**
 * Builds the current API's payment form (ASSIST.md §2). Invalid input is a typed error naming the field:
 * a truncated order number or e-mail would pay the wrong order or lose the receipt.
 */
export function buildPaymentForm(config: AssistConfig, input: PaymentFormInput): FormResult {
  const parsed = inputSchema.safeParse(input);
  const issues: FieldIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  const customer = input.customer ?? {};
  if (config.formMode === 2) {
    for (const key of ['lastName', 'firstName', 'email'] as const) {
      if (!customer[key]) issues.push({ field: `customer.${key}`, message: 'is required in form mode 2' });
    }
  }
  const first = issues[0];
  if (first || !parsed.success) {
    return {
      ok: false,
      error: {
        kind: 'invalid_order',
        field: first?.field ?? '',
        message: first?.message ?? 'invalid',
        issues,
      },
    };
  }
  const order = parsed.data;
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
  const c = order.customer ?? {};
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
