import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '@/lib/db/schema';
import { type PaymentsHarness, startPaymentsHarness } from '@/lib/testing/payments-harness';
import { registerFulfilment } from './fulfilment';

describe('fulfilment hook', () => {
  let h: PaymentsHarness;
  let unregister: () => void;
  beforeAll(async () => {
    h = await startPaymentsHarness();
    unregister = registerFulfilment(async () => h.database.db);
  });
  afterAll(async () => {
    unregister?.();
    await h?.close();
  });

  it('marks an order ready to ship after commit when it is paid, and back when refunded', async () => {
    const o = await h.createOrder({ amountKopecks: 10_000 });
    const bill = await h.openBill(o);
    await h.pay(bill);
    await h.waitForDeliveries();
    const status = async () =>
      (await h.database.db.select({ s: orders.status }).from(orders).where(eq(orders.id, o.id)))[0]?.s;
    expect(await status()).toBe('ready_to_ship');
    const refund = await h.gateway.cancel({ billNumber: bill, reason: 'customer' });
    expect(refund.ok).toBe(true);
    const reread = await h.gateway.bills(
      { billNumber: bill },
      { since: new Date(h.clock.now.getTime() - 86_400_000) },
    );
    if (!reread.ok) throw new Error('re-read failed');
    const { recordGatewayBills } = await import('@/lib/payments/record-bills');
    await recordGatewayBills(h.database.db, reread.bills, { source: 'check', testPaymentsCount: true });
    expect(await status()).toBe('new');
  });
});
