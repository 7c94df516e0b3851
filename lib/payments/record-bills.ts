import { inArray, sql } from 'drizzle-orm';
import { actualStatus, type GatewayBill, type PaymentStatus } from '@/lib/assist';
import type { Db, Tx } from '@/lib/db/connect';
import { orders } from '@/lib/db/schema';
import type { BillInsert, BillRow, OperationInsert } from './bill-rows';
import { settleInProcessActions } from './in-process-actions';
import {
  type ChangeInsert,
  foldIncoming,
  groupBy,
  newBillRow,
  type OrderLinks,
  planBatch,
  type RecordContext,
  type StoredBill,
} from './record-plan';
import { assistBillChanges, assistBills, assistOperations } from './schema';
import { emitOrderPaymentStatusChanges, type OrderPaymentStatusChange } from './status-hooks';

export type { BillSource, RecordContext } from './record-plan';

export type RecordResult = {
  seen: number;
  inserted: number;
  updated: number;
  unchanged: number;
  statusChanges: OrderPaymentStatusChange[];
};

const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Records what the gateway said about some bills, in one transaction per batch: merges each into the
 * stored bill by the monotonic merge rule, adds new operations, writes a history row per real change
 * (none for an unchanged re-read), and recomputes the actual payment status of every affected order.
 * Rows are locked while merged, so a notification and a sync touching one bill at once both keep their
 * data. Status listeners run after the commit.
 */
export async function recordGatewayBills(
  db: Db,
  bills: GatewayBill[],
  ctx: RecordContext,
): Promise<RecordResult> {
  const incoming = foldIncoming(bills);
  const result: RecordResult = {
    seen: incoming.size,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    statusChanges: [],
  };
  if (incoming.size === 0) return result;
  for (const batch of chunks([...incoming.values()])) {
    const part = await db.transaction((tx) => recordBatch(tx, batch, ctx));
    result.inserted += part.inserted;
    result.updated += part.updated;
    result.unchanged += part.unchanged;
    result.statusChanges.push(...part.statusChanges);
  }
  await emitOrderPaymentStatusChanges(result.statusChanges);
  return result;
}

/** One batch in one transaction, step by step: load, merge, write bills, operations, history, orders. */
async function recordBatch(
  tx: Tx,
  bills: GatewayBill[],
  ctx: RecordContext,
): Promise<Omit<RecordResult, 'seen'>> {
  const now = new Date();
  const links = await loadOrderLinks(tx, bills);
  const { created, stored } = await loadBills(tx, bills, links, ctx, now);
  const plan = planBatch({ created, stored, links, ctx, now });
  await writeBills(tx, plan.billWrites);
  await writeOperations(tx, plan.supersededOperations, plan.newOperations);
  await writeHistory(tx, plan.history);
  await settleInProcessActions(tx, [...new Set(plan.newOperations.map((o) => o.billNumber))]);
  const statusChanges = await recomputeOrders(tx, plan.affectedOrders, ctx.testPaymentsCount);
  return { inserted: created.length, updated: plan.updated, unchanged: plan.unchanged, statusChanges };
}

/** Our orders the bills name. */
async function loadOrderLinks(tx: Tx, bills: GatewayBill[]): Promise<OrderLinks> {
  const orderNumbers = [...new Set(bills.map((b) => b.orderNumber))];
  const rows = await tx
    .select({ id: orders.id, orderNumber: orders.orderNumber, twoStage: orders.twoStage })
    .from(orders)
    .where(inArray(orders.orderNumber, orderNumbers));
  return {
    idByNumber: new Map(rows.map((o) => [o.orderNumber, o.id])),
    twoStage: new Set(rows.filter((o) => o.twoStage).map((o) => o.id)),
  };
}

/**
 * The load step: stored bills are locked and read with their operations; bills not stored yet are
 * created at once (insert-if-absent), which tells apart the ones another transaction created meanwhile:
 * those are locked and merged like any stored bill.
 */
