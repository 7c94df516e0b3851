import { randomInt } from 'node:crypto';
import { isAssistAmount, parseAmount } from '../assist/money';
import type { AttemptOutcome, BillRow, NewBill } from './bills';
import { type CardCheck, checkCard, isSuccessCode, RESPONSE_MESSAGES } from './cards';
import type { SandboxConfig } from './config';
import type { SandboxCustomer } from './schema';
import type { FormFields } from './urlencoded';

export interface OrderRefusal {
  firstcode: number;
  secondcode: number;
  message: string;
}

export type OrderValidation = { ok: true; bill: NewBill } | { ok: false; error: OrderRefusal };

const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set(['RUB', 'USD', 'EUR']);

export type OrderRefused = Extract<OrderValidation, { ok: false }>;

export const refuse = (firstcode: number, secondcode: number, message: string): OrderRefused => ({
  ok: false,
  error: { firstcode, secondcode, message },
});

/**
 * Field limits of docs/assist-protocol.md §2, shared by both forms but for the comment and the phone's
 * name. Fields without a documented secondcode are refused with secondcode 0.
 */
export function fieldLimits(comment: [field: string, max: number], phone: string): Array<[string, number]> {
  return [
    comment,
    ['url_return', 256],
    ['url_return_ok', 256],
    ['url_return_no', 256],
    ['lastname', 70],
    ['firstname', 70],
    ['middlename', 70],
    ['email', 128],
    [phone, 20],
    ['address', 256],
    ['country', 3],
    ['state', 3],
    ['city', 70],
    ['zip', 25],
  ];
}

/** The order's core fields under each protocol's names: merchant, order number, amount, currency. */
export type CoreFieldNames = { merchant: string; order: string; amount: string; currency: string };

export type OrderCore = {
  merchantId: string;
  orderNumber: string;
  /** As sent: the checkvalue is computed over the text, so `100.0` and `100.00` sign differently. */
  amountText: string;
  kopecks: number;
  currencyText: string;
  currency: string;
};

/**
 * The checks both protocols' forms share, with the documented codes, in the gateway's order: merchant
 * (`unknownMerchant` names it in the refusal), order number, amount, currency.
 */
export function checkOrderCore(
  get: (name: string) => string,
  names: CoreFieldNames,
  config: SandboxConfig,
  unknownMerchant: string,
): { ok: true; core: OrderCore } | OrderRefused {
  const merchantId = get(names.merchant.toLowerCase());
  if (merchantId.trim() === '') return refuse(3, 100, `${names.merchant} is required`);
  if (!/^\d{1,20}$/.test(merchantId)) return refuse(4, 100, `${names.merchant} must be a number`);
  if (merchantId !== config.merchantId) return refuse(10, 200, unknownMerchant);

  const orderNumber = get(names.order.toLowerCase());
  if (orderNumber.trim() === '') return refuse(3, 107, `${names.order} is required`);
  if (orderNumber.length > 128) return refuse(4, 107, `${names.order} is longer than 128 characters`);

  const amountText = get(names.amount.toLowerCase());
  if (amountText.trim() === '') return refuse(3, 108, `${names.amount} is required`);
  const amount = parseAmount(amountText);
  if (!isAssistAmount(amountText) || !amount.ok) {
    return refuse(4, 108, `${names.amount} must look like 1500.00`);
  }
  if (amount.kopecks === 0) return refuse(5, 108, `${names.amount} must be positive`);

  const currencyText = get(names.currency.toLowerCase());
  if (currencyText !== '' && !/^[A-Z]{3}$/.test(currencyText)) {
    return refuse(4, 105, `${names.currency} must be 3 letters`);
  }
  const currency = currencyText || 'RUB';
  if (!SUPPORTED_CURRENCIES.has(currency)) return refuse(5, 105, `currency ${currency} is not enabled`);
  return {
    ok: true,
    core: { merchantId, orderNumber, amountText, kopecks: amount.kopecks, currencyText, currency },
  };
}

/**
 * The bill a valid form opens. Both protocols' forms name the optional fields alike but for the comment
 * (`OrderComment`, `Comment`); the customer is read by each protocol, whose names differ more.
 */
export function newBill(
  core: OrderCore,
  get: (name: string) => string,
  form: {
    commentField: 'ordercomment' | 'comment';
    customer: SandboxCustomer;
    demoResult: string;
    extra: Pick<NewBill, 'protocol'> | Pick<NewBill, 'cheque'>;
  },
): NewBill {
  const lang = get('language').trim().toUpperCase();
  const orNull = (v: string) => (v === '' ? null : v);
  return {
    merchantId: core.merchantId,
    orderNumber: core.orderNumber,
    orderAmount: core.kopecks,
    currency: core.currency,
    delay: get('delay') === '1',
    // The legacy protocol numbered languages: 0 Russian, 1 English.
    language: lang === 'EN' || lang === '1' ? 'EN' : 'RU',
    comment: orNull(get(form.commentField)),
    urlReturn: orNull(get('url_return')),
    urlReturnOk: orNull(get('url_return_ok')),
    urlReturnNo: orNull(get('url_return_no')),
    customer: form.customer,
    demoResult: orNull(form.demoResult),
    ...form.extra,
  };
}

export type CardDecision =
  | { ok: false; error: Extract<CardCheck, { ok: false }>['error'] }
  | { ok: true; outcome: AttemptOutcome };

/** Turns the submitted card form into the attempt's outcome; the card number leaves only as a mask. */
export function decideCard(fields: FormFields, bill: BillRow, now: Date): CardDecision {
  const check = checkCard(
    {
      number: fields.get('card_number') ?? '',
      expiry: fields.get('expiry') ?? '',
      cvc: fields.get('cvc') ?? '',
      holder: fields.get('holder') ?? '',
    },
    now,
    bill.demoResult,
  );
  if (!check.ok) return { ok: false, error: check.error };
  const approved = isSuccessCode(check.responseCode);
  return {
    ok: true,
    outcome: {
      approved,
      responseCode: check.responseCode,
      message: RESPONSE_MESSAGES[check.responseCode]?.message ?? check.responseCode,
      approvalCode: approved ? randomInt(1_000_000).toString().padStart(6, '0') : null,
      meanNumber: check.mask,
      meanTypeName: check.brand,
      cardholder: check.holder,
    },
  };
}

/** Where the customer goes after the attempt, with `billnumber` and `ordernumber` appended; null = our result page. */
export function returnUrl(bill: BillRow, approved: boolean): string | null {
  const target = (approved ? bill.urlReturnOk : bill.urlReturnNo) ?? bill.urlReturn;
  if (!target) return null;
  const url = new URL(target);
  url.searchParams.append('billnumber', bill.billnumber);
  url.searchParams.append('ordernumber', bill.orderNumber);
  return url.toString();
}
