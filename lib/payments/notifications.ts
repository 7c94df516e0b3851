import type { AssistGateway, GatewayBill } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { logEvent } from '@/lib/log';
import { recordGatewayBills } from './record-bills';
import { firstSight, notificationDates, rereadSince } from './reread-window';
import { describeGatewayError } from './sync';

/** Notifications are small form posts; anything bigger is not one. */
export const MAX_NOTIFICATION_BYTES = 16 * 1024;

export type NotificationReply = { status: number; contentType: string; body: string };

export type NotificationLog = {
  event: 'assist_notification';
  outcome: 'stored' | 'rejected' | 'retry_later';
  billNumber: string | null;
  detail?: string;
};

/**
 * Handles one result notification: verify it through the adapter, re-read the bill when it cannot be
 * verified (no secret configured), store it through the merge rule, and only then answer success.
 * A forged or malformed one is answered with a rejection (the gateway stops) and changes nothing; a
 * database or gateway failure is a 503, so the gateway delivers it again later.
 */
export async function handleNotification(
  deps: {
    getDb: () => Promise<Db>;
    gateway: AssistGateway;
    testPaymentsCount: boolean;
    log?: (l: NotificationLog) => void;
  },
  fields: URLSearchParams,
): Promise<NotificationReply> {
  const log =
    deps.log ??
    (({ event, ...fields }: NotificationLog) =>
      logEvent(event, fields, fields.outcome === 'stored' ? 'info' : 'warn'));
  const parsed = deps.gateway.parseNotification(fields);
  if (!parsed.ok) {
    log({
      event: 'assist_notification',
      outcome: 'rejected',
      billNumber: parsed.rejection.billNumber,
      detail: parsed.rejection.kind,
    });
    return { status: 200, ...deps.gateway.notificationReply(parsed) };
  }
  const { notification } = parsed;
  let bills: GatewayBill[] = [notification.bill];
  if (notification.verification === 'unverified') {
    let since: Date;
    try {
      const known = await firstSight(await deps.getDb(), {
        billNumber: notification.billNumber,
        orderNumber: notification.bill.orderNumber,
      });
      since = rereadSince(
        [...known, ...notificationDates(notification.bill.raw, notification.bill.packetDate)],
        new Date(),
      );
    } catch (err) {
      log({
        event: 'assist_notification',
        outcome: 'retry_later',
        billNumber: notification.billNumber,
        detail: `unverified; storage failed: ${err instanceof Error ? err.message : String(err)}`,
      });
      return unavailable();
    }
    // The re-read's window covers the bill's first sight: without one the gateway looks back 3 days only.
    const reread = await deps.gateway.bills({ billNumber: notification.billNumber }, { since });
    if (!reread.ok) {
      log({
        event: 'assist_notification',
        outcome: 'retry_later',
        billNumber: notification.billNumber,
        detail: `unverified; re-read failed: ${describeGatewayError(reread.error)}`,
      });
      return unavailable();
    }
    bills = reread.bills.filter((b) => b.billNumber === notification.billNumber);
    if (bills.length === 0) {
      log({
        event: 'assist_notification',
        outcome: 'retry_later',
        billNumber: notification.billNumber,
        detail: 'unverified; gateway does not know the bill yet',
      });
      return unavailable();
    }
  }
  try {
    const db = await deps.getDb();
    await recordGatewayBills(db, bills, {
      source: 'notification',
      testPaymentsCount: deps.testPaymentsCount,
    });
  } catch (err) {
    log({
      event: 'assist_notification',
      outcome: 'retry_later',
      billNumber: notification.billNumber,
      detail: `storage failed: ${err instanceof Error ? err.message : String(err)}`,
    });
    return unavailable();
  }
  log({ event: 'assist_notification', outcome: 'stored', billNumber: notification.billNumber });
  return { status: 200, ...deps.gateway.notificationReply(parsed) };
}

function unavailable(): NotificationReply {
  return {
    status: 503,
    contentType: 'text/plain; charset=utf-8',
    body: 'Temporarily unavailable, please retry.',
  };
}

/** Reads at most `limit` bytes of a body; null when it is larger (the caller answers 413). */
export async function readLimitedBody(
  request: Request,
  limit = MAX_NOTIFICATION_BYTES,
): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
