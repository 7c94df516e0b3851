import { type GatewayBill, mergeBill } from '@/lib/assist';
import {
  type BillInsert,
  type BillRow,
  billFromRows,
  billToRow,
  moneyMoved,
  type OperationInsert,
  type OperationRow,
  operationToRow,
} from './bill-rows';
import type { assistBillChanges } from './schema';

export type BillSource = 'sync' | 'notification' | 'check' | 'admin';

export type RecordContext = {
  source: BillSource;
  syncRunId?: number | null;
  /** False in production: a test payment is kept and flagged, never counted as paid. */
  testPaymentsCount: boolean;
  /** Marks the bills as just re-read from the gateway (for "oldest-checked first"). */
  checked?: boolean;
};

export type ChangeInsert = typeof assistBillChanges.$inferInsert;

/** Our orders the batch's bills name: their ids by order number, and which of them are two-stage. */
export type OrderLinks = { idByNumber: Map<string, number>; twoStage: Set<number> };

/** A bill as stored (locked by the caller) with its operations, and what the gateway now says of it. */
export type StoredBill = { row: BillRow; operations: OperationRow[]; incoming: GatewayBill };

/** Everything one batch writes, decided before any of it is written. */
export type BatchPlan = {
  /** Whole rows upserted over stored bills: merged ones, and unchanged ones only marked checked. */
  billWrites: BillInsert[];
  /** Operations the gateway told us of for the first time: none of their bill's stored rows has their number. */
  newOperations: OperationInsert[];
  /**
   * Operations their bill has a row of under the same number, named again because the stored one was in
   * process: the row takes the outcome if it still is (a finished one is never rewritten).
   */
  settledOperations: OperationInsert[];
  /** Operations known only from a notification that the report now names by their extended number. */
  supersededOperations: string[];
  history: ChangeInsert[];
  /** Orders whose actual payment status must be recomputed. */
  affectedOrders: number[];
  updated: number;
  unchanged: number;
};

/** Map.groupBy arrives in Node 21; we support Node 20. */
export function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
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
export function foldIncoming(bills: GatewayBill[]): Map<string, GatewayBill> {
  const byNumber = new Map<string, GatewayBill>();
  for (const bill of bills) {
    const prev = byNumber.get(bill.billNumber);
    byNumber.set(bill.billNumber, prev ? mergeBill(prev, bill).bill : bill);
  }
  return byNumber;
}

/** The row of a bill seen for the first time. */
export function newBillRow(bill: GatewayBill, links: OrderLinks, ctx: RecordContext, now: Date): BillInsert {
  const orderId = links.idByNumber.get(bill.orderNumber) ?? null;
  const row = billToRow(bill, {
    orderId,
    heldSince: bill.status === 'held' ? now : null,
    flags: [],
    checkedAt: ctx.checked ? now : null,
  });
  return holdAware(row, bill, orderId, links.twoStage);
}

/**
 * The merge step, pure: bills just created get their operations and a `created` history row; stored
 * bills are merged by the monotonic merge rule, with one history row per real change and none for an
 * unchanged re-read.
 */
export function planBatch(input: {
  created: GatewayBill[];
  stored: StoredBill[];
  links: OrderLinks;
  ctx: RecordContext;
  now: Date;
}): BatchPlan {
  const { links, ctx, now } = input;
  const plan: BatchPlan = {
    billWrites: [],
    newOperations: [],
    settledOperations: [],
    supersededOperations: [],
    history: [],
    affectedOrders: [],
    updated: 0,
    unchanged: 0,
  };
  const affected = new Set<number>();
  const historyRow = (billNumber: string, field: string, oldValue: unknown, newValue: unknown) => ({
    billNumber,
    field,
    oldValue,
    newValue,
    source: ctx.source,
    syncRunId: ctx.syncRunId ?? null,
  });

  for (const bill of input.created) {
    plan.history.push(historyRow(bill.billNumber, 'created', null, bill.status));
    for (const op of bill.operations) plan.newOperations.push(operationToRow(bill.billNumber, op));
    const orderId = links.idByNumber.get(bill.orderNumber);
    if (orderId !== undefined) affected.add(orderId);
  }

  for (const { row, operations, incoming } of input.stored) {
    const n = row.billNumber;
    const merged = mergeBill(billFromRows(row, operations), incoming);
    const orderId = row.orderId ?? links.idByNumber.get(merged.bill.orderNumber) ?? null;
    const linkChanged = orderId !== row.orderId;
    if (merged.changes.length === 0 && !linkChanged) {
      plan.unchanged++;
      if (ctx.checked) plan.billWrites.push({ ...row, checkedAt: now });
      continue;
    }
    plan.updated++;
    const heldSince = row.heldSince ?? (merged.bill.status === 'held' ? now : null);
    const mergedRow = billToRow(merged.bill, {
      orderId,
      heldSince,
      flags: row.flags,
      checkedAt: ctx.checked ? now : row.checkedAt,
    });
    plan.billWrites.push({ ...holdAware(mergedRow, merged.bill, orderId, links.twoStage), updatedAt: now });
    for (const change of merged.changes) {
      if (change.field.startsWith('operation ')) {
        const op = change.new as GatewayBill['operations'][number];
        const old = change.old as GatewayBill['operations'][number] | null;
        // The notification's operation, now read with its extended billnumber: one fact, one row.
        if (old !== null && old.operationId !== op.operationId)
          plan.supersededOperations.push(old.operationId);
        if (old !== null && old.operationId === op.operationId)
          plan.settledOperations.push(operationToRow(n, op));
        else plan.newOperations.push(operationToRow(n, op));
        plan.history.push(historyRow(n, 'operation', jsonSafe(change.old), jsonSafe(op)));
      } else {
        plan.history.push(historyRow(n, change.field, jsonSafe(change.old), jsonSafe(change.new)));
      }
    }
    if (orderId !== null) affected.add(orderId);
  }
  plan.affectedOrders = [...affected];
  return plan;
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

/** Dates become ISO strings, undefined becomes null: what jsonb can hold, readable in the history. */
function jsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}
