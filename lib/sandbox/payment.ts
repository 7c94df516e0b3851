import { randomInt } from 'node:crypto';
import { checkvalue, checkvaluesEqual, formCheckvalueInput } from '../assist/checkvalue';
import { isAssistAmount, parseAmount } from '../assist/money';
import type { BillRow, NewBill } from './bills';
import { type CardCheck, checkCard, isKnownResponseCode, isSuccessCode, RESPONSE_MESSAGES } from './cards';
import type { SandboxConfig } from './config';
import { parseChequeItems } from './current/fiscal';
import type { SandboxCustomer } from './schema';
import type { FormFields } from './urlencoded';

export interface OrderRefusal {
  firstcode: number;
  secondcode: number;
  message: string;
}

export type OrderValidation = { ok: true; bill: NewBill } | { ok: false; error: OrderRefusal };

const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set(['RUB', 'USD', 'EUR']);

// Field limits of docs/assist-protocol.md §2. Fields without a documented secondcode are refused with secondcode 0.
const LIMITS: Array<[field: string, max: number]> = [
  ['ordercomment', 4000],
  ['url_return', 256],
  ['url_return_ok', 256],
  ['url_return_no', 256],
  ['lastname', 70],
  ['firstname', 70],
  ['middlename', 70],
  ['email', 128],
  ['mobilephone', 20],
  ['address', 256],
  ['country', 3],
  ['state', 3],
  ['city', 70],
  ['zip', 25],
];

const CUSTOMER_FIELDS = [
  'lastname',
  'firstname',
  'middlename',
  'email',
  'mobilephone',
  'address',
  'country',
  'state',
  'city',
  'zip',
] as const satisfies ReadonlyArray<keyof SandboxCustomer>;

type OrderRefused = Extract<OrderValidation, { ok: false }>;

const refuse = (firstcode: number, secondcode: number, message: string): OrderRefused => ({
  ok: false,
  error: { firstcode, secondcode, message },
});

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
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

/** Validates a payment-form submission the way the gateway does; on success, the bill to create. */
export function validateOrder(fields: FormFields, config: SandboxConfig): OrderValidation {
  const get = (name: string) => fields.get(name) ?? '';
  const checked = checkOrderCore(
    get,
    { merchant: 'Merchant_ID', order: 'OrderNumber', amount: 'OrderAmount', currency: 'OrderCurrency' },
    config,
    'unknown merchant',
  );
  if (!checked.ok) return checked;
  const { merchantId, orderNumber, amountText, currencyText, currency } = checked.core;

  if (config.secret !== '') {
    const given = get('checkvalue');
    if (given.trim() === '') return refuse(3, 158, 'Checkvalue is required');
    // X is built from the values exactly as sent, so `100.0` and `100.00` sign differently.
    const x = formCheckvalueInput({
      merchantId,
      orderNumber,
      orderAmount: amountText,
      orderCurrency: currencyText,
    });
    if (!checkvaluesEqual(checkvalue(config.secret, x), given))
      return refuse(5, 158, 'Checkvalue does not match');
  }

  const delay = get('delay');
  if (delay !== '' && delay !== '0' && delay !== '1') return refuse(4, 0, 'Delay must be 0 or 1');

  for (const [name, max] of LIMITS) {
    if (get(name).length > max) return refuse(4, 0, `${name} is longer than ${max} characters`);
  }
  for (const name of ['url_return', 'url_return_ok', 'url_return_no']) {
    const v = get(name);
    if (v !== '' && !isHttpUrl(v)) return refuse(4, 0, `${name} is not an http(s) URL`);
  }
  const demoResult = get('demoresult').trim().toUpperCase();
  if (demoResult !== '' && !isKnownResponseCode(demoResult))
    return refuse(4, 0, `DemoResult ${demoResult} is unknown`);

  const chequeText = get('chequeitems').trim();
  let cheque: NewBill['cheque'] = null;
  if (chequeText !== '') {
    const parsed = parseChequeItems(chequeText, checked.core.kopecks, get('tax').trim());
    if (!parsed.ok) return refuse(parsed.error.firstcode, parsed.error.secondcode, parsed.error.message);
    cheque = parsed.items;
  }

  const lang = get('language').trim().toUpperCase();
  const customer: SandboxCustomer = {};
  for (const name of CUSTOMER_FIELDS) {
    const v = get(name).trim();
    if (v !== '') customer[name] = v;
  }
  const orNull = (v: string) => (v === '' ? null : v);
  return {
    ok: true,
    bill: {
      merchantId,
      orderNumber,
      orderAmount: checked.core.kopecks,
      currency,
      delay: delay === '1',
      // The legacy protocol numbered languages: 0 Russian, 1 English.
      language: lang === 'EN' || lang === '1' ? 'EN' : 'RU',
      comment: orNull(get('ordercomment')),
      urlReturn: orNull(get('url_return')),
      urlReturnOk: orNull(get('url_return_ok')),
      urlReturnNo: orNull(get('url_return_no')),
      customer,
      demoResult: orNull(demoResult),
      cheque,
    },
  };
}

export type CardDecision =
  | { ok: false; error: Extract<CardCheck, { ok: false }>['error'] }
  | {
      ok: true;
      outcome: {
        approved: boolean;
        responseCode: string;
        message: string;
        approvalCode: string | null;
        meanNumber: string;
        meanTypeName: string;
        cardholder: string;
      };
    };

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
