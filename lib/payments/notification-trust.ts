import type { GatewayBill, PaymentStatus } from '@/lib/assist';

/** How far ahead of our clock a packetdate may be (gateway clock skew), and no further. */
export const MAX_PACKET_DATE_AHEAD_MS = 24 * 60 * 60 * 1000;

export type StoredBillFacts = Pick<
  GatewayBill,
  'orderNumber' | 'status' | 'amountKopecks' | 'currency' | 'testMode'
>;

export type OrderFacts = {
  totalKopecks: number;
  currency: string;
  paymentStatus: PaymentStatus | 'unpaid';
};

export type TrustDecision =
  | { kind: 'apply'; bill: GatewayBill }
  | { kind: 'reread'; reason: string }
  | { kind: 'refuse'; reason: string };

const TOOK_MONEY: ReadonlySet<PaymentStatus | 'unpaid'> = new Set(['paid', 'partially_charged']);

/**
 * What a VERIFIED notification may do on its own. Its checkvalue signs merchant, order number, one amount
 * and currency and the order state; billnumber, testmode, packetdate (and the other amount pair) ride
 * along unsigned. So the notification is applied directly only when those unsigned fields change
 * nothing that matters; anything that would move money or links is confirmed by a gateway re-read:
 * - a bill that would leave paid/charged, or change amount, currency, test flag or order;
 * - a new bill for an order that is not the shop's, whose amount or currency is not the order's, whose
 *   test flag is not the shop's mode, or for an order that already took money (a second payment).
 * A packetdate more than a day ahead is refused; one ahead of our clock is dropped (the merge rule then
 * only moves the state forward), so that an unsigned future date can never make genuine packets look older.
 */
export function decideVerifiedNotification(input: {
  bill: GatewayBill;
  stored: StoredBillFacts | null;
  order: OrderFacts | null;
  testMode: boolean;
  now: Date;
}): TrustDecision {
  const { bill, stored, order, now } = input;
  if (bill.packetDate !== null && bill.packetDate.getTime() > now.getTime() + MAX_PACKET_DATE_AHEAD_MS) {
    return { kind: 'refuse', reason: 'packetdate is more than a day in the future' };
  }
  const differs = <T>(a: T | null, b: T | null) => a !== null && b !== null && a !== b;
  if (stored !== null) {
    if (bill.orderNumber !== stored.orderNumber) return { kind: 'reread', reason: 'order number differs' };
    if (differs(bill.amountKopecks, stored.amountKopecks))
      return { kind: 'reread', reason: 'amount differs' };
    if (differs(bill.currency, stored.currency)) return { kind: 'reread', reason: 'currency differs' };
    if (differs(bill.testMode, stored.testMode)) return { kind: 'reread', reason: 'test flag differs' };
    if (TOOK_MONEY.has(stored.status) && bill.status !== stored.status) {
      return { kind: 'reread', reason: `would move a ${stored.status} bill to ${bill.status}` };
    }
  } else {
    if (order === null) return { kind: 'reread', reason: 'not one of our orders' };
    if (bill.amountKopecks !== order.totalKopecks)
      return { kind: 'reread', reason: "amount is not the order's" };
    if (bill.currency !== order.currency) return { kind: 'reread', reason: "currency is not the order's" };
    if (bill.testMode !== null && bill.testMode !== input.testMode) {
      return { kind: 'reread', reason: "test flag is not the shop's mode" };
    }
    if (TOOK_MONEY.has(order.paymentStatus)) return { kind: 'reread', reason: 'order already took money' };
  }
  const packetDate =
    bill.packetDate !== null && bill.packetDate.getTime() > now.getTime() ? null : bill.packetDate;
  return { kind: 'apply', bill: { ...bill, packetDate } };
}
