import { createHash, timingSafeEqual } from 'node:crypto';

/** Lowercase hex MD5 of the UTF-8 bytes of `text`. */
function md5hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * ASSIST's signature (docs/assist-protocol.md §3): UPPER(md5hex(UPPER(md5hex(SECRET) + md5hex(X)))).
 * `input` is the already-joined X; use the helpers below to build it.
 */
export function checkvalue(secret: string, input: string): string {
  return md5hex((md5hex(secret) + md5hex(input)).toUpperCase()).toUpperCase();
}

/** X for the payment form: `Merchant_ID;OrderNumber;OrderAmount;OrderCurrency`, values exactly as sent. */
export function formCheckvalueInput(fields: {
  merchantId: string;
  orderNumber: string;
  orderAmount: string;
  orderCurrency: string;
}): string {
  return [fields.merchantId, fields.orderNumber, fields.orderAmount, fields.orderCurrency].join(';');
}

/** X for notifications and web-service replies: the five values concatenated with no separator. */
export function replyCheckvalueInput(fields: {
  merchantId: string;
  orderNumber: string;
  amount: string;
  currency: string;
  orderState: string;
}): string {
  return fields.merchantId + fields.orderNumber + fields.amount + fields.currency + fields.orderState;
}

/** Legacy (2010) notification: UPPER(md5hex(Shop_IDP + OrderNumber + Total + Currency + SECRET)). */
export function legacyCheckvalue(
  secret: string,
  fields: {
    shopIdp: string;
    orderNumber: string;
    total: string;
    currency: string;
  },
): string {
  return md5hex(fields.shopIdp + fields.orderNumber + fields.total + fields.currency + secret).toUpperCase();
}

/** Constant-time comparison of two checkvalues (case-insensitive hex); false on any length mismatch. */
export function checkvaluesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected.trim().toUpperCase(), 'utf8');
  const b = Buffer.from(given.trim().toUpperCase(), 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * Verifies a notification's or reply's checkvalue. Sources disagree whether the operation's amount and
 * currency or the order's are signed (docs/assist-protocol.md §3), so every given variant is tried — all of them,
 * always, so that timing does not reveal which one matched.
 */
export function verifyReplyCheckvalue(
  secret: string,
  given: string,
  fields: {
    merchantId: string;
    orderNumber: string;
    orderState: string;
    amounts: Array<{ amount: string | undefined; currency: string | undefined }>;
  },
): boolean {
  let matched = false;
  for (const { amount, currency } of fields.amounts) {
    if (amount === undefined || currency === undefined) continue;
    const x = replyCheckvalueInput({
      merchantId: fields.merchantId,
      orderNumber: fields.orderNumber,
      amount,
      currency,
      orderState: fields.orderState,
    });
    if (checkvaluesEqual(checkvalue(secret, x), given)) matched = true;
  }
  return matched;
}
