import { compareBillNumbers } from './billnumber';
import { holdsMoney, isPositive } from './status';
import type { GatewayBill, PaymentStatus } from './types';

export interface OrderForStatus {
  amountKopecks: number;
  currency: string;
  /** True when test payments count as paid (test mode); in production a test payment is only flagged. */
  testPaymentsCount: boolean;
}

export type BillForStatus = Pick<
  GatewayBill,
  'billNumber' | 'status' | 'amountKopecks' | 'currency' | 'testMode'
>;

export type Anomaly =
  | { kind: 'double_payment'; billNumbers: string[] }
  | { kind: 'amount_mismatch'; billNumber: string; expectedKopecks: number; actualKopecks: number | null }
  | { kind: 'currency_mismatch'; billNumber: string; expected: string; actual: string | null }
  | { kind: 'test_payment'; billNumber: string }
  | { kind: 'unknown_status'; billNumber: string };

export interface ActualStatus<B extends BillForStatus> {
  /** The bill that decides the order's payment status, or null when no bill counts. */
  actualBill: B | null;
  status: PaymentStatus | 'unpaid';
  anomalies: Anomaly[];
}

function newestFirst<B extends BillForStatus>(bills: B[]): B[] {
  return [...bills].sort((a, b) => compareBillNumbers(b.billNumber, a.billNumber));
}

/**
 * Which bill is the order's actual payment (docs/assist-protocol.md §7): ignore bills in process; any bill that took
 * money hides declined/expired ones (a customer may pay in an earlier tab while a later one times out);
 * of what remains the newest by numeric billnumber wins, except that a bill refunded in full never
 * outranks one that still holds money. Problems are reported, never smoothed over.
 * `status` is `unpaid` when no bill counts (none, or only in-process ones).
 */
export function actualStatus<B extends BillForStatus>(order: OrderForStatus, bills: B[]): ActualStatus<B> {
  const anomalies: Anomaly[] = [];
  const counted: B[] = [];
  for (const bill of bills) {
    if (bill.status === 'in_process') continue;
    if (bill.testMode === true && !order.testPaymentsCount) {
      // Kept visible to staff but never allowed to make a production order paid.
      if (isPositive(bill.status)) anomalies.push({ kind: 'test_payment', billNumber: bill.billNumber });
      continue;
    }
    counted.push(bill);
  }

  const positive = counted.filter((b) => isPositive(b.status));
  const candidates =
    positive.length > 0 ? counted.filter((b) => b.status !== 'declined' && b.status !== 'expired') : counted;

  const takingMoney = newestFirst(counted.filter((b) => holdsMoney(b.status)));
  if (takingMoney.length > 1) {
    anomalies.push({ kind: 'double_payment', billNumbers: takingMoney.map((b) => b.billNumber) });
  }
  for (const bill of newestFirst(positive)) {
    if (bill.amountKopecks !== order.amountKopecks) {
      anomalies.push({
        kind: 'amount_mismatch',
        billNumber: bill.billNumber,
        expectedKopecks: order.amountKopecks,
        actualKopecks: bill.amountKopecks,
      });
    }
    if (bill.currency !== null && bill.currency.toUpperCase() !== order.currency.toUpperCase()) {
      anomalies.push({
        kind: 'currency_mismatch',
        billNumber: bill.billNumber,
        expected: order.currency,
        actual: bill.currency,
      });
    }
  }
  for (const bill of candidates) {
    if (bill.status === 'unknown') anomalies.push({ kind: 'unknown_status', billNumber: bill.billNumber });
  }

  // Beyond §7: after a double payment staff refund one bill in full, often the newer one; the order
  // is still paid by the other, so a full refund does not outrank an older bill that holds money.
  const contenders = takingMoney.length > 0 ? candidates.filter((b) => b.status !== 'refunded') : candidates;
  const actualBill = newestFirst(contenders)[0] ?? null;
  return { actualBill, status: actualBill ? actualBill.status : 'unpaid', anomalies };
}
