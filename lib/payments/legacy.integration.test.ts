import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '@/lib/admin/staff';
import type { AssistGateway } from '@/lib/assist';
import { legacyCheckvalue } from '@/lib/assist/checkvalue';
import { orders } from '@/lib/db/schema';
import { type PaymentsHarness, startPaymentsHarness } from '@/lib/testing/payments-harness';
import { performBillAction } from './admin-actions';
import { recordGatewayBills } from './record-bills';
import { assistBills, assistOperations } from './schema';
import { runSync } from './sync';

/**
 * The legacy (2010) adapter against the sandbox over HTTP: purchase form in windows-1251, the CSV
 * report, postauth, rvr and the legacy notification, through the shop's own sync and notification code.
 */
describe('legacy protocol against the sandbox gateway', () => {
  let h: PaymentsHarness;
  beforeAll(async () => {
    // The `name:value` reply variant, so the action's own reply can be checked; the default bare
    // `ERROR:` is covered by lib/gateway-contract/actions.contract.test.ts.
    h = await startPaymentsHarness({ protocol: 'legacy', sandbox: { legacyActionReply: 'items' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const db = () => h.database.db;
  const order = (id: number) => db().query.orders.findFirst({ where: eq(orders.id, id) });
  const bill = (n: string) => db().query.assistBills.findFirst({ where: eq(assistBills.billNumber, n) });
  const reread = async (billNumber: string) => {
    const read = await h.gateway.bills(
      { billNumber },
      { since: new Date(h.clock.now.getTime() - 86_400_000) },
    );
    if (!read.ok) throw new Error(JSON.stringify(read.error));
    await recordGatewayBills(db(), read.bills, { source: 'admin', testPaymentsCount: true, checked: true });
    return read.bills;
  };

  it('is the legacy adapter posting the legacy form', () => {
    expect(h.gateway.protocol).toBe('legacy');
    const form = h.gateway.paymentForm({
      orderNumber: 'X-1',
      amountKopecks: 100,
      currency: 'RUB',
      twoStage: false,
      language: 'RU',
    });
    expect(form.ok && form.form.action).toBe(`${h.sandbox.url}/shops/purchase.cfm`);
    expect(form.ok && form.form.fields[0]).toEqual(['Shop_IDP', h.config.merchantId]);
  });

  it('pay → report sync → order paid; declined and abandoned bills too', async () => {
    h.receiverOverride = { status: 500 };
    const paid = await h.createOrder({ amountKopecks: 150_000 });
    const declined = await h.createOrder({ amountKopecks: 9_900 });
    const b1 = await h.openBill(paid);
    await h.pay(b1);
    const b2 = await h.openBill(declined);
    await h.pay(b2, '4000 0000 0000 0002');
    const r = await runSync(db(), h.gateway, h.syncSettings);
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect((await bill(b1))?.status).toBe('paid');
    expect((await bill(b1))?.rawStatus).toBe('Authorized');
    expect((await bill(b1))?.amountKopecks).toBe(150_000);
    expect((await bill(b1))?.chargedKopecks).toBe(150_000);
    expect((await order(paid.id))?.paymentStatus).toBe('paid');
    expect((await bill(b2))?.status).toBe('declined');
    expect((await bill(b2))?.rawStatus).toBe('Not authorized');
    expect((await order(declined.id))?.paymentStatus).toBe('declined');
    h.receiverOverride = null;
    await h.waitForDeliveries();
  });

  it('the "paid in an earlier tab" order ends paid (legacy pairs through the shared rule)', async () => {
    h.receiverOverride = { status: 500 };
    const o = await h.createOrder({ amountKopecks: 50_000 });
    const first = await h.openBill(o);
    const second = await h.openBill(o);
    await h.pay(first);
    await h.pay(second, '4000 0000 0000 0002');
    const r = await runSync(db(), h.gateway, h.syncSettings);
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect((await bill(second))?.status).toBe('declined');
    expect((await order(o.id))?.paymentStatus).toBe('paid');
    h.receiverOverride = null;
    await h.waitForDeliveries();
  });

  it('two-stage: held → postauth (charge) → paid', async () => {
    const o = await h.createOrder({ amountKopecks: 250_000, twoStage: true });
    const b = await h.openBill(o);
    await h.pay(b);
    await h.waitForDeliveries();
    await reread(b);
    expect((await bill(b))?.status).toBe('held');
    expect((await bill(b))?.rawStatus).toBe('Preauthorized');
    expect((await order(o.id))?.paymentStatus).toBe('held');

    const charged = await h.gateway.charge({ billNumber: b });
    expect(charged.ok && charged.bill?.operations[0]?.kind).toBe('charge');
    expect(charged.ok && charged.bill?.rawStatus).toBe('Captured');
    const again = await h.gateway.charge({ billNumber: b });
    expect(again).toMatchObject({ ok: false, outcome: 'failed', error: { kind: 'gateway' } });

    await reread(b);
    expect((await bill(b))?.status).toBe('paid');
    expect((await bill(b))?.chargedKopecks).toBe(250_000);
    expect((await order(o.id))?.paymentStatus).toBe('paid');
  });

  it('a partial postauth is partially charged; charging a paid bill is refused', async () => {
    const o = await h.createOrder({ amountKopecks: 40_000, twoStage: true });
    const b = await h.openBill(o);
    await h.pay(b);
    const part = await h.gateway.charge({ billNumber: b, amount: { kopecks: 30_000, currency: 'RUB' } });
    expect(part.ok).toBe(true);
    await reread(b);
    expect((await bill(b))?.status).toBe('partially_charged');
    expect((await bill(b))?.chargedKopecks).toBe(30_000);
    await h.waitForDeliveries();
  });

  it('refund through rvr.cfm sends the amount: partial, then the rest', async () => {
    const o = await h.createOrder({ amountKopecks: 70_000 });
    const b = await h.openBill(o);
    await h.pay(b);
    await h.waitForDeliveries();
    const part = await h.gateway.cancel({
      billNumber: b,
      reason: 'customer',
      amount: { kopecks: 20_000, currency: 'RUB' },
    });
    expect(part.ok && part.bill?.rawStatus).toBe('Refunded');
    await reread(b);
    expect((await bill(b))?.status).toBe('partially_refunded');
    expect((await bill(b))?.returnedKopecks).toBe(20_000);
    expect((await order(o.id))?.paymentStatus).toBe('partially_refunded');

    const rest = await h.gateway.cancel({ billNumber: b, reason: 'shop' });
    expect(rest.ok).toBe(true);
    const tooMuch = await h.gateway.cancel({ billNumber: b, reason: 'shop' });
    expect(tooMuch).toMatchObject({ ok: false, outcome: 'failed', error: { kind: 'gateway' } });
    await reread(b);
    expect((await bill(b))?.status).toBe('refunded');
    expect((await bill(b))?.returnedKopecks).toBe(70_000);
    expect((await order(o.id))?.paymentStatus).toBe('refunded');

    // The report sync reads the same rows again: nothing is doubled.
    const r = await runSync(db(), h.gateway, h.syncSettings);
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect((await bill(b))?.returnedKopecks).toBe(70_000);
  });

  it('a refund made days later outside the shop (dashboard) reaches the order through the report alone', async () => {
    h.receiverOverride = { status: 500 };
    const o = await h.createOrder({ amountKopecks: 80_000 });
    const b = await h.openBill(o);
    await h.pay(b);
    await runSync(db(), h.gateway, h.syncSettings);
    expect((await order(o.id))?.paymentStatus).toBe('paid');
    h.clock.now = new Date(h.clock.now.getTime() + 60 * 3_600_000);
    expect((await h.gateway.cancel({ billNumber: b, reason: 'customer' })).ok).toBe(true);
    h.clock.now = new Date(h.clock.now.getTime() + 3_600_000);
    const r = await runSync(db(), h.gateway, { ...h.syncSettings, recheckLimit: 0 });
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect((await bill(b))?.status).toBe('refunded');
    expect((await bill(b))?.returnedKopecks).toBe(80_000);
    expect((await order(o.id))?.paymentStatus).toBe('refunded');
    h.receiverOverride = null;
    await h.waitForDeliveries();
  });

  it('a void of a hold is Voided → refunded', async () => {
    const o = await h.createOrder({ amountKopecks: 12_300, twoStage: true });
    const b = await h.openBill(o);
    await h.pay(b);
    await h.waitForDeliveries();
    const v = await h.gateway.cancel({ billNumber: b, reason: 'fraud' });
    expect(v.ok && v.bill?.rawStatus).toBe('Voided');
    await reread(b);
    expect((await bill(b))?.status).toBe('refunded');
    expect((await order(o.id))?.paymentStatus).toBe('refunded');
  });

  it('legacy notification → unverified hint → re-read from the report → stored', async () => {
    const o = await h.createOrder({ amountKopecks: 33_300 });
    const b = await h.openBill(o);
    await h.pay(b);
    await h.waitForDeliveries();
    const n = await h.notificationFor(b);
    expect(n.get('Shop_IDP')).toBe(h.config.merchantId);
    expect(n.get('Status')).toBe('Authorized');
    expect(n.get('CheckValue')).toBe(
      legacyCheckvalue(h.config.secret ?? '', {
        shopIdp: h.config.merchantId,
        orderNumber: o.orderNumber,
        total: '333.00',
        currency: 'RUB',
      }),
    );
    const parsed = h.gateway.parseNotification(n);
    expect(parsed.ok && parsed.notification.verification).toBe('unverified');
    expect((await bill(b))?.status).toBe('paid');
    expect((await order(o.id))?.paymentStatus).toBe('paid');
    const delivery = (await h.sandbox.gateway.listDeliveries()).find((d) => d.billnumber === b);
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.fields.BillNumber).toBe(b);

    // A forged "Authorized" for an unpaid bill is only a hint: the re-read says in process.
    const o2 = await h.createOrder({ amountKopecks: 10_000 });
    const b2 = await h.openBill(o2);
    const forged = new URLSearchParams({
      ...Object.fromEntries(n),
      OrderNumber: o2.orderNumber,
      BillNumber: b2,
      Total: '100.00',
    });
    forged.set(
      'CheckValue',
      legacyCheckvalue(h.config.secret ?? '', {
        shopIdp: h.config.merchantId,
        orderNumber: o2.orderNumber,
        total: '100.00',
        currency: 'RUB',
      }),
    );
    const reply = await h.deliver(forged);
    expect(reply.status).toBe(200);
    expect((await bill(b2))?.status).toBe('in_process');
    expect((await order(o2.id))?.paymentStatus).not.toBe('paid');

    const bad = await h.deliver(new URLSearchParams({ ...Object.fromEntries(n), CheckValue: 'BAD' }));
    expect(bad.body).toContain('firstcode="5"');
  });
});

describe('legacy charge and refund answered by a bare ERROR:', () => {
  let h: PaymentsHarness;
  beforeAll(async () => {
    h = await startPaymentsHarness({ protocol: 'legacy' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('records the confirmed outcome at once; the next results.cfm read replaces it without doubling', async () => {
    const db = h.database.db;
    const admin = await createStaff(db, { email: 'legacy-admin@shop.test', role: 'admin' });
    if (!admin.ok) throw new Error('staff setup failed');
    // results.cfm's budget is spent (the sync took it): the action's own re-read is refused.
    const spent: AssistGateway = {
      ...h.gateway,
      bills: async () => ({ ok: false, error: { kind: 'rate_limited', retryAfterSeconds: 540 } }),
    };
    let seq = 0;
    const act = (billNumber: string, kind: 'charge' | 'cancel', amountKopecks: number | null) =>
      performBillAction(db, spent, {
        billNumber,
        kind,
        amountKopecks,
        reason: kind === 'cancel' ? 'customer' : null,
        comment: '',
        actor: { id: admin.staff.id, email: admin.staff.email },
        idempotencyKey: `legacy-bare-${++seq}-${Date.now()}`,
        holdWarningDays: 14,
        testPaymentsCount: true,
      });
    const stored = () => db.query.assistBills.findFirst({ where: eq(assistBills.billNumber, b) });
    const ops = () => db.select().from(assistOperations).where(eq(assistOperations.billNumber, b));

    const o = await h.createOrder({ amountKopecks: 90_000, twoStage: true });
    const b = await h.openBill(o);
    await h.pay(b);
    await h.waitForDeliveries();
    expect((await stored())?.status).toBe('held');

    expect(await act(b, 'charge', null)).toMatchObject({ ok: true, action: { state: 'succeeded' } });
    expect(await stored()).toMatchObject({ status: 'paid', chargedKopecks: 90_000, returnedKopecks: 0 });
    expect((await db.query.orders.findFirst({ where: eq(orders.id, o.id) }))?.paymentStatus).toBe('paid');
    // Two refunds of one amount, each confirmed by a bare reply; a second apart, as legacy rows are told
    // apart by their time.
    expect(await act(b, 'cancel', 20_000)).toMatchObject({ ok: true });
    h.clock.now = new Date(h.clock.now.getTime() + 2000);
    expect(await act(b, 'cancel', 20_000)).toMatchObject({ ok: true });
    expect(await stored()).toMatchObject({
      status: 'partially_refunded',
      chargedKopecks: 90_000,
      returnedKopecks: 40_000,
    });

    // The sync reads the report: the gateway's own rows replace the confirmed ones, nothing is doubled.
    const r = await runSync(db, h.gateway, h.syncSettings);
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect(await stored()).toMatchObject({
      status: 'partially_refunded',
      chargedKopecks: 90_000,
      returnedKopecks: 40_000,
    });
    const ids = (await ops()).map((op) => op.operationId);
    expect(ids).toHaveLength(4);
    expect(ids.some((id) => id.includes('@reply-'))).toBe(false);
  });
});
