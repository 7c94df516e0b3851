import { eq } from 'drizzle-orm';
import type { AssistGateway, GatewayBill, PaymentStatus, ReadResult } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { orders } from '@/lib/db/schema';
import { logEvent } from '@/lib/log';
import { claimRate } from '@/lib/ops/throttle';
import { decideVerifiedNotification, MAX_PACKET_DATE_AHEAD_MS } from './notification-trust';
import { recordGatewayBills } from './record-bills';
import { firstSight, notificationDates, rereadSince } from './reread-window';
import { assistBills } from './schema';
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
    /**
     * Shop-wide gateway re-reads notifications may cause per minute (ASSIST_NOTIFICATION_REREADS_PER_MINUTE),
     * and at most REREADS_PER_BILL_PER_MINUTE for one bill; unset means unmetered (tests).
     */
    rereadsPerMinute?: number;
    now?: () => Date;
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
  // Every failure we may recover from is answered 503, so the gateway delivers the notification again.
  const retryLater = (detail: string): NotificationReply => {
    log({
      event: 'assist_notification',
      outcome: 'retry_later',
      billNumber: notification.billNumber,
      detail,
    });
    return unavailable();
  };
  const now = deps.now?.() ?? new Date();
  const packetDate = notification.bill.packetDate;
  if (packetDate !== null && packetDate.getTime() > now.getTime() + MAX_PACKET_DATE_AHEAD_MS) {
    log({
      event: 'assist_notification',
      outcome: 'rejected',
      billNumber: notification.billNumber,
      detail: 'packetdate is more than a day in the future',
    });
    return {
      status: 200,
      ...deps.gateway.notificationReply({
        ok: false,
        rejection: {
          kind: 'malformed',
          message: 'packetdate is more than a day in the future',
          billNumber: notification.billNumber,
          packetDateRaw: notification.packetDateRaw,
        },
      }),
    };
  }
  let bills: GatewayBill[] = [notification.bill];
  let rereadReason: string | null = notification.verification === 'unverified' ? 'unverified' : null;
  if (rereadReason === null) {
    let decision: ReturnType<typeof decideVerifiedNotification>;
    try {
      decision = await decide(await deps.getDb(), notification.bill, deps.testPaymentsCount, now);
    } catch (err) {
      return retryLater(`storage failed: ${errorText(err)}`);
    }
    if (decision.kind === 'apply') bills = [decision.bill];
    else rereadReason = decision.reason;
  }
  if (rereadReason !== null) {
    let reread: ReadResult | 'over_budget';
    try {
      // The re-read's window covers the bill's first sight: without one the gateway looks back 3 days only.
      const known = await firstSight(await deps.getDb(), {
        billNumber: notification.billNumber,
        orderNumber: notification.bill.orderNumber,
      });
      const since = rereadSince(
        [...known, ...notificationDates(notification.bill.raw, notification.bill.packetDate)],
        now,
      );
      reread = await rereadBill(deps, notification.billNumber, since, now);
    } catch (err) {
      return retryLater(`${rereadReason}; storage failed: ${errorText(err)}`);
    }
    if (reread === 'over_budget') {
      return retryLater(`${rereadReason}; re-read budget spent, the gateway will deliver again`);
    }
    if (!reread.ok) {
      return retryLater(`${rereadReason}; re-read failed: ${describeGatewayError(reread.error)}`);
    }
    bills = reread.bills.filter((b) => b.billNumber === notification.billNumber);
    if (bills.length === 0) {
      return retryLater(`${rereadReason}; gateway does not know the bill yet`);
    }
  }
  try {
    const db = await deps.getDb();
    await recordGatewayBills(db, bills, {
      source: 'notification',
      testPaymentsCount: deps.testPaymentsCount,
    });
  } catch (err) {
    return retryLater(`storage failed: ${errorText(err)}`);
  }
  log({ event: 'assist_notification', outcome: 'stored', billNumber: notification.billNumber });
  return { status: 200, ...deps.gateway.notificationReply(parsed) };
}

const REREADS_PER_BILL_PER_MINUTE = 4;

type Decision = ReturnType<typeof decideVerifiedNotification>;

async function decide(db: Db, bill: GatewayBill, testMode: boolean, now: Date): Promise<Decision> {
  // One snapshot for both reads: between two separate reads a concurrent delivery of this same
  // notification can commit the bill and mark the order paid, and the order would then look like it had
  // already taken money from another bill (a needless re-read that rewrites the operation it recorded).
  const { stored, order } = await db.transaction(
    async (tx) => {
      const [stored] = await tx
        .select({
          orderNumber: assistBills.orderNumber,
          status: assistBills.status,
          amountKopecks: assistBills.amountKopecks,
          currency: assistBills.currency,
          testMode: assistBills.testMode,
        })
        .from(assistBills)
        .where(eq(assistBills.billNumber, bill.billNumber));
      const [order] = stored
        ? []
        : await tx
            .select({
              totalKopecks: orders.totalKopecks,
              currency: orders.currency,
              paymentStatus: orders.paymentStatus,
            })
            .from(orders)
            .where(eq(orders.orderNumber, bill.orderNumber));
      return { stored, order };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  return decideVerifiedNotification({
    bill,
    stored: stored ? { ...stored, status: stored.status as PaymentStatus } : null,
    order: order ? { ...order, paymentStatus: order.paymentStatus as PaymentStatus | 'unpaid' } : null,
    testMode,
    now,
  });
}

/** Re-reads in flight in this process, by bill: a burst of notifications for one bill makes one call. */
const inFlight = new Map<string, Promise<ReadResult | 'over_budget'>>();

/**
 * One gateway re-read of a bill for notifications: coalesced with any already in flight for that bill,
 * and metered (shop-wide and per bill, in the database so it holds across instances) so that a flood of
 * notifications cannot spend the merchant's web-service quota or starve the sync. Over budget, the
 * notification is answered "retry later" and the gateway delivers it again.
 */
function rereadBill(
  deps: { getDb: () => Promise<Db>; gateway: AssistGateway; rereadsPerMinute?: number },
  billNumber: string,
  since: Date,
  now: Date,
): Promise<ReadResult | 'over_budget'> {
  const running = inFlight.get(billNumber);
  if (running) return running;
  const call = (async (): Promise<ReadResult | 'over_budget'> => {
    if (deps.rereadsPerMinute !== undefined) {
      const db = await deps.getDb();
      if (!(await claimRate(db, 'notify-reread', deps.rereadsPerMinute, now))) return 'over_budget';
      if (!(await claimRate(db, `notify-reread:${billNumber}`, REREADS_PER_BILL_PER_MINUTE, now))) {
        return 'over_budget';
      }
    }
    return deps.gateway.bills({ billNumber }, { since });
  })().finally(() => inFlight.delete(billNumber));
  inFlight.set(billNumber, call);
  return call;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

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
