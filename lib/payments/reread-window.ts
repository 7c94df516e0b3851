import { eq, sql } from 'drizzle-orm';
import { parseAssistDate } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { orders } from '@/lib/db/schema';
import { assistBills } from './schema';

/** Clocks differ, and a bill is opened moments around the order's creation: reach a little further back. */
export const REREAD_MARGIN_MS = 60 * 60_000;
/** The gateway's own look-back when `Start*` is missing, sent explicitly when nothing better is known. */
const GATEWAY_DEFAULT_LOOKBACK_MS = 3 * 86_400_000;

/**
 * Start of a re-read window that covers a bill's first sight: the earliest known moment minus a margin,
 * or the gateway's default look-back when nothing is known (docs/assist-protocol.md §5.2).
 */
export function rereadSince(known: ReadonlyArray<Date | null | undefined>, now: Date): Date {
  const times = known
    .filter((d): d is Date => d instanceof Date && !Number.isNaN(d.getTime()))
    .map((d) => d.getTime());
  if (times.length === 0) return new Date(now.getTime() - GATEWAY_DEFAULT_LOOKBACK_MS);
  return new Date(Math.min(...times, now.getTime()) - REREAD_MARGIN_MS);
}

/** The earliest moment this shop saw a bill or its order, from what is stored (none when unknown). */
export async function firstSight(
  db: Db,
  key: { billNumber: string; orderNumber?: string | null },
): Promise<Date[]> {
  const [bill] = await db
    .select({ firstSeenAt: assistBills.firstSeenAt, orderCreatedAt: orders.createdAt })
    .from(assistBills)
    .leftJoin(orders, eq(orders.id, assistBills.orderId))
    .where(eq(assistBills.billNumber, key.billNumber));
  const found: Date[] = [];
  if (bill?.firstSeenAt) found.push(bill.firstSeenAt);
  if (bill?.orderCreatedAt) found.push(bill.orderCreatedAt);
  if (key.orderNumber) {
    const [order] = await db
      .select({ createdAt: orders.createdAt })
      .from(orders)
      .where(sql`${orders.orderNumber} = ${key.orderNumber}`);
    if (order) found.push(order.createdAt);
  }
  return found;
}

/** Dates a notification itself names for its bill (order date, packet date), unsigned but only a hint. */
export function notificationDates(raw: Record<string, string>, packetDate: Date | null): Date[] {
  const out: Date[] = [];
  if (raw.orderdate) {
    const d = parseAssistDate(raw.orderdate);
    if (d) out.push(d);
  }
  if (packetDate) out.push(packetDate);
  return out;
}
