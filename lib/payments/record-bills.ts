import { inArray, sql } from 'drizzle-orm';
import { actualStatus, type GatewayBill, mergeBill, type PaymentStatus } from '@/lib/assist';
import type { Db, Tx } from '@/lib/db/connect';
import { orders } from '@/lib/db/schema';
import {
  type BillInsert,
  type BillRow,
  billFromRows,
  billToRow,
  moneyMoved,
  operationToRow,
} from './bill-rows';
import { settleInProcessActions } from './in-process-actions';
import { assistBillChanges, assistBills, assistOperations } from './schema';
import { emitOrderPaymentStatusChanges, type OrderPaymentStatusChange } from './status-hooks';

export type BillSource = 'sync' | 'notification' | 'check' | 'admin';

export type RecordContext = {
  source: BillSource;
  syncRunId?: number | null;
  /** False in production: a test payment is kept and flagged, never counted as paid. */
  testPaymentsCount: boolean;
  /** Marks the bills as just re-read from the gateway (for "oldest-checked first"). */
  checked?: boolean;
};

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

/** Map.groupBy arrives in Node 21; we support Node 20. */
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Several descriptions of one bill in one batch fold into one through the same merge rule. */
function foldIncoming(bills: GatewayBill[]): Map<string, GatewayBill> {
  const byNumber = new Map<string, GatewayBill>();
  for (const bill of bills) {
    const prev = byNumber.get(bill.billNumber);
    byNumber.set(bill.billNumber, prev ? mergeBill(prev, bill).bill : bill);
  }
  return byNumber;
}

