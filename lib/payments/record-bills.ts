/**
 * Recording gateway bills in the shop: one transaction per batch, in named steps (find repeats, load
 * order links, lock and load bills, plan the merge, write bills, operations, history, settle in-process
 * actions, recompute order statuses). The merge itself is pure, in ./record-plan.ts. One file over 300
 * lines because the steps share the batch's transaction and row shapes, and reading them in order is
 * the point: each is exported or small enough to test alone (record-bills.integration.test.ts).
 */
/**
 * Recording what the gateway says about bills: one transaction per batch, in steps (repeats, load,
 * merge, write bills, operations, history, order statuses). One file over ~300 lines because the
 * steps are the statements of that one transaction and share its column lists; the merge step, pure,
 * is in record-plan.ts.
 */
import { sql } from 'drizzle-orm';
import {
  actualStatus,
  addsNoOperation,
  type GatewayBill,
  type OperationFacts,
  type PaymentStatus,
} from '@/lib/assist';
import { type Db, resultRows, type Tx } from '@/lib/db/connect';
import { pgErrorCode, UNIQUE_VIOLATION } from '@/lib/db/pg-error';
import { inList, recordset } from '@/lib/db/recordset';
import { orders } from '@/lib/db/schema';
import type { BillInsert, BillRow, OperationInsert } from './bill-rows';
import { settleInProcessActions } from './in-process-actions';
import {
  type BatchPlan,
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

const CHUNK = 1000;
// A batch's operations (a report has several per bill) in one statement: at 1,000 rows a statement, the
// statements' own cost was about a tenth of a 50,000-operation first sync (bench/sync.ts).
const OPERATIONS_PER_STATEMENT = 5 * CHUNK;

/** What a new bill's row sets; the rest (id, first sight, last update) are the table's defaults. */
const NEW_BILL_COLUMNS = [
  'billNumber',
  'orderNumber',
  'orderId',
  'rawStatus',
  'status',
  'amountKopecks',
  'currency',
  'chargedKopecks',
  'returnedKopecks',
  'responseCode',
  'message',
  'maskedCard',
  'testMode',
  'packetDate',
  'heldSince',
  'flags',
  'raw',
  'checkedAt',
] as const;

/** What a merge may change in a stored bill: what a new bill sets but its number and flags, and its last update. */
const MERGED_BILL_COLUMNS = [
  ...NEW_BILL_COLUMNS.filter((c) => c !== 'billNumber' && c !== 'flags'),
  'updatedAt' as const,
];

const OPERATION_COLUMNS = [
  'operationId',
  'billNumber',
  'kind',
  'rawKind',
  'outcome',
  'rawOutcome',
  'amountKopecks',
  'currency',
  'at',
  'responseCode',
  'message',
  'maskedCard',
  'approvalCode',
] as const;

const HISTORY_COLUMNS = ['billNumber', 'field', 'oldValue', 'newValue', 'source', 'syncRunId'] as const;

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

/** One batch in one transaction, step by step: repeats, load, merge, write bills, operations, history, orders. */
async function recordBatch(
  tx: Tx,
  bills: GatewayBill[],
  ctx: RecordContext,
): Promise<Omit<RecordResult, 'seen'>> {
  const now = new Date();
  const repeats = await findRepeats(tx, bills);
  if (ctx.checked && repeats.size > 0) {
    await tx
      .update(assistBills)
      .set({ checkedAt: now })
      .where(inList(assistBills.billNumber, [...repeats]));
  }
  const news = bills.filter((b) => !repeats.has(b.billNumber));
  if (news.length === 0) return { inserted: 0, updated: 0, unchanged: repeats.size, statusChanges: [] };
  const links = await loadOrderLinks(tx, news);
  const { created, stored } = await loadBills(tx, news, links, ctx, now);
  const plan = planBatch({ created, stored, links, ctx, now });
  await writeBills(tx, plan.billWrites);
  await writeOperations(tx, plan);
  await writeHistory(tx, plan.history);
  const written = [...plan.newOperations, ...plan.settledOperations];
  await settleInProcessActions(tx, [...new Set(written.map((o) => o.billNumber))]);
  const statusChanges = await recomputeOrders(tx, plan.affectedOrders, ctx.testPaymentsCount);
  return {
    inserted: created.length,
    updated: plan.updated,
    unchanged: plan.unchanged + repeats.size,
    statusChanges,
  };
}

/** What the merge rule compares of a stored bill, besides its operations. */
const MERGED_FIELDS = [
  'billNumber',
  'orderNumber',
  'status',
  'rawStatus',
  'amountKopecks',
  'currency',
  'testMode',
  'packetDate',
  'responseCode',
  'message',
  'maskedCard',
  'raw',
] as const;

/**
 * The bills the gateway only repeats, found with one query and no lock: stored with the same fields,
 * linked to their order when we have it, and every operation named already stored as the merge rule
 * would leave it. Merging such a bill changes nothing, also when another transaction changes it
 * meanwhile (that can only add to what is stored), so it skips the lock, the merge and the writes: an
 * unchanged re-read costs one query per batch.
 */
async function findRepeats(tx: Tx, bills: GatewayBill[]): Promise<Set<string>> {
  // Only a stored bill can be a repeat: asking which are stored first spares a first sync sending every
  // bill whole to find none (a tenth of its time). A bill stored meanwhile takes the locked path.
  const stored = await tx
    .select({ billNumber: assistBills.billNumber })
    .from(assistBills)
    .where(
      inList(
        assistBills.billNumber,
        bills.map((b) => b.billNumber),
      ),
    );
  if (stored.length === 0) return new Set();
  const known = new Set(stored.map((s) => s.billNumber));
  const candidates = bills.filter((b) => known.has(b.billNumber));
  const r = recordset(assistBills, MERGED_FIELDS, candidates);
  const fields = (alias: string) =>
    sql.join(
      r.names.filter((n) => n !== 'raw').map((n) => sql`${sql.identifier(alias)}.${sql.identifier(n)}`),
      sql`, `,
    );
  const rows = resultRows<{ bill_number: string; operations: OperationFacts[] }>(
    await tx.execute(sql`
      select b.bill_number, (
          select coalesce(json_agg(json_build_object(
            'operationId', o.operation_id, 'kind', o.kind, 'outcome', o.outcome,
            'amountKopecks', o.amount_kopecks)), '[]')
          from assist_operations o where o.bill_number = b.bill_number
        ) as operations
      from ${r.source} join assist_bills b on b.bill_number = r.bill_number
      where ${r.keyIn('b', 'billNumber')}
        and (${fields('b')}) is not distinct from (${fields('r')}) and b.raw = r.raw
        and (b.order_id is not null or not exists (select from orders where order_number = r.order_number))`),
  );
  const incoming = new Map(candidates.map((b) => [b.billNumber, b]));
  return new Set(
    rows
      .filter((row) => addsNoOperation(row.operations, incoming.get(row.bill_number)?.operations ?? []))
      .map((row) => row.bill_number),
  );
}

/** Our orders the bills name. */
async function loadOrderLinks(tx: Tx, bills: GatewayBill[]): Promise<OrderLinks> {
  const orderNumbers = [...new Set(bills.map((b) => b.orderNumber))];
  const rows = await tx
    .select({ id: orders.id, orderNumber: orders.orderNumber, twoStage: orders.twoStage })
    .from(orders)
    .where(inList(orders.orderNumber, orderNumbers));
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
    const rows = recordset(
      assistBills,
      NEW_BILL_COLUMNS,
      part.map((b) => newBillRow(b, links, ctx, now)),
    );
    const insert = sql`insert into assist_bills (${rows.columns}) select ${rows.columns} from ${rows.source}`;
    const inserted = await insertUnlessStored(
      tx,
      async (savepoint) => {
        await savepoint.execute(insert);
        return part.map((b) => b.billNumber);
      },
      async () => {
        const done = await tx.execute(
          sql`${insert} on conflict (bill_number) do nothing returning bill_number`,
        );
        return resultRows<{ bill_number: string }>(done).map((d) => d.bill_number);
      },
    );
    for (const n of inserted) insertedNumbers.add(n);
  }
  const created = fresh.filter((b) => insertedNumbers.has(b.billNumber));
  const raced = fresh.filter((b) => !insertedNumbers.has(b.billNumber)).map((b) => b.billNumber);
  if (raced.length > 0) locked = new Map([...locked, ...(await lockBills(tx, raced))]);

  // A first sync locks none: it need not ask for their operations.
  const operations =
    locked.size === 0
      ? []
      : await tx
          .select()
          .from(assistOperations)
          .where(inList(assistOperations.billNumber, [...locked.keys()]));
  const opsByBill = groupBy(operations, (o) => o.billNumber);
  const incoming = new Map(bills.map((b) => [b.billNumber, b]));
  const stored = [...locked.values()].map((row) => ({
    row,
    operations: opsByBill.get(row.billNumber) ?? [],
    incoming: incoming.get(row.billNumber) as GatewayBill,
  }));
  return { created, stored };
}

