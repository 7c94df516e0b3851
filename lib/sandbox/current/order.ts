import { checkvalue, checkvaluesEqual, formCheckvalueInput } from '../../assist/checkvalue';
import type { NewBill } from '../bills';
import { isKnownResponseCode } from '../cards';
import type { SandboxConfig } from '../config';
import { checkOrderCore, fieldLimits, newBill, type OrderValidation, refuse } from '../payment';
import type { SandboxCustomer } from '../schema';
import type { FormFields } from '../urlencoded';
import { parseChequeItems } from './fiscal';

/** The current API's payment form (`/pay/order.cfm`, docs/assist-protocol.md §2), checked as the gateway does. */

const LIMITS = fieldLimits(['ordercomment', 4000], 'mobilephone');

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

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
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
  const { merchantId, orderNumber, amountText, currencyText } = checked.core;

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

  const customer: SandboxCustomer = {};
  for (const name of CUSTOMER_FIELDS) {
    const v = get(name).trim();
    if (v !== '') customer[name] = v;
  }
  return {
    ok: true,
    bill: newBill(checked.core, get, {
      commentField: 'ordercomment',
      customer,
      demoResult,
      extra: { cheque },
    }),
  };
}
