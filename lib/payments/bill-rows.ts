import type { GatewayBill, GatewayOperation, PaymentStatus } from '@/lib/assist';
import type { assistBills, assistOperations } from './schema';

export type BillRow = typeof assistBills.$inferSelect;
export type BillInsert = typeof assistBills.$inferInsert;
export type OperationRow = typeof assistOperations.$inferSelect;
export type OperationInsert = typeof assistOperations.$inferInsert;

/** The stored row and its operations, back in the adapter's shape, so the merge rule can run on it. */
export function billFromRows(row: BillRow, operations: OperationRow[]): GatewayBill {
  return {
    billNumber: row.billNumber,
    orderNumber: row.orderNumber,
    status: row.status as PaymentStatus,
    rawStatus: row.rawStatus,
    amountKopecks: row.amountKopecks,
    currency: row.currency,
    testMode: row.testMode,
    packetDate: row.packetDate,
    responseCode: row.responseCode,
    message: row.message,
    maskedCard: row.maskedCard,
    operations: operations.map(operationFromRow),
    raw: row.raw,
  };
}

function operationFromRow(row: OperationRow): GatewayOperation {
  return {
    operationId: row.operationId,
    kind: row.kind as GatewayOperation['kind'],
    rawKind: row.rawKind,
    outcome: row.outcome as GatewayOperation['outcome'],
    rawOutcome: row.rawOutcome,
    amountKopecks: row.amountKopecks,
    currency: row.currency,
    at: row.at,
    responseCode: row.responseCode,
    message: row.message,
    maskedCard: row.maskedCard,
    approvalCode: row.approvalCode,
  };
}

/**
 * Written out field by field: `{ ...op, billNumber }` gives V8 an object in dictionary mode, about four
 * times the size, and a sync builds one per operation of the batch.
 */
export function operationToRow(billNumber: string, op: GatewayOperation): OperationInsert {
  return {
    operationId: op.operationId,
    billNumber,
    kind: op.kind,
    rawKind: op.rawKind,
    outcome: op.outcome,
    rawOutcome: op.rawOutcome,
    amountKopecks: op.amountKopecks,
    currency: op.currency,
    at: op.at,
    responseCode: op.responseCode,
    message: op.message,
    maskedCard: op.maskedCard,
    approvalCode: op.approvalCode,
  };
}

function successful(bill: GatewayBill, kind: GatewayOperation['kind']): number[] {
  return bill.operations
    .filter((o) => o.kind === kind && o.outcome === 'success' && o.amountKopecks !== null)
    .map((o) => o.amountKopecks ?? 0);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Money actually taken and given back, from the operations. A two-stage bill (seen held, or with a
 * charge operation) is charged by its charge; a one-stage bill by its successful payment.
 */
export function moneyMoved(bill: GatewayBill, seenHeld: boolean): { charged: number; returned: number } {
  const charges = successful(bill, 'charge');
  const returned = sum(successful(bill, 'cancel'));
  if (charges.length > 0 || seenHeld || bill.status === 'held') return { charged: sum(charges), returned };
  const tookMoney: PaymentStatus[] = ['paid', 'partially_refunded', 'refunded', 'partially_charged'];
  return { charged: tookMoney.includes(bill.status) ? sum(successful(bill, 'payment')) : 0, returned };
}

export function billToRow(
  bill: GatewayBill,
  extra: { orderId: number | null; heldSince: Date | null; flags: string[]; checkedAt?: Date | null },
): BillInsert {
  const { charged, returned } = moneyMoved(bill, extra.heldSince !== null);
  return {
    billNumber: bill.billNumber,
    orderNumber: bill.orderNumber,
    orderId: extra.orderId,
    rawStatus: bill.rawStatus,
    status: bill.status,
    amountKopecks: bill.amountKopecks,
    currency: bill.currency,
    chargedKopecks: charged,
    returnedKopecks: returned,
    responseCode: bill.responseCode,
    message: bill.message,
    maskedCard: bill.maskedCard,
    testMode: bill.testMode,
    packetDate: bill.packetDate,
    heldSince: extra.heldSince,
    flags: extra.flags,
    raw: bill.raw,
    checkedAt: extra.checkedAt ?? null,
  };
}
