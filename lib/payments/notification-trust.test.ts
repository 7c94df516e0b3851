import { describe, expect, it } from 'vitest';
import type { GatewayBill } from '@/lib/assist';
import { decideVerifiedNotification, type OrderFacts, type StoredBillFacts } from './notification-trust';

const now = new Date('2030-01-10T12:00:00Z');

function bill(extra: Partial<GatewayBill> = {}): GatewayBill {
  return {
    billNumber: '5960911012345678',
    orderNumber: '1002',
    status: 'paid',
    rawStatus: 'Approved',
    amountKopecks: 320_000,
    currency: 'RUB',
    testMode: false,
    packetDate: new Date('2030-01-10T11:59:00Z'),
    responseCode: 'AS000',
    message: null,
    maskedCard: null,
    operations: [],
    raw: {},
    ...extra,
  };
}
const stored: StoredBillFacts = {
  orderNumber: '1002',
  status: 'paid',
  amountKopecks: 320_000,
  currency: 'RUB',
  testMode: false,
};
const order: OrderFacts = { totalKopecks: 320_000, currency: 'RUB', paymentStatus: 'unpaid' };
const decide = (b: GatewayBill, s: StoredBillFacts | null, o: OrderFacts | null = order) =>
  decideVerifiedNotification({ bill: b, stored: s, order: o, testMode: false, now });

describe('decideVerifiedNotification', () => {
  it("applies a first notification for one of our orders with the order's amount", () => {
    expect(decide(bill(), null)).toMatchObject({ kind: 'apply' });
    expect(decide(bill({ status: 'declined', rawStatus: 'Declined' }), null)).toMatchObject({
      kind: 'apply',
    });
  });

  it('re-reads before anything unsigned can change money, links or the test flag', () => {
    expect(decide(bill({ amountKopecks: 1 }), stored)).toMatchObject({ kind: 'reread' });
    expect(decide(bill({ currency: 'USD' }), stored)).toMatchObject({ kind: 'reread' });
    expect(decide(bill({ testMode: true }), stored)).toMatchObject({ kind: 'reread' });
    expect(decide(bill({ orderNumber: '1003' }), stored)).toMatchObject({ kind: 'reread' });
  });

  it('re-reads before a bill leaves paid or charged', () => {
    for (const status of ['declined', 'refunded', 'in_process', 'held', 'unknown'] as const) {
      expect(decide(bill({ status }), stored)).toMatchObject({ kind: 'reread' });
    }
    expect(decide(bill(), stored)).toMatchObject({ kind: 'apply' });
    expect(decide(bill({ status: 'refunded' }), { ...stored, status: 'held' })).toMatchObject({
      kind: 'apply',
    });
  });

  it("re-reads a new bill that is not for one of our orders, not for the order's money, or a second payment", () => {
    expect(decide(bill(), null, null)).toMatchObject({ kind: 'reread' });
    expect(decide(bill({ amountKopecks: 100 }), null)).toMatchObject({ kind: 'reread' });
    expect(decide(bill({ currency: 'EUR' }), null)).toMatchObject({ kind: 'reread' });
    expect(decide(bill({ testMode: true }), null)).toMatchObject({ kind: 'reread' });
    expect(decide(bill(), null, { ...order, paymentStatus: 'paid' })).toMatchObject({ kind: 'reread' });
  });

  it('refuses a packetdate more than a day ahead and never orders by a future one', () => {
    expect(decide(bill({ packetDate: new Date('9999-01-01T00:00:00Z') }), stored)).toMatchObject({
      kind: 'refuse',
    });
    const ahead = decide(bill({ packetDate: new Date(now.getTime() + 3_600_000) }), stored);
    expect(ahead).toMatchObject({ kind: 'apply', bill: { packetDate: null } });
    const past = decide(bill(), stored);
    expect(past.kind === 'apply' && past.bill.packetDate?.toISOString()).toBe('2030-01-10T11:59:00.000Z');
  });
});
