import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAssistGateway } from '@/lib/assist';
import { orders } from '@/lib/db/schema';
import { testEngines } from '@/lib/db/testing';
import { usePaymentsHarness } from '@/lib/testing/hooks';
import { signedNotification } from '@/lib/testing/payments-harness';
import { handleNotification } from './notifications';
import { assistBillChanges, assistBills, assistOperations } from './schema';

const engines = testEngines();

describe.each(engines)('result notifications (%s)', (engine) => {
  const h = usePaymentsHarness({ engine });

  const db = () => h.database.db;
  const bill = (n: string) => db().query.assistBills.findFirst({ where: eq(assistBills.billNumber, n) });
  const order = (id: number) => db().query.orders.findFirst({ where: eq(orders.id, id) });
  const changesOf = async (n: string) =>
    (await db().select({ n: count() }).from(assistBillChanges).where(eq(assistBillChanges.billNumber, n)))[0]
      ?.n;

  async function paidOrder(amountKopecks = 120_000) {
    const o = await h.createOrder({ amountKopecks });
    const billNumber = await h.openBill(o);
    await h.pay(billNumber);
    await h.waitForDeliveries();
    return { o, billNumber, notification: await h.notificationFor(billNumber) };
  }

  it('stores the sandbox notification and marks the order paid, answering the documented XML', async () => {
    const { o, billNumber, notification } = await paidOrder();
    expect(notification.get('billnumber')).toBe(billNumber);
    expect((await bill(billNumber))?.status).toBe('paid');
    expect((await order(o.id))?.paymentStatus).toBe('paid');
    const deliveries = await h.sandbox.gateway.listDeliveries();
    expect(deliveries.find((d) => d.billnumber === billNumber)?.status).toBe('delivered');
  });

  it('shows the money at once: the notified payment is an operation, replaced by the re-read one', async () => {
    const { billNumber, notification } = await paidOrder(67_750);
    const stored = await bill(billNumber);
    expect(stored?.chargedKopecks).toBe(67_750);
    const opsBefore = await db()
      .select()
      .from(assistOperations)
      .where(eq(assistOperations.billNumber, billNumber));
    expect(opsBefore).toMatchObject([{ kind: 'payment', outcome: 'success', amountKopecks: 67_750 }]);
    expect(opsBefore[0]?.operationId).not.toMatch(/^\d+\.\d+$/);
    const reread = await h.gateway.bills(
      { billNumber },
      { since: new Date(h.clock.now.getTime() - 86_400_000) },
    );
    if (!reread.ok) throw new Error('re-read failed');
    const { recordGatewayBills } = await import('./record-bills');
    await recordGatewayBills(db(), reread.bills, { source: 'sync', testPaymentsCount: true });
    await h.deliver(notification);
    const opsAfter = await db()
      .select()
      .from(assistOperations)
      .where(eq(assistOperations.billNumber, billNumber));
    expect(opsAfter).toHaveLength(1);
    expect(opsAfter[0]?.operationId).toBe(`${billNumber}.1`);
    expect((await bill(billNumber))?.chargedKopecks).toBe(67_750);
  });

  it('is idempotent: 20 identical deliveries (10 at once) leave one bill and one change row', async () => {
    const { billNumber, notification } = await paidOrder();
    const before = await changesOf(billNumber);
    const replies = await Promise.all(Array.from({ length: 10 }, () => h.deliver(notification)));
    for (let i = 0; i < 10; i++) replies.push(await h.deliver(notification));
    for (const r of replies) {
      expect(r.status).toBe(200);
      expect(r.body).toContain('firstcode="0"');
      expect(r.body).toContain(`<billnumber>${billNumber}</billnumber>`);
    }
    expect(await changesOf(billNumber)).toBe(before);
    expect(before).toBe(1);
    const rows = await db().select().from(assistBills).where(eq(assistBills.billNumber, billNumber));
    expect(rows).toHaveLength(1);
  });

  it('rejects a forged notification and changes nothing', async () => {
    const o = await h.createOrder({ amountKopecks: 80_000 });
    const billNumber = await h.openBill(o);
    const forged = signedNotification(
      {
        merchant_id: h.config.merchantId,
        ordernumber: o.orderNumber,
        billnumber: billNumber,
        testmode: '1',
        orderamount: '800.00',
        ordercurrency: 'RUB',
        amount: '800.00',
        currency: 'RUB',
        orderstate: 'Approved',
        responsecode: 'AS000',
        packetdate: '27.11.2026 10:00:00',
      },
      'not-the-secret',
    );
    const reply = await h.deliver(forged);
    expect(reply.status).toBe(200);
    expect(reply.body).not.toContain('firstcode="0"');
    expect(await bill(billNumber)).toBeUndefined();
    expect((await order(o.id))?.paymentStatus).toBe('unpaid');
    const wrongMerchant = new URLSearchParams(forged);
    wrongMerchant.set('merchant_id', '1');
    expect((await h.deliver(wrongMerchant)).body).not.toContain('firstcode="0"');
    expect((await h.deliver(new URLSearchParams('garbage=1'))).body).not.toContain('firstcode="0"');
    expect(await bill(billNumber)).toBeUndefined();
  });

  it('a redelivery after a refund leaves the bill refunded', async () => {
    const { o, billNumber, notification } = await paidOrder(60_000);
    const refund = await h.gateway.cancel({ billNumber, reason: 'customer' });
    expect(refund.ok).toBe(true);
    const reread = await h.gateway.bills(
      { billNumber },
      { since: new Date(h.clock.now.getTime() - 86_400_000) },
    );
    if (!reread.ok) throw new Error('re-read failed');
    const { recordGatewayBills } = await import('./record-bills');
    await recordGatewayBills(db(), reread.bills, { source: 'check', testPaymentsCount: true });
    expect((await bill(billNumber))?.status).toBe('refunded');
    const late = await h.deliver(notification);
    expect(late.status).toBe(200);
    expect((await bill(billNumber))?.status).toBe('refunded');
    expect((await order(o.id))?.paymentStatus).toBe('refunded');
  });

  it('a notification and a sync for the same bill at the same moment lose neither one', async () => {
    const { o, billNumber, notification } = await paidOrder(33_300);
    await db().delete(assistBillChanges).where(eq(assistBillChanges.billNumber, billNumber));
    await db().delete(assistBills).where(eq(assistBills.billNumber, billNumber));
    const refund = await h.gateway.cancel({
      billNumber,
      amount: { kopecks: 10_000, currency: 'RUB' },
      reason: 'shop',
    });
    expect(refund.ok).toBe(true);
    const { runSync } = await import('./sync');
    const [reply, sync] = await Promise.all([
      h.deliver(notification),
      runSync(db(), h.gateway, h.syncSettings),
    ]);
    expect(reply.status).toBe(200);
    expect(sync.ok && sync.summary.error).toBeNull();
    const stored = await bill(billNumber);
    expect(stored?.status).toBe('partially_refunded');
    expect(stored?.returnedKopecks).toBe(10_000);
    expect((await order(o.id))?.paymentStatus).toBe('partially_refunded');
  });

  it('without a secret a notification is only a hint: the bill is re-read from the gateway', async () => {
    const { billNumber, notification } = await paidOrder(45_000);
    const noSecret = createAssistGateway({ ...h.config, secret: null });
    const tampered = new URLSearchParams(notification);
    tampered.set('orderstate', 'Declined');
    tampered.set('checkvalue', 'whatever');
    const reply = await handleNotification(
      { getDb: async () => db(), gateway: noSecret, testPaymentsCount: true, log: () => {} },
      tampered,
    );
    expect(reply.status).toBe(200);
    expect((await bill(billNumber))?.status).toBe('paid');
    const unknown = new URLSearchParams(tampered);
    unknown.set('billnumber', '1234567890123456');
    const retry = await handleNotification(
      { getDb: async () => db(), gateway: noSecret, testPaymentsCount: true, log: () => {} },
      unknown,
    );
    expect(retry.status).toBe(503);
  });

  it('a signed notification moving a paid bill away from paid, with unsigned fields riding along, is re-read first', async () => {
    const { o, billNumber, notification } = await paidOrder(32_000);
    const calls: string[] = [];
    const gateway = {
      ...h.gateway,
      bills: (...args: Parameters<typeof h.gateway.bills>) => {
        calls.push(JSON.stringify(args[0]));
        return h.gateway.bills(...args);
      },
    };
    const fields = Object.fromEntries(notification.entries());
    const hostile = signedNotification({
      ...fields,
      orderstate: 'Declined',
      orderamount: '1.00',
      ordercurrency: 'USD',
      testmode: '1',
      packetdate: '01.01.2099 00:00:00',
    });
    hostile.delete('checkvalue');
    hostile.set(
      'checkvalue',
      signedNotification({ ...fields, orderstate: 'Declined' }).get('checkvalue') ?? '',
    );
    const farFuture = await handleNotification(
      { getDb: async () => db(), gateway, testPaymentsCount: true, log: () => {} },
      hostile,
    );
    expect(farFuture.body).not.toContain('firstcode="0"');
    expect(calls).toHaveLength(0);
    hostile.set('packetdate', fields.packetdate ?? '');
    const reply = await handleNotification(
      { getDb: async () => db(), gateway, testPaymentsCount: true, log: () => {} },
      hostile,
    );
    expect(reply.status).toBe(200);
    expect(calls).toEqual([JSON.stringify({ billNumber })]);
    const stored = await bill(billNumber);
    expect(stored?.status).toBe('paid');
    expect(stored?.amountKopecks).toBe(32_000);
    expect(stored?.currency).toBe('RUB');
    expect((await order(o.id))?.paymentStatus).toBe('paid');
  });

  it('a verified notification with a near-future packetdate is not ordered by it: the genuine one still wins', async () => {
    const o = await h.createOrder({ amountKopecks: 41_000 });
    const billNumber = await h.openBill(o);
    h.receiverOverride = { status: 500 };
    await h.pay(billNumber);
    const genuine = await h.notificationFor(billNumber);
    h.receiverOverride = null;
    const fields = Object.fromEntries(genuine.entries());
    const ahead = new Date(Date.now() + 20 * 3_600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const aheadText = `${pad(ahead.getUTCDate())}.${pad(ahead.getUTCMonth() + 1)}.${ahead.getUTCFullYear()} ${pad(ahead.getUTCHours())}:${pad(ahead.getUTCMinutes())}:00`;
    const early = signedNotification({ ...fields, orderstate: 'In Process', packetdate: aheadText });
    expect((await h.deliver(early)).status).toBe(200);
    expect((await bill(billNumber))?.packetDate).toBeNull();
    // The genuine notification carries the gateway's own (earlier than 20 h ahead) packetdate.
    expect((await h.deliver(genuine)).body).toContain('firstcode="0"');
    expect((await bill(billNumber))?.status).toBe('paid');
  });

  it('coalesces and meters re-reads: a flood of unverified notifications for one bill makes one gateway call', async () => {
    const { billNumber, notification } = await paidOrder(12_300);
    let calls = 0;
    const noSecret = createAssistGateway({ ...h.config, secret: null });
    const gateway = {
      ...noSecret,
      bills: async (...args: Parameters<typeof noSecret.bills>) => {
        calls++;
        await new Promise((r) => setTimeout(r, 50));
        return noSecret.bills(...args);
      },
    };
    const deps = {
      getDb: async () => db(),
      gateway,
      testPaymentsCount: true,
      log: () => {},
      rereadsPerMinute: 30,
    };
    const burst = await Promise.all(Array.from({ length: 40 }, () => handleNotification(deps, notification)));
    expect(calls).toBe(1);
    expect(burst.every((r) => r.status === 200)).toBe(true);
    // Sequential ones after it are metered per bill: a few more calls, then "retry later".
    const later = [];
    for (let i = 0; i < 10; i++) later.push((await handleNotification(deps, notification)).status);
    expect(calls).toBeLessThanOrEqual(4);
    expect(later.filter((s) => s === 503).length).toBeGreaterThanOrEqual(7);
    expect((await bill(billNumber))?.status).toBe('paid');
  });

  it('flags an amount that differs from the order and never counts it as paid', async () => {
    const o = await h.createOrder({ amountKopecks: 99_900 });
    const billNumber = await h.openBill({ ...o, totalKopecks: 100 });
    await h.pay(billNumber);
    await h.waitForDeliveries();
    const stored = await bill(billNumber);
    expect(stored?.flags).toContain('amount_mismatch');
    expect((await order(o.id))?.paymentFlags).toContain('amount_mismatch');
  });

  it('keeps a test payment in production mode, flagged, and the order unpaid', async () => {
    const o = await h.createOrder({ amountKopecks: 15_000 });
    const billNumber = await h.openBill(o);
    h.receiverOverride = { status: 500 };
    await h.pay(billNumber);
    const notification = await h.notificationFor(billNumber);
    h.receiverOverride = null;
    const reply = await h.deliver(notification, false);
    expect(reply.status).toBe(200);
    expect((await bill(billNumber))?.testMode).toBe(true);
    expect((await bill(billNumber))?.flags).toContain('test_payment');
    expect((await order(o.id))?.paymentStatus).toBe('unpaid');
  });

  it('answers 503 when the database is down, and the redelivery then succeeds', async () => {
    const o = await h.createOrder({ amountKopecks: 22_200 });
    const billNumber = await h.openBill(o);
    h.receiverOverride = { status: 500 };
    await h.pay(billNumber);
    const notification = await h.notificationFor(billNumber);
    const down = await handleNotification(
      {
        getDb: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
        gateway: h.gateway,
        testPaymentsCount: true,
        log: () => {},
      },
      notification,
    );
    expect(down.status).toBe(503);
    expect(await bill(billNumber)).toBeUndefined();
    h.receiverOverride = null;
    await h.waitForDeliveries();
    expect((await bill(billNumber))?.status).toBe('paid');
  });
});
