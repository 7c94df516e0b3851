import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AssistGateway } from '@/lib/assist';
import { orders } from '@/lib/db/schema';
import { testEngines } from '@/lib/db/testing';
import { type PaymentsHarness, startPaymentsHarness } from '@/lib/testing/payments-harness';
import { checkOrderPayment, type OrderCheckSettings, RETURN_CHECK_BUDGET } from './order-check';
import { assistBillChanges, leases } from './schema';

const engines = testEngines();

describe.each(engines)('return-page order check (%s)', (engine) => {
  let h: PaymentsHarness;
  let calls = 0;
  let counting: AssistGateway;
  const settings: OrderCheckSettings = {
    minIntervalSeconds: 30,
    checksPerMinute: 30,
    testPaymentsCount: true,
    timeoutMs: 5000,
  };

  beforeAll(async () => {
    h = await startPaymentsHarness({ engine });
    // The shop never hears the notification: only the check can tell it the outcome.
    h.receiverOverride = { status: 500 };
    counting = {
      ...h.gateway,
      bills: (query, options) => {
        calls++;
        return h.gateway.bills(query, options);
      },
    };
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    calls = 0;
    await h.database.db
      .update(leases)
      .set({ until: sql`'epoch'` })
      .where(eq(leases.name, RETURN_CHECK_BUDGET));
  });

  const db = () => h.database.db;
  const reload = async (id: number) => {
    const [o] = await db().select().from(orders).where(eq(orders.id, id));
    if (!o) throw new Error('order vanished');
    return o;
  };

  it('learns a payment the notification did not bring, recorded with source "check"', async () => {
    const o = await h.createOrder({ amountKopecks: 150_000 });
    const bill = await h.openBill(o);
    await h.pay(bill);
    expect((await reload(o.id)).paymentStatus).toBe('unpaid');

    const result = await checkOrderPayment(db(), counting, o, settings);
    expect(result).toEqual({ kind: 'checked', paymentStatus: 'paid', bills: 1 });
    expect((await reload(o.id)).paymentStatus).toBe('paid');
    const history = await db().select().from(assistBillChanges).where(eq(assistBillChanges.billNumber, bill));
    expect(history.map((c) => c.source)).toEqual(['check']);

    expect(await checkOrderPayment(db(), counting, await reload(o.id), settings)).toEqual({
      kind: 'skipped',
      reason: 'settled',
    });
    expect(calls).toBe(1);
  });

  it('makes one gateway call for ten concurrent reloads, and another only after 30 s', async () => {
    const o = await h.createOrder({ amountKopecks: 90_000 });
    await h.openBill(o);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => checkOrderPayment(db(), counting, o, settings)),
    );
    expect(calls).toBe(1);
    expect(results.filter((r) => r.kind === 'checked')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'skipped' && r.reason === 'too_soon')).toHaveLength(9);
    expect((await reload(o.id)).paymentStatus).toBe('unpaid');

    await db()
      .update(orders)
      .set({ paymentCheckedAt: sql`now() - interval '31 seconds'` })
      .where(eq(orders.id, o.id));
    expect((await checkOrderPayment(db(), counting, o, settings)).kind).toBe('checked');
    expect(calls).toBe(2);
  });

  it('stops at the shop-wide budget and leaves the refused order free to be checked later', async () => {
    const tight = { ...settings, checksPerMinute: 2 };
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => h.createOrder({ amountKopecks: 10_000 })));
    if (!a || !b || !c) throw new Error('orders not created');
    expect((await checkOrderPayment(db(), counting, a, tight)).kind).toBe('checked');
    expect((await checkOrderPayment(db(), counting, b, tight)).kind).toBe('checked');
    expect(await checkOrderPayment(db(), counting, c, tight)).toEqual({
      kind: 'skipped',
      reason: 'budget_spent',
    });
    expect(calls).toBe(2);
    expect((await reload(c.id)).paymentCheckedAt).toBeNull();

    await db()
      .update(leases)
      .set({ until: sql`now() - interval '1 second'` })
      .where(eq(leases.name, RETURN_CHECK_BUDGET));
    expect((await checkOrderPayment(db(), counting, c, tight)).kind).toBe('checked');
  });

  it('is off with a zero budget and reports a failing gateway without changing the order', async () => {
    const o = await h.createOrder({ amountKopecks: 20_000 });
    expect(await checkOrderPayment(db(), counting, o, { ...settings, checksPerMinute: 0 })).toEqual({
      kind: 'skipped',
      reason: 'disabled',
    });
    expect(calls).toBe(0);
    await h.sandbox.gateway.armFault({ service: 'orderresult', mode: '500', count: 5 });
    const failed = await checkOrderPayment(db(), counting, o, settings);
    await h.sandbox.gateway.clearFaults();
    expect(failed).toMatchObject({ kind: 'failed', error: { kind: 'http', status: 500 } });
    expect((await reload(o.id)).paymentStatus).toBe('unpaid');
  });
});
