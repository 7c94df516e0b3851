import { count, eq, inArray } from 'drizzle-orm';
import { cartItems, carts, orderItems, orders } from '@/lib/db/schema';
import { testEngines } from '@/lib/db/testing';
import { assistBillChanges, assistBills, assistOperations, assistSyncRuns } from '@/lib/payments/schema';
import { getBill } from '@/lib/sandbox/bills';
import type { SandboxBillSnapshot } from '@/lib/sandbox/gateway';
import type { PaymentsHarness } from '@/lib/testing/payments-harness';

export const engines = testEngines();

export const APPROVE = '4111 1111 1111 1111';
export const DECLINES = [
  '4000 0000 0000 0002',
  '4000 0000 0000 9995',
  '4000 0000 0000 0051',
  '4100 0000 0000 0019',
] as const;

/** Sandbox order states → the shop's status model (lib/assist/status.ts). */
const STATE_OF: Record<string, string> = {
  'In Process': 'in_process',
  Delayed: 'held',
  Approved: 'paid',
  PartialApproved: 'partially_charged',
  PartialDelayed: 'partially_charged',
  Canceled: 'refunded',
  PartialCanceled: 'partially_refunded',
  Declined: 'declined',
  Timeout: 'expired',
};

/**
 * Orders are stamped by the database's clock and re-read from their creation on: the gateway's clock must
 * never lag behind it, or a re-read asks for a window that ends before it starts.
 */
export function catchUpClock(h: PaymentsHarness): void {
  h.clock.now = new Date(Math.max(Date.now(), h.clock.now.getTime()));
}

/** Every notification the sandbox would send is dropped, so only a sync brings payments into the shop. */
export async function dropNotifications(h: PaymentsHarness): Promise<void> {
  await h.sandbox.gateway.armFault({ service: 'notify', mode: 'drop', count: 10_000 });
}

/** Before a case: the clock caught up, no faults armed but the dropped notifications. */
export async function resetGateway(h: PaymentsHarness): Promise<void> {
  catchUpClock(h);
  await h.sandbox.gateway.clearFaults();
  await dropNotifications(h);
}

/** The shop's record of a bill; undefined while the shop has none. */
export function storedBill(h: PaymentsHarness, billNumber: string) {
  return h.database.db.query.assistBills.findFirst({ where: eq(assistBills.billNumber, billNumber) });
}

/** A tiny seeded PRNG: the same seed always yields the same run, so a failing seed can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Rng = ReturnType<typeof mulberry32>;
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
export const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/**
 * The "nothing lost" comparison: every sandbox bill (of the given orders, or all) must be in the shop with
 * the same state and amount, and the money the shop believes was taken and not returned must equal what
 * the gateway says it captured. Returns the differences, so a caller can put them in its message.
 */
export async function differencesFromSandbox(
  h: PaymentsHarness,
  orderNumbers?: ReadonlySet<string>,
): Promise<string[]> {
  const theirs = (await h.sandbox.gateway.listBills()).filter(
    (b) => orderNumbers === undefined || orderNumbers.has(b.orderNumber),
  );
  return compare(h, theirs);
}

/**
 * The same comparison for a few known bills, read one by one: the seeded runs call it after every seed,
 * and reading the whole (growing) gateway each time would make 500 seeds quadratic.
 */
export async function differencesForBills(
  h: PaymentsHarness,
  billNumbers: readonly string[],
): Promise<string[]> {
  const theirs: Array<Pick<SandboxBillSnapshot, 'billnumber' | 'state' | 'orderAmount' | 'captured'>> = [];
  for (const n of billNumbers) {
    const bill = await getBill(h.sandbox.gateway.db, n, h.clock.now);
    if (!bill) throw new Error(`the sandbox does not know bill ${n}`);
    theirs.push(bill);
  }
  return compare(h, theirs);
}

async function compare(
  h: PaymentsHarness,
  theirs: Array<Pick<SandboxBillSnapshot, 'billnumber' | 'state' | 'orderAmount' | 'captured'>>,
): Promise<string[]> {
  if (theirs.length === 0) return [];
  const rows = await h.database.db
    .select()
    .from(assistBills)
    .where(
      inArray(
        assistBills.billNumber,
        theirs.map((t) => t.billnumber),
      ),
    );
  const ours = new Map(rows.map((b) => [b.billNumber, b]));
  const out: string[] = [];
  for (const t of theirs) {
    const mine = ours.get(t.billnumber);
    if (!mine) {
      out.push(`${t.billnumber} (${t.state}) missing in the shop`);
      continue;
    }
    const want = STATE_OF[t.state] ?? t.state;
    if (mine.status !== want) out.push(`${t.billnumber}: shop ${mine.status}, gateway ${t.state}`);
    if (mine.amountKopecks !== t.orderAmount)
      out.push(`${t.billnumber}: amount shop ${mine.amountKopecks}, gateway ${t.orderAmount}`);
    // A voided hold returns money that was never charged, hence the floor at zero.
    const kept = Math.max(mine.chargedKopecks - mine.returnedKopecks, 0);
    if (kept !== t.captured)
      out.push(
        `${t.billnumber} (${t.state}): shop charged ${mine.chargedKopecks} returned ${mine.returnedKopecks}, gateway captured ${t.captured}`,
      );
  }
  return out;
}

export type RowCounts = Record<
  'orders' | 'orderItems' | 'carts' | 'cartItems' | 'bills' | 'operations' | 'changes' | 'syncRuns',
  number
>;

/** Row counts of every table a notification, a sync or a checkout writes. */
export async function rowCounts(db: PaymentsHarness['database']['db']): Promise<RowCounts> {
  const n = async (table: Parameters<ReturnType<typeof db.select>['from']>[0]) =>
    Number((await db.select({ n: count() }).from(table))[0]?.n ?? 0);
  return {
    orders: await n(orders),
    orderItems: await n(orderItems),
    carts: await n(carts),
    cartItems: await n(cartItems),
    bills: await n(assistBills),
    operations: await n(assistOperations),
    changes: await n(assistBillChanges),
    syncRuns: await n(assistSyncRuns),
  };
}

export const advance = (h: PaymentsHarness, ms: number): void => {
  h.clock.now = new Date(h.clock.now.getTime() + ms);
};
