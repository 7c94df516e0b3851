import { verifyReplyCheckvalue } from '../checkvalue';
import type { AssistConfig } from '../config';
import type { NotificationRejection, NotificationResult } from '../gateway';
import { lowercasedFields } from '../request-fields';
import { toBill } from './records';

/**
 * Parses and verifies a result notification (ASSIST.md §4). With a secret the checkvalue must match one
 * of the two amount variants; without one the result is `unverified` and only a hint. The checkvalue
 * does not sign billnumber, testmode or packetdate: the merge rule and a re-read cover those.
 */
export function parseNotification(
  config: AssistConfig,
  input: URLSearchParams | Record<string, string | undefined>,
): NotificationResult {
  const f = lowercasedFields(input);
  const billNumber = f.billnumber && /^\d{1,30}$/.test(f.billnumber) ? f.billnumber : null;
  const packetDateRaw = f.packetdate ?? null;
  const reject = (kind: NotificationRejection['kind'], message: string): NotificationResult => ({
    ok: false,
    rejection: { kind, message, billNumber, packetDateRaw },
  });

  for (const name of ['merchant_id', 'ordernumber', 'billnumber', 'orderstate', 'packetdate']) {
    if (!f[name]) return reject('malformed', `${name} is missing`);
  }
  if (billNumber === null) return reject('malformed', 'billnumber must be digits');
  if (f.merchant_id !== config.merchantId) return reject('wrong_merchant', 'merchant_id is not ours');
  const testMode = f.testmode === '1';
  if (f.testmode !== undefined && f.testmode !== '0' && f.testmode !== '1') {
    return reject('malformed', 'testmode must be 0 or 1');
  }

  let verification: 'verified' | 'unverified' = 'unverified';
  if (config.secret !== null) {
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

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The `pushpaymentresult` reply. Success echoes billnumber and packetdate; a rejection carries non-zero
 * codes so ASSIST stops redelivering. Answer only after the notification is durably stored: on a storage
 * failure reply 5xx instead, and ASSIST will retry.
 */
export function notificationReply(result: NotificationResult): { contentType: string; body: string } {
  let first = 0;
  let second = 0;
  let billNumber: string | null;
  let packetDate: string | null;
  if (result.ok) {
    billNumber = result.notification.billNumber;
    packetDate = result.notification.packetDateRaw;
  } else {
    billNumber = result.rejection.billNumber;
    packetDate = result.rejection.packetDateRaw;
    [first, second] =
      result.rejection.kind === 'wrong_merchant'
        ? [5, 100]
        : result.rejection.kind === 'bad_checkvalue'
          ? [5, 158]
          : [4, 0];
  }
  const order =
    billNumber === null
      ? ''
      : `<order><billnumber>${escapeXml(billNumber)}</billnumber><packetdate>${escapeXml(packetDate ?? '')}</packetdate></order>`;
  return {
    contentType: 'text/xml; charset=utf-8',
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<pushpaymentresult firstcode="${first}" secondcode="${second}">${order}</pushpaymentresult>\n`,
  };
}