export async function loadBills(
  tx: Tx,
  bills: GatewayBill[],
  links: OrderLinks,
  ctx: RecordContext,
  now: Date,
): Promise<{ created: GatewayBill[]; stored: StoredBill[] }> {
  let locked = await lockBills(
    tx,
    bills.map((b) => b.billNumber),
  );
  const fresh = bills.filter((b) => !locked.has(b.billNumber));
  const insertedNumbers = new Set<string>();
  for (const part of chunks(fresh)) {
    const done = await tx
      .insert(assistBills)
      .values(part.map((b) => newBillRow(b, links, ctx, now)))
      .onConflictDoNothing({ target: assistBills.billNumber })
      .returning({ billNumber: assistBills.billNumber });
    for (const d of done) insertedNumbers.add(d.billNumber);
  }
  const created = fresh.filter((b) => insertedNumbers.has(b.billNumber));
  const raced = fresh.filter((b) => !insertedNumbers.has(b.billNumber)).map((b) => b.billNumber);
  if (raced.length > 0) locked = new Map([...locked, ...(await lockBills(tx, raced))]);

  const operations = await tx
    .select()
    .from(assistOperations)
    .where(inArray(assistOperations.billNumber, [...locked.keys()]));
  const opsByBill = groupBy(operations, (o) => o.billNumber);
  const incoming = new Map(bills.map((b) => [b.billNumber, b]));
  const stored = [...locked.values()].map((row) => ({
    row,
    operations: opsByBill.get(row.billNumber) ?? [],
    incoming: incoming.get(row.billNumber) as GatewayBill,
  }));
  return { created, stored };
}

