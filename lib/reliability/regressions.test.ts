import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { type GatewayBill, type GatewayOperation, mergeBill } from '@/lib/assist';
import { orders } from '@/lib/db/schema';
import { recordGatewayBills } from '@/lib/payments/record-bills';
import { assistBillChanges, assistOperations, assistSyncRuns } from '@/lib/payments/schema';
import { runSync } from '@/lib/payments/sync';
import { usePaymentsHarness } from '@/lib/testing/hooks';
import { catchUpClock, differencesFromSandbox, engines, storedBill } from './support';

// Bugs found by the reliability suite (fault matrix and seeded interleavings), each pinned down alone.

const BILL = '1795823758676916';

function payment(outcome: GatewayOperation['outcome'], rawOutcome: string): GatewayOperation {
  return {
    operationId: `${BILL}.1`,
    kind: 'payment',
    rawKind: '100',
    outcome,
    rawOutcome,
    amountKopecks: 142_753,
    currency: 'RUB',
    at: new Date('2026-11-28T00:02:58Z'),
    responseCode: outcome === 'pending' ? null : 'AS000',
    message: null,
    maskedCard: null,
    approvalCode: null,
  };
}

function bill(status: GatewayBill['status'], rawStatus: string, ops: GatewayOperation[]): GatewayBill {
  return {
    billNumber: BILL,
    orderNumber: 'R-1',
    status,
    rawStatus,
    amountKopecks: 142_753,
    currency: 'RUB',
    testMode: true,
    responseCode: null,
    message: null,
    maskedCard: null,
    packetDate: new Date('2026-11-28T00:02:58Z'),
    operations: ops,
    raw: {},
  } as GatewayBill;
}

describe('merge rule: an operation first seen in process', () => {
  it('takes its outcome when it finishes, and a finished one is still never rewritten', () => {
    const pending = bill('in_process', 'In Process', [payment('pending', 'In Process')]);
    const finished = mergeBill(pending, bill('paid', 'Approved', [payment('success', 'Success')]));
    expect(finished.bill.operations.map((o) => o.outcome)).toEqual(['success']);
    expect(finished.changes.map((c) => c.field)).toContain(`operation ${BILL}.1`);
    const rewritten = mergeBill(finished.bill, bill('paid', 'Approved', [payment('failed', 'Declined')]));
    expect(rewritten.bill.operations.map((o) => o.outcome)).toEqual(['success']);
    expect(rewritten.changes).toEqual([]);
    const stale = mergeBill(finished.bill, pending);
    expect(stale.bill.operations.map((o) => o.outcome)).toEqual(['success']);
  });
});

describe.each(engines)('sync regressions (%s)', (engine) => {
  const h = usePaymentsHarness({ engine });
  const db = () => h.database.db;
  beforeEach(() => catchUpClock(h));

  it('an unpaid order that never reached the payment page does not fail the sync (gateway 10/201)', async () => {
    const o = await h.createOrder({ amountKopecks: 5_000 });
    const r = await runSync(db(), h.gateway, h.syncSettings);
    expect(r.ok && r.summary).toMatchObject({ outcome: 'ok', error: null });
    const stored = await db().query.orders.findFirst({ where: eq(orders.id, o.id) });
    expect(stored?.paymentStatus).toBe('unpaid');
    // Checked, so it goes to the back of the re-read queue instead of failing every run for three days.
    expect(stored?.paymentCheckedAt).not.toBeNull();
  });

  it('a payment first seen in process by a re-read counts as taken once it is paid (seed 2)', async () => {
    const o = await h.createOrder({ amountKopecks: 142_753 });
    const b = await h.openBill(o);
    const first = await runSync(db(), h.gateway, h.syncSettings);
    expect(first.ok && first.summary.error).toBeNull();
    const [op] = await db().select().from(assistOperations).where(eq(assistOperations.billNumber, b));
    expect(op?.outcome).toBe('pending');

    await h.pay(b);
    await h.waitForDeliveries();
    expect((await storedBill(h, b))?.status).toBe('paid');
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    const second = await runSync(db(), h.gateway, h.syncSettings);
    expect(second.ok && second.summary.error).toBeNull();

    const stored = await storedBill(h, b);
    expect(stored).toMatchObject({ status: 'paid', chargedKopecks: 142_753 });
    const ops = await db().select().from(assistOperations).where(eq(assistOperations.billNumber, b));
    expect(ops.map((x) => [x.operationId, x.outcome])).toEqual([[`${b}.1`, 'success']]);
    const history = await db().select().from(assistBillChanges).where(eq(assistBillChanges.billNumber, b));
    const opChange = history.find((c) => c.field === 'operation');
    expect((opChange?.oldValue as { outcome?: string } | null)?.outcome).toBe('pending');
    expect(await differencesFromSandbox(h, new Set([o.orderNumber]))).toEqual([]);
  });

  it('a database error while recording the end of a run still releases the lease', async () => {
    // The end-of-run update fails once, as when PostgreSQL restarts at that moment.
    let failures = 1;
    const real = db();
    const flaky = new Proxy(real, {
      get(target, prop) {
        if (prop === 'update')
          return (table: unknown) => {
            if (table === assistSyncRuns && failures-- > 0)
              return { set: () => ({ where: () => Promise.reject(new Error('connection terminated')) }) };
            return target.update(table as typeof assistSyncRuns);
          };
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(runSync(flaky, h.gateway, h.syncSettings)).rejects.toThrow('connection terminated');
    const next = await runSync(db(), h.gateway, { ...h.syncSettings, minIntervalSeconds: 0 });
    expect(next.ok && next.summary.outcome).toBe('ok');
  });

  it('a hold voided in part before the shop saw it held is not counted as charged (seed 63)', async () => {
    const o = await h.createOrder({ amountKopecks: 141_205, twoStage: true });
    const b = await h.openBill(o);
    await h.sandbox.gateway.armFault({ service: 'notify', mode: 'drop' });
    await h.pay(b);
    const voided = await h.gateway.cancel({
      billNumber: b,
      reason: 'shop',
      amount: { kopecks: 81_591, currency: 'RUB' },
    });
    expect(voided.ok && voided.bill?.status).toBe('partially_refunded');
    const reread = await h.gateway.bills(
      { billNumber: b },
      { since: new Date(h.clock.now.getTime() - 86_400_000) },
    );
    if (!reread.ok) throw new Error('re-read failed');
    await recordGatewayBills(db(), reread.bills, { source: 'admin', testPaymentsCount: true });
    const stored = await storedBill(h, b);
    // Nothing was charged: 59 614 is still only held at the gateway.
    expect(stored).toMatchObject({
      status: 'partially_refunded',
      chargedKopecks: 0,
      returnedKopecks: 81_591,
    });
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    const r = await runSync(db(), h.gateway, h.syncSettings);
    expect(r.ok && r.summary.error).toBeNull();
    expect(await differencesFromSandbox(h, new Set([o.orderNumber]))).toEqual([]);
  });
});
