import { verifyReplyCheckvalue } from '../checkvalue';
import type { AssistConfig } from '../config';
import type { NotificationResult } from '../gateway';
import { readNotification } from '../notification';
import { isDocumentedOrderState } from '../status';
import { toBill } from './records';

const AMOUNT = /^\d{1,15}\.\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** The shop's order-number grammar: its prefix (ORDER_NUMBER_PREFIX), then the sequence's digits. */
function orderNumberPattern(prefix: string | undefined): RegExp {
  const escaped = (prefix ?? '').replace(/[^A-Za-z0-9]/g, (c) => `\\${c}`);
  return new RegExp(`^${escaped}[1-9]\\d{0,17}$`);
}

/**
 * Every field the checkvalue covers must have its documented form before the signature means anything:
 * the separators-free concatenation `merchant_id + ordernumber + amount + currency + orderstate` is
 * otherwise ambiguous, and a signature made for another string (the payment form's
 * `Merchant_ID;OrderNumber;OrderAmount;OrderCurrency`) could be split into fields that "verify".
 */
function signedFieldProblem(f: Record<string, string>, prefix: string | undefined): string | null {
  if (!orderNumberPattern(prefix).test(f.ordernumber ?? ''))
    return 'ordernumber is not one of our order numbers';
  if (!isDocumentedOrderState(f.orderstate ?? '')) return 'orderstate is not a documented state';
  for (const name of ['amount', 'orderamount'] as const) {
    const v = f[name];
    if (v !== undefined && v !== '' && !AMOUNT.test(v)) return `${name} is not an amount like 1500.00`;
  }
  for (const name of ['currency', 'ordercurrency'] as const) {
    const v = f[name];
    if (v !== undefined && v !== '' && !CURRENCY.test(v)) return `${name} is not a currency code`;
  }
  const pair = (a: string | undefined, c: string | undefined) => !!a && !!c;
  if (!pair(f.amount, f.currency) && !pair(f.orderamount, f.ordercurrency)) {
    return 'no amount with its currency';
  }
  return null;
}

/**
 * Parses and verifies a result notification (docs/assist-protocol.md §4). Every signed field must have its documented
 * form; with a secret the checkvalue must then match one of the two amount variants; without one (or with
 * only a PGP `signature`) the result is `unverified` and only a hint. The checkvalue does not sign
 * billnumber, testmode or packetdate: the shop's decision layer (lib/payments/notification-trust.ts)
 * never lets those change money, links or ordering on their own.
 */
export function parseNotification(
  config: AssistConfig,
  input: URLSearchParams | Record<string, string | undefined>,
): NotificationResult {
  const { f, billNumber, reject } = readNotification(input);

  for (const name of ['merchant_id', 'ordernumber', 'billnumber', 'orderstate', 'packetdate']) {
    if (!f[name]) return reject('malformed', `${name} is missing`);
  }
  if (billNumber === null) return reject('malformed', 'billnumber must be digits');
  if (f.merchant_id !== config.merchantId) return reject('wrong_merchant', 'merchant_id is not ours');
  const testMode = f.testmode === '1';
  if (f.testmode !== undefined && f.testmode !== '0' && f.testmode !== '1') {
    return reject('malformed', 'testmode must be 0 or 1');
  }

  const problem = signedFieldProblem(f, config.orderNumberPrefix);
  if (problem !== null) return reject('malformed', problem);

  let verification: 'verified' | 'unverified' = 'unverified';
  // With the PGP signature type ASSIST sends an empty checkvalue and a `signature` we cannot check:
  // such a notification is only a hint, and the bill is re-read (docs/assist-protocol.md).
  const signatureOnly = !f.checkvalue && !!f.signature;
  if (config.secret !== null && !signatureOnly) {
    const matched = verifyReplyCheckvalue(config.secret, f.checkvalue ?? '', {
      merchantId: f.merchant_id ?? '',
      orderNumber: f.ordernumber ?? '',
      orderState: f.orderstate ?? '',
      amounts: [
        { amount: f.amount, currency: f.currency },
        { amount: f.orderamount, currency: f.ordercurrency },
      ],
    });
    if (!matched) return reject('bad_checkvalue', 'checkvalue does not match');
    verification = 'verified';
  }

  // The notification's own operation (type, amount, date, code, card) is recorded at once, so money
  // shows as taken the moment the order is paid; the report's identified operation replaces it later.
  const bill = toBill(f, []);
  if (!bill.ok) return reject('malformed', bill.error);
  return {
    ok: true,
    notification: { bill: bill.value, billNumber, testMode, verification, packetDateRaw: f.packetdate ?? '' },
  };
}
