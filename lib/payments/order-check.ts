import 'server-only';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { type AssistGateway, type GatewayError, isNothingFound } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { orders } from '@/lib/db/schema';
import type { Env } from '@/lib/env';
import { type Order, payability } from '@/lib/shop/orders';
import { recordGatewayBills } from './record-bills';
import { leases } from './schema';

/** The shop-wide row that meters gateway look-ups made on behalf of customers' return pages. */
export const RETURN_CHECK_BUDGET = 'return-check-budget';

/** How often the return page reloads itself while the outcome is unknown, and for how long. */
export const RETURN_REFRESH_SECONDS = 5;
export const RETURN_MAX_REFRESHES = 24;

export type OrderCheckSettings = {
  /** One look-up per order per this many seconds, however many tabs reload the page. */
  minIntervalSeconds: number;
  /** Shop-wide look-ups per minute; 0 turns the look-ups off (notifications and sync still work). */
  checksPerMinute: number;
  testPaymentsCount: boolean;
  /** A customer is waiting on the page: a slow gateway must not hold it for the adapter's full timeout. */
  timeoutMs: number;
};

export function orderCheckSettings(env: Env): OrderCheckSettings {
  return {
    minIntervalSeconds: 30,
    checksPerMinute: env.ASSIST_RETURN_CHECKS_PER_MINUTE,
    testPaymentsCount: env.assist.testMode,
    timeoutMs: 5000,
  };
}

export type OrderCheckResult =
  | { kind: 'checked'; paymentStatus: string; bills: number }
  | { kind: 'skipped'; reason: 'settled' | 'too_soon' | 'budget_spent' | 'disabled' }
  | { kind: 'failed'; error: GatewayError };

type CheckedOrder = Pick<
  Order,
  'id' | 'orderNumber' | 'createdAt' | 'status' | 'paymentStatus' | 'expiresAt'
>;

class BudgetSpent extends Error {}

/**
 * Asks the gateway about one order's bills (orderresult by order number) and records what it says
 * through the same merge rule as every other source. The return proves nothing, so this is how the
 * page learns the outcome when the notification is late; it is metered twice, because reloading a
 * page must not spend the merchant's gateway quota: at most one look-up per order per interval (a
 * conditional UPDATE of `payment_checked_at`, so concurrent reloads make one call) and a shop-wide
 * rate (GCRA on the budget lease row: `until` is the theoretical time the budget is spent up to, and
 * a call is allowed while that stays within a minute of now). Both claims commit before the HTTP call.
 */
export async function checkOrderPayment(
  db: Db,
  gateway: AssistGateway,
  order: CheckedOrder,
  settings: OrderCheckSettings,
): Promise<OrderCheckResult> {
  if (payability(order, new Date()) === 'settled') return { kind: 'skipped', reason: 'settled' };
  if (settings.checksPerMinute <= 0) return { kind: 'skipped', reason: 'disabled' };
  const claim = await claimCheck(db, order.id, settings);
  if (claim !== 'claimed') return { kind: 'skipped', reason: claim };

  const read = await gateway.bills(
    { orderNumber: order.orderNumber },
    { since: order.createdAt, signal: AbortSignal.timeout(settings.timeoutMs) },
  );
  if (!read.ok) {
    // "Nothing found" is an answer: the customer has not reached the payment page yet.
    return isNothingFound(read.error)
      ? { kind: 'checked', paymentStatus: order.paymentStatus, bills: 0 }
      : { kind: 'failed', error: read.error };
  }
  await recordGatewayBills(db, read.bills, {
    source: 'check',
    testPaymentsCount: settings.testPaymentsCount,
    checked: true,
  });
  const [fresh] = await db
    .select({ paymentStatus: orders.paymentStatus })
    .from(orders)
    .where(eq(orders.id, order.id));
  return {
    kind: 'checked',
    paymentStatus: fresh?.paymentStatus ?? order.paymentStatus,
    bills: read.bills.length,
  };
}

async function claimCheck(
  db: Db,
  orderId: number,
  settings: OrderCheckSettings,
): Promise<'claimed' | 'too_soon' | 'budget_spent'> {
  const step = 60 / settings.checksPerMinute;
  await db.insert(leases).values({ name: RETURN_CHECK_BUDGET }).onConflictDoNothing({ target: leases.name });
  try {
    return await db.transaction(async (tx) => {
      const [mine] = await tx
        .update(orders)
        .set({ paymentCheckedAt: sql`now()` })
        .where(
          and(
            eq(orders.id, orderId),
            or(
              isNull(orders.paymentCheckedAt),
              lt(orders.paymentCheckedAt, sql`now() - make_interval(secs => ${settings.minIntervalSeconds})`),
            ),
          ),
        )
        .returning({ id: orders.id });
      if (!mine) return 'too_soon' as const;
      const spentUntil = sql`greatest(${leases.until}, now()) + make_interval(secs => ${step})`;
      const [spent] = await tx
        .update(leases)
        .set({ until: spentUntil })
        .where(and(eq(leases.name, RETURN_CHECK_BUDGET), sql`${spentUntil} <= now() + interval '60 seconds'`))
        .returning({ until: leases.until });
      // Undo the order's claim too: the look-up did not happen, so the next reload may try again.
      if (!spent) throw new BudgetSpent();
      return 'claimed' as const;
    });
  } catch (error) {
    if (error instanceof BudgetSpent) return 'budget_spent';
    throw error;
  }
}

export type ReturnResult = 'ok' | 'no';

export type ReturnView = {
  /** confirmed: money moved; failed: it did not (or the order can no longer be paid); waiting/slow: unknown yet. */
  stage: 'confirmed' | 'failed' | 'waiting' | 'slow';
  /** The outcome is not recorded yet, so a gateway look-up may help. */
  pending: boolean;
  refresh: boolean;
};

const UNRECORDED = new Set(['unpaid', 'in_process', 'unknown']);

/**
 * What the return page says. `result` is only what the customer's browser brought back: it picks the
 * wording while we wait, never the order's state. After "ok" we wait for money to move (an earlier
 * declined attempt may still be the newest thing we know); after "no" only until the attempt is recorded.
 */
export function returnView(
  result: ReturnResult,
  order: Pick<Order, 'status' | 'paymentStatus' | 'expiresAt'>,
  refreshes: number,
  now: Date,
): ReturnView {
  const state = payability(order, now);
  if (state === 'settled') return { stage: 'confirmed', pending: false, refresh: false };
  if (state !== 'payable') return { stage: 'failed', pending: false, refresh: false };
  const timeLeft = refreshes < RETURN_MAX_REFRESHES;
  if (result === 'ok') return { stage: timeLeft ? 'waiting' : 'slow', pending: true, refresh: timeLeft };
  const pending = UNRECORDED.has(order.paymentStatus);
  return { stage: 'failed', pending, refresh: pending && timeLeft };
}

export function parseReturnResult(value: unknown): ReturnResult {
  return value === 'ok' ? 'ok' : 'no';
}

export function parseRefreshCount(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : 0;
  return Math.min(n, RETURN_MAX_REFRESHES);
}
