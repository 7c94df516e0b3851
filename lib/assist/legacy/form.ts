import { z } from 'zod';
import type { AssistConfig } from '../config';
import { formText, formUrl, isCp1251 } from '../form-rules';
import type { FieldIssue, FormResult, PaymentFormInput, PaymentMethod } from '../gateway';
import { formatAmount, MAX_KOPECKS } from '../money';

/** Mode 1 sends order data only; mode 2 also the customer (ASSIST.md §8). */
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

const url = () => formUrl(text);

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
  comment: text(255).optional(),
  paymentMethods: z
    .partialRecord(
      z.enum(['card', 'yandexMoney', 'webMoney', 'qiwi', 'applePay', 'googlePay', 'mirPay', 'fastPay']),
      z.boolean(),
    )
    .optional(),
  customer: customerSchema.optional(),
});

/**
 * Builds the legacy payment form (ASSIST.md §8): `Shop_IDP`, `Order_IDP`, `Subtotal_P`… posted in
 * windows-1251 to `purchase.cfm` (mode 1) or `cardpayment.cfm` (mode 2). The legacy form is unsigned.
 * `DemoResult` goes only to a test gateway: on a production host it would be a field ASSIST never
 * expects. Invalid input is a typed error naming the field; nothing is truncated or transliterated.
 */
export function buildLegacyPaymentForm(config: AssistConfig, input: PaymentFormInput): FormResult {
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
  for (const [method, on] of Object.entries(input.paymentMethods ?? {}) as Array<[PaymentMethod, boolean]>) {
    if (on && METHOD_FIELDS[method] === undefined) {
      issues.push({ field: `paymentMethods.${method}`, message: 'is not offered by the legacy protocol' });
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