/**
 * Records what the gateway said about some bills, in one transaction: merges each into the stored bill
 * by the monotonic merge rule, adds new operations, writes a history row per real change (none for an
 * unchanged re-read), and recomputes the actual payment status of every affected order. Rows are locked
 * while merged, so a notification and a sync touching one bill at once both keep their data. Status
 * listeners run after the commit.
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
  const batches = chunks([...incoming.keys()]);
  for (const numbers of batches) {
    const part = await db.transaction((tx) => recordBatch(tx, numbers, incoming, ctx));
    result.inserted += part.inserted;
    result.updated += part.updated;
    result.unchanged += part.unchanged;
    result.statusChanges.push(...part.statusChanges);
  }
  await emitOrderPaymentStatusChanges(result.statusChanges);
  return result;
}

async function recordBatch(
  tx: Tx,
  numbers: string[],
  incoming: Map<string, GatewayBill>,
  ctx: RecordContext,
): Promise<Omit<RecordResult, 'seen'>> {
  const now = new Date();
  const orderNumbers = [...new Set(numbers.map((n) => incoming.get(n)?.orderNumber ?? ''))];
  const orderRows = await tx
    .select({ id: orders.id, orderNumber: orders.orderNumber, twoStage: orders.twoStage })
    .from(orders)
    .where(inArray(orders.orderNumber, orderNumbers));
  const orderIdByNumber = new Map(orderRows.map((o) => [o.orderNumber, o.id]));
  const twoStageOrders = new Set(orderRows.filter((o) => o.twoStage).map((o) => o.id));

  // New bills first: insert-if-absent tells us which ones another transaction created meanwhile.
  let existing = await lockBills(tx, numbers);
  const fresh = numbers.filter((n) => !existing.has(n));
  const freshRows: BillInsert[] = fresh.map((n) => {
    const bill = incoming.get(n) as GatewayBill;
    const orderId = orderIdByNumber.get(bill.orderNumber) ?? null;
    const row = billToRow(bill, {
      orderId,
      heldSince: bill.status === 'held' ? now : null,
      flags: [],
      checkedAt: ctx.checked ? now : null,
    });
    return holdAware(row, bill, orderId, twoStageOrders);
  });
  const insertedNumbers = new Set<string>();
  for (const rows of chunks(freshRows)) {
    const done = await tx
      .insert(assistBills)
      .values(rows)
      .onConflictDoNothing({ target: assistBills.billNumber })
      .returning({ billNumber: assistBills.billNumber });
    for (const d of done) insertedNumbers.add(d.billNumber);
  }
  const raced = fresh.filter((n) => !insertedNumbers.has(n));
  if (raced.length > 0) existing = new Map([...existing, ...(await lockBills(tx, raced))]);

  const operations = await tx
    .select()
    .from(assistOperations)
    .where(inArray(assistOperations.billNumber, [...existing.keys()]));
  const opsByBill = groupBy(operations, (o) => o.billNumber);

  const changeRows: (typeof assistBillChanges.$inferInsert)[] = [];
  const updates: BillInsert[] = [];
  const newOps: (typeof assistOperations.$inferInsert)[] = [];
  const supersededOps: string[] = [];
  let unchanged = 0;
  const affectedOrders = new Set<number>();

  for (const n of insertedNumbers) {
    const bill = incoming.get(n) as GatewayBill;
    changeRows.push({
      billNumber: n,
      field: 'created',
      oldValue: null,
      newValue: bill.status,
      source: ctx.source,
      syncRunId: ctx.syncRunId ?? null,
    });
    for (const op of bill.operations) newOps.push(operationToRow(n, op));
    const orderId = orderIdByNumber.get(bill.orderNumber);
    if (orderId !== undefined) affectedOrders.add(orderId);
  }

  for (const [n, row] of existing) {
    const stored = billFromRows(row, opsByBill.get(n) ?? []);
    const merged = mergeBill(stored, incoming.get(n) as GatewayBill);
    const orderId = row.orderId ?? orderIdByNumber.get(merged.bill.orderNumber) ?? null;
    const linkChanged = orderId !== row.orderId;
    if (merged.changes.length === 0 && !linkChanged) {
      unchanged++;
      if (ctx.checked) updates.push({ ...rowAsInsert(row), checkedAt: now });
      continue;
    }
    const heldSince = row.heldSince ?? (merged.bill.status === 'held' ? now : null);
    const mergedRow = billToRow(merged.bill, {
      orderId,
      heldSince,
      flags: row.flags,
      checkedAt: ctx.checked ? now : row.checkedAt,
    });
    updates.push({ ...holdAware(mergedRow, merged.bill, orderId, twoStageOrders), updatedAt: now });
    for (const change of merged.changes) {
      if (change.field.startsWith('operation ')) {
        const op = change.new as GatewayBill['operations'][number];
        const old = change.old as GatewayBill['operations'][number] | null;
        // The notification's operation, now read with its extended billnumber: one fact, one row.
        if (old !== null && old.operationId !== op.operationId) supersededOps.push(old.operationId);
        newOps.push(operationToRow(n, op));
        changeRows.push({
          billNumber: n,
          field: 'operation',
          oldValue: jsonSafe(change.old),
          newValue: jsonSafe(op),
          source: ctx.source,
          syncRunId: ctx.syncRunId ?? null,
        });
      } else {
        changeRows.push({
          billNumber: n,
          field: change.field,
          oldValue: jsonSafe(change.old),
          newValue: jsonSafe(change.new),
          source: ctx.source,
          syncRunId: ctx.syncRunId ?? null,
        });
      }
    }
    if (orderId !== null) affectedOrders.add(orderId);
  }

  for (const rows of chunks(updates)) {
    await tx
      .insert(assistBills)
      .values(rows)
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
  for (const ids of chunks(supersededOps)) {
    await tx.delete(assistOperations).where(inArray(assistOperations.operationId, ids));
  }
  for (const rows of chunks(newOps)) {
    // Only an operation still in process takes its outcome; a finished one is never rewritten.
    await tx
      .insert(assistOperations)
      .values(rows)
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
  for (const rows of chunks(changeRows)) await tx.insert(assistBillChanges).values(rows);
  await settleInProcessActions(tx, [...new Set(newOps.map((o) => o.billNumber))]);

  const statusChanges = await recomputeOrders(tx, [...affectedOrders], ctx.testPaymentsCount);
  return {
    inserted: insertedNumbers.size,
    updated: updates.length - (ctx.checked ? unchanged : 0),
    unchanged,
    statusChanges,
  };
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

/**
 * A two-stage order's bill (Delay=1) takes money only by a charge, also when the shop never saw it held:
 * a hold voided in part before any sync reads as `PartialCanceled` with a successful payment operation,
 * which would otherwise count the whole hold as charged.
 */
function holdAware(
  row: BillInsert,
  bill: GatewayBill,
  orderId: number | null,
  twoStage: Set<number>,
): BillInsert {
  if (row.heldSince || orderId === null || !twoStage.has(orderId)) return row;
  const { charged, returned } = moneyMoved(bill, true);
  return { ...row, chargedKopecks: charged, returnedKopecks: returned };
}

function rowAsInsert(row: BillRow): BillInsert {
  return { ...row };
}

/** Dates become ISO strings, undefined becomes null: what jsonb can hold, readable in the history. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
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
