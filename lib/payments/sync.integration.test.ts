import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '@/lib/db/schema';
import { testEngines } from '@/lib/db/testing';
import { healthDetails } from '@/lib/ops/health';
import { type PaymentsHarness, startPaymentsHarness } from '@/lib/testing/payments-harness';
import { assistBillChanges, assistBills, assistSyncRuns, leases } from './schema';
import { runSync, SYNC_LEASE } from './sync';

const engines = testEngines();
const HOUR = 3_600_000;

describe.each(engines)('report sync against the sandbox gateway (%s)', (engine) => {
  let h: PaymentsHarness;
  beforeAll(async () => {
    // Notifications go nowhere useful here: the sync alone must bring every payment in.
    h = await startPaymentsHarness({ engine });
    h.receiverOverride = { status: 500 };
  });
  afterAll(async () => {
    await h?.close();
  });

  const db = () => h.database.db;
  const changeRows = async () => (await db().select({ n: count() }).from(assistBillChanges))[0]?.n ?? 0;
  const order = (id: number) => db().query.orders.findFirst({ where: eq(orders.id, id) });
  const bill = (n: string) => db().query.assistBills.findFirst({ where: eq(assistBills.billNumber, n) });

  it('stores paid, held, declined and timed-out bills; an unchanged re-run writes no change rows', async () => {
    const paid = await h.createOrder({ amountKopecks: 150_000 });
    const held = await h.createOrder({ amountKopecks: 250_000, twoStage: true });
    const declined = await h.createOrder({ amountKopecks: 99_00 });
    const abandoned = await h.createOrder({ amountKopecks: 12_345 });
    const b1 = await h.openBill(paid);
    await h.pay(b1);
    const b2 = await h.openBill(held);
    await h.pay(b2);
    const b3 = await h.openBill(declined);
    await h.pay(b3, '4000 0000 0000 0002');
    const b4 = await h.openBill(abandoned);
    h.clock.now = new Date(h.clock.now.getTime() + 11 * 60_000);

    const first = await runSync(db(), h.gateway, h.syncSettings);
    expect(first.ok && first.summary.outcome).toBe('ok');
    expect((await bill(b1))?.status).toBe('paid');
    expect((await bill(b2))?.status).toBe('held');
    expect((await bill(b3))?.status).toBe('declined');
    expect((await bill(b4))?.status).toBe('expired');
    expect((await order(paid.id))?.paymentStatus).toBe('paid');
    expect((await order(held.id))?.paymentStatus).toBe('held');
    expect((await order(declined.id))?.paymentStatus).toBe('declined');
    expect((await order(abandoned.id))?.paymentStatus).toBe('expired');
    expect((await bill(b1))?.chargedKopecks).toBe(150_000);
    expect((await bill(b2))?.chargedKopecks).toBe(0);

    const before = await changeRows();
    const second = await runSync(db(), h.gateway, h.syncSettings);
    expect(second.ok && second.summary.outcome).toBe('ok');
    expect(second.ok && second.summary.inserted).toBe(0);
    expect(await changeRows()).toBe(before);
  });

  it('the "paid in an earlier tab" order ends paid', async () => {
    const o = await h.createOrder({ amountKopecks: 50_000 });
    const first = await h.openBill(o);
    const second = await h.openBill(o);
    await h.pay(first);
    h.clock.now = new Date(h.clock.now.getTime() + 11 * 60_000);
    const r = await runSync(db(), h.gateway, h.syncSettings);
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect((await bill(second))?.status).toBe('expired');
    expect((await order(o.id))?.paymentStatus).toBe('paid');
    expect(BigInt(second)).toBeGreaterThan(BigInt(first));
  });

  it('picks up a refund made days after the order, and catches up window by window after a gap', async () => {
    const o = await h.createOrder({ amountKopecks: 70_000 });
    const b = await h.openBill(o);
    await h.pay(b);
    await runSync(db(), h.gateway, h.syncSettings);
    expect((await order(o.id))?.paymentStatus).toBe('paid');

    // Two and a half days later, while the shop was down, the merchant refunds in ASSIST's dashboard.
    h.clock.now = new Date(h.clock.now.getTime() + 60 * HOUR);
    const refund = await h.gateway.cancel({ billNumber: b, reason: 'customer' });
    expect(refund.ok).toBe(true);
    h.clock.now = new Date(h.clock.now.getTime() + HOUR);
    const r = await runSync(db(), h.gateway, { ...h.syncSettings, recheckLimit: 0 });
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect(r.ok && r.summary.windows).toBeGreaterThanOrEqual(3);
    expect((await bill(b))?.status).toBe('refunded');
    expect((await bill(b))?.returnedKopecks).toBe(70_000);
    expect((await order(o.id))?.paymentStatus).toBe('refunded');
  });

  it('a 2.5-day catch-up sees every operation although the gateway answers a too-long window for the last 3 hours', async () => {
    // The sandbox, like ASSIST, silently answers a window of a day or more (End minute included) for the
    // last 3 hours: windows of exactly 24 h would see only the newest payment here.
    await db()
      .update(leases)
      .set({ cursor: new Date(h.clock.now.getTime() - 5 * 60_000), lastStartedAt: null })
      .where(eq(leases.name, SYNC_LEASE));
    const bills: string[] = [];
    for (let i = 0; i < 4; i++) {
      const o = await h.createOrder({ amountKopecks: 10_000 + i });
      const b = await h.openBill(o);
      await h.pay(b);
      bills.push(b);
      h.clock.now = new Date(h.clock.now.getTime() + 19 * HOUR);
    }
    h.clock.now = new Date(h.clock.now.getTime() - 10 * HOUR);
    const r = await runSync(db(), h.gateway, { ...h.syncSettings, recheckLimit: 0 });
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect(r.ok && r.summary.windows).toBe(3);
    for (const b of bills) {
      expect((await bill(b))?.status, b).toBe('paid');
      expect((await bill(b))?.chargedKopecks, b).toBeGreaterThan(0);
    }
  });

  it('a report it does not understand fails the run with the element named, and keeps the cursor', async () => {
    const o = await h.createOrder({ amountKopecks: 4_200 });
    const b = await h.openBill(o);
    await h.pay(b);
    await runSync(db(), h.gateway, { ...h.syncSettings, recheckLimit: 0 });
    const [before] = await db().select().from(leases).where(eq(leases.name, SYNC_LEASE));
    h.clock.now = new Date(h.clock.now.getTime() + 11 * 60_000);
    await h.sandbox.gateway.armFault({ service: 'resultbydate', mode: 'unknown_element' });
    const failed = await runSync(db(), h.gateway, { ...h.syncSettings, recheckLimit: 0 });
    expect(failed.ok && failed.summary.outcome).toBe('failed');
    expect(failed.ok && failed.summary.error).toContain('unknown element <result><transaction>');
    const [after] = await db().select().from(leases).where(eq(leases.name, SYNC_LEASE));
    expect(after?.cursor?.getTime()).toBe(before?.cursor?.getTime());
    const [run] = await db()
      .select()
      .from(assistSyncRuns)
      .where(eq(assistSyncRuns.id, failed.ok ? failed.summary.runId : 0));
    expect(run).toMatchObject({ outcome: 'failed', windows: 0 });
    expect(run?.error).toContain('<result><transaction>');
    const details = await healthDetails(db());
    expect(details.lastSync).toMatchObject({ outcome: 'failed' });
    expect(details.lastSync?.error).toContain('<result><transaction>');
  });

  it('re-reads open bills with a window from their first sight; one not found does not stop the others', async () => {
    const o1 = await h.createOrder({ amountKopecks: 1_111 });
    const open1 = await h.openBill(o1);
    const o2 = await h.createOrder({ amountKopecks: 2_222 });
    const open2 = await h.openBill(o2);
    await runSync(db(), h.gateway, { ...h.syncSettings, recheckLimit: 50 });
    // A bill the gateway cannot find (first seen here, unknown there), older than the default 3 days.
    await db()
      .insert(assistBills)
      .values({
        billNumber: '1000000000000999',
        orderNumber: 'lost-1',
        rawStatus: 'In Process',
        status: 'in_process',
        firstSeenAt: new Date(h.clock.now.getTime() - 5 * 86_400_000),
      });
    await db().update(assistBills).set({ checkedAt: null });
    await h.pay(open2);
    // Four days on, both open bills are older than the gateway's default look-back, and the report's
    // window (from a cursor a minute back) holds nothing: only the re-reads can bring the outcomes.
    h.clock.now = new Date(h.clock.now.getTime() + 4 * 86_400_000);
    await db()
      .update(leases)
      .set({ cursor: new Date(h.clock.now.getTime() - 60_000), lastStartedAt: null })
      .where(eq(leases.name, SYNC_LEASE));
    const r = await runSync(db(), h.gateway, { ...h.syncSettings, recheckLimit: 50 });
    expect(r.ok && r.summary.outcome).toBe('ok');
    expect(r.ok ? r.summary.rechecked : 0).toBeGreaterThanOrEqual(3);
    expect(r.ok && r.summary.recheckProblems).toEqual([
      expect.stringContaining('bill 1000000000000999: not found since'),
    ]);
    expect((await bill(open2))?.status).toBe('paid');
    expect((await bill(open1))?.status).toBe('expired');
  });

  it('throttles (429) and excludes (409) concurrent runs through the lease row', async () => {
    const settings = { ...h.syncSettings, minIntervalSeconds: 600 };
    await db().update(leases).set({ lastStartedAt: null }).where(eq(leases.name, SYNC_LEASE));
    const results = await Promise.all(Array.from({ length: 5 }, () => runSync(db(), h.gateway, settings)));
    const ran = results.filter((r) => r.ok);
    expect(ran).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) {
      expect(r.ok ? null : r.reason).toMatch(/^(busy|throttled)$/);
    }
    const again = await runSync(db(), h.gateway, settings);
    expect(again).toMatchObject({ ok: false, reason: 'throttled' });
    expect(again.ok ? 0 : 'retryAfterSeconds' in again ? again.retryAfterSeconds : 0).toBeGreaterThan(500);
  });

  it.each([
    ['500', 'HTTP 500'],
    ['malformed', 'malformed reply'],
    ['frequency', 'gateway error'],
    ['hang', 'timed out'],
  ] as const)(
    'fails cleanly when the report answers %s, and the next run loses nothing',
    async (mode, message) => {
      const o = await h.createOrder({ amountKopecks: 31_400 });
      const b = await h.openBill(o);
      await h.pay(b);
      await h.sandbox.gateway.armFault({ service: 'resultbydate', mode, count: 2 });
      const failed = await runSync(db(), h.gateway, h.syncSettings);
      expect(failed.ok && failed.summary.outcome).toBe('failed');
      expect(failed.ok && failed.summary.error).toContain(message);
      const [run] = await db()
        .select()
        .from(assistSyncRuns)
        .where(eq(assistSyncRuns.id, failed.ok ? failed.summary.runId : 0));
      expect(run?.outcome).toBe('failed');
      await h.sandbox.gateway.clearFaults();
      const next = await runSync(db(), h.gateway, h.syncSettings);
      expect(next.ok && next.summary.outcome).toBe('ok');
      expect((await order(o.id))?.paymentStatus).toBe('paid');
    },
  );

  it('ends with nothing lost: every sandbox bill is in the shop with the same state and amount', async () => {
    await runSync(db(), h.gateway, h.syncSettings);
    const theirs = await h.sandbox.gateway.listBills();
    const ours = new Map((await db().select().from(assistBills)).map((b) => [b.billNumber, b]));
    const stateOf: Record<string, string> = {
      Approved: 'paid',
      Delayed: 'held',
      Declined: 'declined',
      Timeout: 'expired',
      Canceled: 'refunded',
      'In Process': 'in_process',
    };
    for (const t of theirs) {
      const mine = ours.get(t.billnumber);
      expect(mine, t.billnumber).toBeDefined();
      expect(mine?.status, t.billnumber).toBe(stateOf[t.state] ?? t.state);
      expect(mine?.amountKopecks, t.billnumber).toBe(t.orderAmount);
    }
  });
});
