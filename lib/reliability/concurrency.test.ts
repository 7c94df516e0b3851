import { count, eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/lib/db/connect';
import { handleNotification } from '@/lib/payments/notifications';
import {
  assistBillChanges,
  assistBills,
  assistOperations,
  assistSyncRuns,
  leases,
} from '@/lib/payments/schema';
import { runSync, SYNC_LEASE } from '@/lib/payments/sync';
import { usePaymentsHarness } from '@/lib/testing/hooks';
import { differencesFromSandbox, engines, resetGateway, storedBill } from './support';

describe.each(engines)('concurrency (%s)', (engine) => {
  const h = usePaymentsHarness({ engine });
  const db = () => h.database.db;
  // Each case decides for itself what reaches the shop; by default nothing arrives by notification.
  beforeEach(() => resetGateway(h));

  /** The notification body the gateway would have sent, taken from its (dropped) delivery. */
  async function notificationOf(billNumber: string): Promise<URLSearchParams> {
    const d = (await h.sandbox.gateway.listDeliveries()).find((x) => x.billnumber === billNumber);
    if (!d) throw new Error(`no delivery for ${billNumber}`);
    return new URLSearchParams(d.fields);
  }

  async function paidBill(amountKopecks: number) {
    const o = await h.createOrder({ amountKopecks });
    const billNumber = await h.openBill(o);
    await h.pay(billNumber);
    return { o, billNumber, notification: await notificationOf(billNumber) };
  }

  it('50 concurrent runs under a throttle: exactly one runs, the others are busy or throttled', async () => {
    await db().update(leases).set({ lastStartedAt: null }).where(eq(leases.name, SYNC_LEASE));
    const runsBefore = (await db().select({ n: count() }).from(assistSyncRuns))[0]?.n ?? 0;
    const settings = { ...h.syncSettings, minIntervalSeconds: 600 };
    const results = await Promise.all(Array.from({ length: 50 }, () => runSync(db(), h.gateway, settings)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.reason).toMatch(/^(busy|throttled)$/);
    expect((await db().select({ n: count() }).from(assistSyncRuns))[0]?.n).toBe(runsBefore + 1);
  });

  it('50 concurrent runs without a throttle: runs happen one after another, never two at once', async () => {
    await paidBill(11_100);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        runSync(db(), h.gateway, { ...h.syncSettings, minIntervalSeconds: 0 }),
      ),
    );
    const ran = results.flatMap((r) => (r.ok ? [r.summary.runId] : []));
    expect(ran.length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (!r.ok) expect(r.reason).toBe('busy');
    const runs = await db().select().from(assistSyncRuns).where(inArray(assistSyncRuns.id, ran));
    expect(runs.every((r) => r.outcome === 'ok')).toBe(true);
    const spans = runs
      .map((r) => ({ from: r.startedAt.getTime(), to: r.finishedAt?.getTime() ?? Number.POSITIVE_INFINITY }))
      .sort((a, b) => a.from - b.from);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]?.from, `run ${i} started before run ${i - 1} finished`).toBeGreaterThanOrEqual(
        spans[i - 1]?.to ?? 0,
      );
    }
  });

  it('100 concurrent identical notifications: one bill, one change row, one payment operation', async () => {
    const { billNumber, notification } = await paidBill(42_000);
    const replies = await Promise.all(Array.from({ length: 100 }, () => h.deliver(notification)));
    for (const r of replies) {
      expect(r.status).toBe(200);
      expect(r.body).toContain('firstcode="0"');
    }
    const rows = await db().select().from(assistBills).where(eq(assistBills.billNumber, billNumber));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('paid');
    const changes = await db()
      .select()
      .from(assistBillChanges)
      .where(eq(assistBillChanges.billNumber, billNumber));
    expect(changes.map((c) => c.field)).toEqual(['created']);
    const ops = await db().select().from(assistOperations).where(eq(assistOperations.billNumber, billNumber));
    expect(ops.length).toBeLessThanOrEqual(1);
  });

  // PGlite has one connection: a delivery started inside another one's read would wait for it forever.
  it.skipIf(engine === 'pglite')(
    "a duplicate notification committed between the trust check's reads changes nothing",
    async () => {
      const { billNumber, notification } = await paidBill(43_000);
      // The first read this delivery makes lets an identical delivery commit the bill and the paid order
      // before the delivery reads on: every read of its trust check must still see one moment.
      let raced = false;
      const race = async () => {
        if (raced) return;
        raced = true;
        const reply = await h.deliver(notification);
        expect(reply.status).toBe(200);
      };
      const reply = await handleNotification(
        {
          getDb: async () => racingHandle(db(), race),
          gateway: h.gateway,
          testPaymentsCount: true,
          log: () => {},
          now: () => h.clock.now,
        },
        notification,
      );
      expect(raced).toBe(true);
      expect(reply.body).toContain('firstcode="0"');
      const changes = await db()
        .select()
        .from(assistBillChanges)
        .where(eq(assistBillChanges.billNumber, billNumber));
      expect(changes.map((c) => c.field)).toEqual(['created']);
      const ops = await db()
        .select()
        .from(assistOperations)
        .where(eq(assistOperations.billNumber, billNumber));
      expect(ops).toHaveLength(1);
    },
  );

  it('notifications and a sync for the same bills at once lose neither the payment nor the refund', async () => {
    // The notification says "paid", the report says "refunded in part": both must survive in any order.
    const bills = await Promise.all([21_000, 22_000, 23_000, 24_000, 25_000].map((a) => paidBill(a)));
    for (const { billNumber } of bills) {
      const refund = await h.gateway.cancel({
        billNumber,
        amount: { kopecks: 1_000, currency: 'RUB' },
        reason: 'shop',
      });
      expect(refund.ok).toBe(true);
    }
    const [sync, ...replies] = await Promise.all([
      runSync(db(), h.gateway, h.syncSettings),
      ...bills.flatMap(({ notification }) => [h.deliver(notification), h.deliver(notification)]),
    ]);
    expect(sync?.ok && 'summary' in sync && sync.summary.error).toBeNull();
    for (const r of replies) expect(r && 'status' in r && r.status).toBe(200);
    for (const { billNumber, o } of bills) {
      const stored = await storedBill(h, billNumber);
      expect(stored, billNumber).toMatchObject({ status: 'partially_refunded', returnedKopecks: 1_000 });
      expect(stored?.chargedKopecks).toBe(o.totalKopecks);
    }
    expect(await differencesFromSandbox(h)).toEqual([]);
  });

  it('a charge recorded by a re-read while a sync and a late notification run keeps the charge', async () => {
    const o = await h.createOrder({ amountKopecks: 60_000, twoStage: true });
    const billNumber = await h.openBill(o);
    await h.pay(billNumber);
    const held = await notificationOf(billNumber);
    const charged = await h.gateway.charge({ billNumber, amount: { kopecks: 40_000, currency: 'RUB' } });
    expect(charged.ok).toBe(true);
    const { recordGatewayBills } = await import('@/lib/payments/record-bills');
    const reread = await h.gateway.bills(
      { billNumber },
      { since: new Date(h.clock.now.getTime() - 86_400_000) },
    );
    if (!reread.ok) throw new Error('re-read failed');
    await Promise.all([
      recordGatewayBills(db(), reread.bills, { source: 'admin', testPaymentsCount: true }),
      h.deliver(held),
      runSync(db(), h.gateway, h.syncSettings),
      h.deliver(held),
    ]);
    const stored = await storedBill(h, billNumber);
    expect(stored).toMatchObject({ status: 'partially_charged', chargedKopecks: 40_000 });
  });
});

/**
 * The database handle as seen by code under test, except that the first select it (or a transaction it
 * opens) awaits runs `between` after its rows arrive and before the code reads on.
 */
function racingHandle(db: Db, between: () => Promise<void>): Db {
  const builder = (b: object): object =>
    new Proxy(b, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'then') {
          return (ok: (v: unknown) => unknown, fail: (e: unknown) => unknown) =>
            (target as PromiseLike<unknown>)
              .then(async (rows) => {
                await between();
                return rows;
              })
              .then(ok, fail);
        }
        return (...args: unknown[]) => {
          const out = value.apply(target, args);
          return out !== null && typeof out === 'object' ? builder(out) : out;
        };
      },
    });
  const handle = <T extends object>(h: T): T =>
    new Proxy(h, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        const method = value as (...args: unknown[]) => object;
        if (prop === 'select') return (...args: unknown[]) => builder(method.apply(target, args));
        if (prop === 'transaction') {
          return (fn: (tx: object) => unknown, config?: unknown) =>
            method.call(target, (tx: object) => fn(handle(tx)), config);
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return handle(db);
}
