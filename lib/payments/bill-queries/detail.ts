import 'server-only';
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { actualStatus, type PaymentStatus } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { adminActions, assistBillChanges, assistBills, assistOperations, orders } from '@/lib/db/schema';

export type BillRow = typeof assistBills.$inferSelect;
export type OperationRow = typeof assistOperations.$inferSelect;
export type ChangeRow = typeof assistBillChanges.$inferSelect;
export type AdminActionRow = typeof adminActions.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;

export type OrderBills = {
  order: OrderRow | null;
  bills: Array<BillRow & { actual: boolean }>;
  status: ReturnType<typeof actualStatus>['status'] | null;
  anomalies: ReturnType<typeof actualStatus>['anomalies'];
};

async function orderBills(db: Db, orderNumber: string, testPaymentsCount: boolean): Promise<OrderBills> {
  const [order] = await db.select().from(orders).where(eq(orders.orderNumber, orderNumber));
  const bills = await db
    .select()
    .from(assistBills)
    .where(eq(assistBills.orderNumber, orderNumber))
    .orderBy(desc(assistBills.firstSeenAt), desc(assistBills.id));
  if (!order)
    return { order: null, bills: bills.map((b) => ({ ...b, actual: false })), status: null, anomalies: [] };
  const verdict = actualStatus(
    { amountKopecks: order.totalKopecks, currency: order.currency, testPaymentsCount },
    bills.map((b) => ({ ...b, status: b.status as PaymentStatus })),
  );
  return {
    order,
    bills: bills.map((b) => ({ ...b, actual: b.billNumber === verdict.actualBill?.billNumber })),
    status: verdict.status,
    anomalies: verdict.anomalies,
  };
}

export type BillDetail = {
  bill: BillRow;
  operations: OperationRow[];
  changes: ChangeRow[];
  actions: AdminActionRow[];
  order: OrderBills;
};

export async function getBillDetail(
  db: Db,
  billNumber: string,
  testPaymentsCount: boolean,
): Promise<BillDetail | null> {
  const [bill] = await db.select().from(assistBills).where(eq(assistBills.billNumber, billNumber));
  if (!bill) return null;
  const [operations, changes, actions, order] = await Promise.all([
    db
      .select()
      .from(assistOperations)
      .where(eq(assistOperations.billNumber, billNumber))
      .orderBy(sql`${assistOperations.at} asc nulls first`, asc(assistOperations.id)),
    db
      .select()
      .from(assistBillChanges)
      .where(eq(assistBillChanges.billNumber, billNumber))
      .orderBy(desc(assistBillChanges.id)),
    db
      .select()
      .from(adminActions)
      .where(eq(adminActions.billNumber, billNumber))
      .orderBy(desc(adminActions.id)),
    orderBills(db, bill.orderNumber, testPaymentsCount),
  ]);
  return { bill, operations, changes, actions, order };
}

export type OrderDetail = OrderBills & {
  changes: ChangeRow[];
  actions: AdminActionRow[];
};

/** An order (ours or only known from the gateway) with all its bills, their history and staff actions. */
export async function getOrderDetail(
  db: Db,
  orderNumber: string,
  testPaymentsCount: boolean,
): Promise<OrderDetail | null> {
  const found = await orderBills(db, orderNumber, testPaymentsCount);
  if (!found.order && found.bills.length === 0) return null;
  const numbers = found.bills.map((b) => b.billNumber);
  if (numbers.length === 0) return { ...found, changes: [], actions: [] };
  const [changes, actions] = await Promise.all([
    db
      .select()
      .from(assistBillChanges)
      .where(inArray(assistBillChanges.billNumber, numbers))
      .orderBy(desc(assistBillChanges.id))
      .limit(500),
    db
      .select()
      .from(adminActions)
      .where(inArray(adminActions.billNumber, numbers))
      .orderBy(desc(adminActions.id)),
  ]);
  return { ...found, changes, actions };
}
