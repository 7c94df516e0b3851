import { isBillNumber } from './billnumber';
import type { NotificationRejection, NotificationResult } from './gateway';
import { lowercasedFields } from './request-fields';

/**
 * What both protocols' notifications share: fields read by lower-cased name, the billnumber when it is
 * digits, and the reply document, which is the same `pushpaymentresult` in both generations.
 */

/** The fields, the billnumber, and a rejection that carries the billnumber and packetdate to the reply. */
export function readNotification(input: URLSearchParams | Record<string, string | undefined>) {
  const f = lowercasedFields(input);
  const billNumber = f.billnumber && isBillNumber(f.billnumber) ? f.billnumber : null;
  const packetDateRaw = f.packetdate ?? null;
  const reject = (kind: NotificationRejection['kind'], message: string): NotificationResult => ({
    ok: false,
    rejection: { kind, message, billNumber, packetDateRaw },
  });
  return { f, billNumber, reject };
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