/**
 * Rows the locked load showed absent, added by a plain INSERT under a savepoint: the conflict checks of
 * an upsert cost as much as the insert itself (operations: 61 against 36 ms of server time per 5,000
 * rows, measured in the server, twelve runs each). A row stored after all (a bill another transaction
 * created meanwhile; an operation number the gateway gave under another bill, or twice in one report,
 * since nothing here checks its prefix) rolls the savepoint back, and `otherwise` decides the rows as the
 * conflict-aware statement always did.
 */
async function insertUnlessStored<T>(
  tx: Tx,
  insert: (savepoint: Tx) => Promise<T>,
  otherwise: () => Promise<T>,
): Promise<T> {
  try {
    return await tx.transaction(insert);
  } catch (err) {
    if (pgErrorCode(err).code !== UNIQUE_VIOLATION) throw err;
    return otherwise();
  }
}

async function lockBills(tx: Tx, numbers: string[]): Promise<Map<string, BillRow>> {
  if (numbers.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(assistBills)
    .where(inList(assistBills.billNumber, numbers))
    .for('update');
  return new Map(rows.map((r) => [r.billNumber, r]));
}

/** Merged bills, and unchanged ones only marked checked, written over their (locked) stored rows. */
export async function writeBills(tx: Tx, rows: BillInsert[]): Promise<void> {
  for (const part of chunks(rows)) {
    const r = recordset(assistBills, ['billNumber', ...MERGED_BILL_COLUMNS], part);
    const set = sql.join(
      r.names.slice(1).map((name) => sql`${sql.identifier(name)} = r.${sql.identifier(name)}`),
      sql`, `,
    );
    await tx.execute(
      sql`update assist_bills as b set ${set} from ${r.source}
          where b.bill_number = r.bill_number and ${r.keyIn('b', 'billNumber')}`,
    );
  }
}

/**
 * Operations are facts: new ones are added, and only one still in process takes its outcome when it
 * finishes; a finished one is never rewritten. A notification's operation the report now names by its
 * extended number is replaced by it.
 */
export async function writeOperations(
  tx: Tx,
  operations: Pick<BatchPlan, 'supersededOperations' | 'newOperations' | 'settledOperations'>,
): Promise<void> {
  for (const ids of chunks(operations.supersededOperations)) {
    await tx.delete(assistOperations).where(inList(assistOperations.operationId, ids));
  }
  for (const part of chunks(operations.newOperations, OPERATIONS_PER_STATEMENT)) {
    await addOperations(tx, part);
  }
  for (const part of chunks(operations.settledOperations, OPERATIONS_PER_STATEMENT)) {
    await upsertOperations(tx, part);
  }
}

/** Operations the locked load showed absent from their bill (see insertUnlessStored). */
async function addOperations(tx: Tx, rows: OperationInsert[]): Promise<void> {
  const r = recordset(assistOperations, OPERATION_COLUMNS, rows);
  await insertUnlessStored(
    tx,
    async (savepoint) => {
      await savepoint.execute(
        sql`insert into assist_operations (${r.columns}) select ${r.columns} from ${r.source}`,
      );
    },
    () => upsertOperations(tx, rows),
  );
}

/** Only a stored row still in process takes the outcome of the one the gateway names now. */
async function upsertOperations(tx: Tx, rows: OperationInsert[]): Promise<void> {
  const r = recordset(assistOperations, OPERATION_COLUMNS, rows);
  const set = sql.join(
    r.names
      .filter((name) => !['operation_id', 'bill_number', 'kind', 'raw_kind'].includes(name))
      .map((name) => sql`${sql.identifier(name)} = excluded.${sql.identifier(name)}`),
    sql`, `,
  );
  await tx.execute(
    sql`insert into assist_operations as o (${r.columns}) select ${r.columns} from ${r.source}
        on conflict (operation_id) do update set ${set}
        where o.outcome = 'pending' and excluded.outcome <> 'pending'`,
  );
}

/** The append-only history: one row per real change. */
async function writeHistory(tx: Tx, rows: ChangeInsert[]): Promise<void> {
  for (const part of chunks(rows)) {
    const r = recordset(assistBillChanges, HISTORY_COLUMNS, part);
    await tx.execute(
      sql`insert into assist_bill_changes (${r.columns}) select ${r.columns} from ${r.source}`,
    );
  }
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
  const orderRows = await tx
    .select({
      id: orders.id,
      orderNumber: orders.orderNumber,
      totalKopecks: orders.totalKopecks,
      currency: orders.currency,
      paymentStatus: orders.paymentStatus,
      paymentFlags: orders.paymentFlags,
    })
    .from(orders)
    .where(inList(orders.id, orderIds))
    .for('update');
  // Only what the actual-status rule reads: a first sync reads back every bill it wrote.
  const billRows = await tx
    .select({
      billNumber: assistBills.billNumber,
      orderId: assistBills.orderId,
      status: assistBills.status,
      amountKopecks: assistBills.amountKopecks,
      currency: assistBills.currency,
      testMode: assistBills.testMode,
      flags: assistBills.flags,
    })
    .from(assistBills)
    .where(inList(assistBills.orderId, orderIds));
  const billsByOrder = groupBy(billRows, (b) => b.orderId ?? 0);
  const billFlags: Array<{ billNumber: string; flags: string[] }> = [];
  const orderUpdates: Array<{ id: number; paymentStatus: string; paymentFlags: string[] }> = [];
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
      orderUpdates.push({ id: order.id, paymentStatus: verdict.status, paymentFlags: orderFlags });
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
    const r = recordset(assistBills, ['billNumber', 'flags'], part);
    await tx.execute(
      sql`update assist_bills as b set flags = r.flags from ${r.source}
          where b.bill_number = r.bill_number and ${r.keyIn('b', 'billNumber')}`,
    );
  }
  for (const part of chunks(orderUpdates)) {
    const r = recordset(orders, ['id', 'paymentStatus', 'paymentFlags'], part);
    await tx.execute(
      sql`update orders as o set payment_status = r.payment_status, payment_flags = r.payment_flags, updated_at = now()
          from ${r.source} where o.id = r.id and ${r.keyIn('o', 'id')}`,
    );
  }
  return changes;
}