async function lockBills(tx: Tx, numbers: string[]): Promise<Map<string, BillRow>> {
  if (numbers.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(assistBills)
    .where(inArray(assistBills.billNumber, numbers))
    .for('update');
  return new Map(rows.map((r) => [r.billNumber, r]));
}

/** Merged bills, and unchanged ones only marked checked, written over their stored rows. */
export async function writeBills(tx: Tx, rows: BillInsert[]): Promise<void> {
  for (const part of chunks(rows)) {
    await tx
      .insert(assistBills)
      .values(part)
      .onConflictDoUpdate({
        target: assistBills.billNumber,
        set: {
          orderNumber: sql`excluded.order_number`,
          orderId: sql`excluded.order_id`,
          rawStatus: sql`excluded.raw_status`,
          status: sql`excluded.status`,
          amountKopecks: sql`excluded.amount_kopecks`,
          currency: sql`excluded.currency`,
          chargedKopecks: sql`excluded.charged_kopecks`,
          returnedKopecks: sql`excluded.returned_kopecks`,
          responseCode: sql`excluded.response_code`,
          message: sql`excluded.message`,
          maskedCard: sql`excluded.masked_card`,
          testMode: sql`excluded.test_mode`,
          packetDate: sql`excluded.packet_date`,
          heldSince: sql`excluded.held_since`,
          raw: sql`excluded.raw`,
          updatedAt: sql`excluded.updated_at`,
          checkedAt: sql`excluded.checked_at`,
        },
      });
  }
}

/**
 * Operations are facts: new ones are added, and only one still in process takes its outcome when it
 * finishes; a finished one is never rewritten. A notification's operation the report now names by its
 * extended number is replaced by it.
 */
export async function writeOperations(
  tx: Tx,
  superseded: string[],
  operations: OperationInsert[],
): Promise<void> {
  for (const ids of chunks(superseded)) {
    await tx.delete(assistOperations).where(inArray(assistOperations.operationId, ids));
  }
  for (const part of chunks(operations)) {
    await tx
      .insert(assistOperations)
      .values(part)
      .onConflictDoUpdate({
        target: assistOperations.operationId,
        set: {
          outcome: sql`excluded.outcome`,
          rawOutcome: sql`excluded.raw_outcome`,
          amountKopecks: sql`excluded.amount_kopecks`,
          currency: sql`excluded.currency`,
          at: sql`excluded.at`,
          responseCode: sql`excluded.response_code`,
          message: sql`excluded.message`,
          maskedCard: sql`excluded.masked_card`,
          approvalCode: sql`excluded.approval_code`,
        },
        setWhere: sql`${assistOperations.outcome} = 'pending' and excluded.outcome <> 'pending'`,
      });
  }
}

/** The append-only history: one row per real change. */
async function writeHistory(tx: Tx, rows: ChangeInsert[]): Promise<void> {
  for (const part of chunks(rows)) await tx.insert(assistBillChanges).values(part);
}

/**
 * Recomputes the cached actual payment status of orders from all their bills (docs/assist-protocol.md §7), stores the
 * anomalies as order and bill flags, and reports which orders changed status.
 */
export async function recomputeOrders(
  tx: Tx,
  orderIds: number[],
  testPaymentsCount: boolean,
): Promise<OrderPaymentStatusChange[]> {
  if (orderIds.length === 0) return [];
  const changes: OrderPaymentStatusChange[] = [];
  const orderRows = await tx.select().from(orders).where(inArray(orders.id, orderIds)).for('update');
  const billRows = await tx.select().from(assistBills).where(inArray(assistBills.orderId, orderIds));
  const billsByOrder = groupBy(billRows, (b) => b.orderId ?? 0);
  const billFlags: Array<{ billNumber: string; flags: string[] }> = [];
  const orderUpdates: Array<{ id: number; status: string; flags: string[] }> = [];
  for (const order of orderRows) {
    const bills = (billsByOrder.get(order.id) ?? []).map((b) => ({
      billNumber: b.billNumber,
      status: b.status as PaymentStatus,
      amountKopecks: b.amountKopecks,
      currency: b.currency,
      testMode: b.testMode,
      flags: b.flags,
    }));
    const verdict = actualStatus(
      { amountKopecks: order.totalKopecks, currency: order.currency, testPaymentsCount },
      bills,
    );
    const orderFlags = [...new Set(verdict.anomalies.map((a) => a.kind))].sort();
    for (const bill of bills) {
      const flags = [
        ...new Set(
          verdict.anomalies
            .filter((a) =>
              'billNumber' in a ? a.billNumber === bill.billNumber : a.billNumbers.includes(bill.billNumber),
            )
            .map((a) => a.kind),
        ),
      ].sort();
      if (flags.join() !== [...bill.flags].sort().join())
        billFlags.push({ billNumber: bill.billNumber, flags });
    }
    if (
      verdict.status !== order.paymentStatus ||
      orderFlags.join() !== [...order.paymentFlags].sort().join()
    ) {
      orderUpdates.push({ id: order.id, status: verdict.status, flags: orderFlags });
      if (verdict.status !== order.paymentStatus) {
        changes.push({
          orderId: order.id,
          orderNumber: order.orderNumber,
          from: order.paymentStatus as PaymentStatus | 'unpaid',
          to: verdict.status,
          billNumber: verdict.actualBill?.billNumber ?? null,
          flags: orderFlags,
        });
      }
    }
  }
  // One statement per chunk, not one per row: a first sync touches thousands of orders.
  for (const part of chunks(billFlags)) {
    const values = sql.join(
      part.map((b) => sql`(${b.billNumber}, ${JSON.stringify(b.flags)}::jsonb)`),
      sql`, `,
    );
    await tx.execute(
      sql`update assist_bills as b set flags = v.flags from (values ${values}) as v(bill_number, flags) where b.bill_number = v.bill_number`,
    );
  }
  for (const part of chunks(orderUpdates)) {
    const values = sql.join(
      part.map((o) => sql`(${o.id}::bigint, ${o.status}, ${JSON.stringify(o.flags)}::jsonb)`),
      sql`, `,
    );
    await tx.execute(
      sql`update orders as o set payment_status = v.status, payment_flags = v.flags, updated_at = now() from (values ${values}) as v(id, status, flags) where o.id = v.id`,
    );
  }
  return changes;
}
