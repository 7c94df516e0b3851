import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AssistGateway, createAssistGateway } from '@/lib/assist';
import { handleNotification } from '@/lib/payments/notifications';
import { recordGatewayBills } from '@/lib/payments/record-bills';
import { assistSyncRuns } from '@/lib/payments/schema';
import { runSync } from '@/lib/payments/sync';
import { type PaymentsHarness, startPaymentsHarness } from '@/lib/testing/payments-harness';
import { differencesFromSandbox, dropNotifications, engines, resetGateway, storedBill } from './support';

// The harness adapter waits 3 s before it gives up; a hang costs the same code path at 400 ms, so every
// fault mode fits in the matrix without making the suite slow.
const FAST_TIMEOUT_MS = 400;
const HANG_MS = 1_000;
const MODES = ['500', 'hang', 'malformed', 'frequency'] as const;
type Mode = (typeof MODES)[number];

/** What `describeGatewayError` makes of each fault after the reads' retries are spent. */
const READ_ERROR: Record<Mode, string> = {
  '500': 'HTTP 500',
  hang: `timed out after ${FAST_TIMEOUT_MS} ms`,
  malformed: 'malformed reply',
  frequency: 'gateway error 17/3',
};

/**
 * Charge and cancel are never retried, and their contract (lib/assist/gateway.ts, current/client.ts) is:
 * a reply that may hide a processed operation (5xx, timeout, unreadable body) is `unknown`, settled only
 * by a re-read; a gateway error code means "not processed", so `failed`.
 */
const ACTION_RESULT: Record<Mode, { outcome: 'unknown' | 'failed'; kind: string }> = {
  '500': { outcome: 'unknown', kind: 'http' },
  hang: { outcome: 'unknown', kind: 'timeout' },
  malformed: { outcome: 'unknown', kind: 'malformed' },
  frequency: { outcome: 'failed', kind: 'gateway' },
};

describe.each(engines)('gateway fault matrix (%s)', (engine) => {
  let h: PaymentsHarness;
  let fast: AssistGateway;
  let fastUnverified: AssistGateway;

  // Notifications are dropped at the gateway: after a fault only the sync may bring a payment in.
  const clearFaults = async () => {
    await h.sandbox.gateway.clearFaults();
    await dropNotifications(h);
  };
  const arm = (service: string, mode: Mode, count: number) =>
    h.sandbox.gateway.armFault({
      service: service as 'charge',
      mode,
      count,
      delayMs: mode === 'hang' ? HANG_MS : undefined,
    });
  const db = () => h.database.db;

  beforeAll(async () => {
    h = await startPaymentsHarness({ engine });
    const options = { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 }, now: () => h.clock.now };
    fast = createAssistGateway({ ...h.config, timeoutMs: FAST_TIMEOUT_MS }, options);
    fastUnverified = createAssistGateway({ ...h.config, timeoutMs: FAST_TIMEOUT_MS, secret: null }, options);
    await dropNotifications(h);
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => resetGateway(h));

  async function expectCleanFailure(mode: Mode, contains: string) {
    const failed = await runSync(db(), fast, h.syncSettings);
    if (!failed.ok) throw new Error(`sync did not run: ${failed.reason}`);
    expect(failed.summary.outcome).toBe('failed');
    expect(failed.summary.error).toContain(contains);
    expect(failed.summary.error).toContain(READ_ERROR[mode]);
    const [run] = await db().select().from(assistSyncRuns).where(eq(assistSyncRuns.id, failed.summary.runId));
    expect(run?.outcome).toBe('failed');
    expect(run?.finishedAt).not.toBeNull();
  }

  async function expectRecovered() {
    await clearFaults();
    const next = await runSync(db(), h.gateway, h.syncSettings);
    expect(next.ok && next.summary, 'the run after the fault').toMatchObject({ outcome: 'ok', error: null });
    expect(await differencesFromSandbox(h)).toEqual([]);
  }

  it.each(MODES)(
    'report (resultbydate) answers %s: the run fails cleanly, the next loses nothing',
    async (mode) => {
      const o = await h.createOrder({ amountKopecks: 31_400 });
      await h.pay(await h.openBill(o));
      await arm('resultbydate', mode, 2);
      await expectCleanFailure(mode, 'report ');
      await expectRecovered();
    },
  );

  it.each(MODES)(
    'bill re-read (orderresult) answers %s during a sync: fails cleanly, then recovers',
    async (mode) => {
      // An unpaid order with a bill still in process is only visible to the re-read, never to the report.
      const o = await h.createOrder({ amountKopecks: 12_300 });
      const b = await h.openBill(o);
      await arm('orderresult', mode, 2);
      await expectCleanFailure(mode, 're-read of');
      await expectRecovered();
      expect((await storedBill(h, b))?.status).toBe('in_process');
    },
  );

  it.each(MODES)(
    'orderstate answers %s: not on the current adapter’s path, the sync is unaffected',
    async (mode) => {
      const o = await h.createOrder({ amountKopecks: 4_500 });
      await h.pay(await h.openBill(o));
      await arm('orderstate', mode, 2);
      const r = await runSync(db(), fast, h.syncSettings);
      expect(r.ok && r.summary).toMatchObject({ outcome: 'ok', error: null });
      // Still armed: if the adapter ever starts reading orderstate, this case must grow real assertions.
      const armed = await h.sandbox.gateway.listFaults();
      expect(armed.find((f) => f.service === 'orderstate')?.remaining).toBe(2);
      expect(await differencesFromSandbox(h)).toEqual([]);
    },
  );

  it.each(MODES)(
    'an unverified notification whose re-read answers %s gets 503, its redelivery stores it',
    async (mode) => {
      const o = await h.createOrder({ amountKopecks: 8_800 });
      const b = await h.openBill(o);
      await h.pay(b);
      const delivery = (await h.sandbox.gateway.listDeliveries()).find((d) => d.billnumber === b);
      if (!delivery) throw new Error(`no delivery recorded for ${b}`);
      const fields = new URLSearchParams(delivery.fields);
      const deps = {
        getDb: async () => db(),
        gateway: fastUnverified,
        testPaymentsCount: true,
        log: () => {},
      };
      await arm('orderresult', mode, 2);
      const down = await handleNotification(deps, fields);
      expect(down.status).toBe(503);
      expect(await storedBill(h, b)).toBeUndefined();
      await clearFaults();
      const again = await handleNotification(deps, fields);
      expect(again.status).toBe(200);
      expect(again.body).toContain('firstcode="0"');
      expect((await storedBill(h, b))?.status).toBe('paid');
    },
  );

  async function reReadAndRecord(billNumber: string) {
    const reread = await h.gateway.bills(
      { billNumber },
      { since: new Date(h.clock.now.getTime() - 86_400_000) },
    );
    if (!reread.ok) throw new Error(`re-read failed: ${JSON.stringify(reread.error)}`);
    await recordGatewayBills(db(), reread.bills, { source: 'admin', testPaymentsCount: true, checked: true });
  }

  const sandboxBill = async (billNumber: string) => {
    const found = (await h.sandbox.gateway.listBills()).find((b) => b.billnumber === billNumber);
    if (!found) throw new Error(`sandbox lost ${billNumber}`);
    return found;
  };

  it.each(MODES)(
    'charge answers %s: the documented outcome, nothing charged, a later charge works',
    async (mode) => {
      const o = await h.createOrder({ amountKopecks: 25_000, twoStage: true });
      const b = await h.openBill(o);
      await h.pay(b);
      await arm('charge', mode, 1);
      const res = await fast.charge({ billNumber: b });
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect({ outcome: res.outcome, kind: res.error.kind }).toEqual(ACTION_RESULT[mode]);
      // The fault acts before the gateway does anything: the hold is untouched.
      expect(await sandboxBill(b)).toMatchObject({ state: 'Delayed', held: 25_000, captured: 0 });
      await reReadAndRecord(b);
      expect((await storedBill(h, b))?.status).toBe('held');
      await clearFaults();
      const ok = await h.gateway.charge({ billNumber: b });
      expect(ok.ok && ok.bill?.status).toBe('paid');
      await expectRecovered();
    },
  );

  it.each(MODES)(
    'cancel answers %s: the documented outcome, nothing refunded, a later refund works',
    async (mode) => {
      const o = await h.createOrder({ amountKopecks: 17_700 });
      const b = await h.openBill(o);
      await h.pay(b);
      await arm('cancel', mode, 1);
      const res = await fast.cancel({
        billNumber: b,
        reason: 'shop',
        amount: { kopecks: 7_700, currency: 'RUB' },
      });
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect({ outcome: res.outcome, kind: res.error.kind }).toEqual(ACTION_RESULT[mode]);
      expect(await sandboxBill(b)).toMatchObject({ state: 'Approved', captured: 17_700 });
      await reReadAndRecord(b);
      await clearFaults();
      const ok = await h.gateway.cancel({
        billNumber: b,
        reason: 'shop',
        amount: { kopecks: 7_700, currency: 'RUB' },
      });
      expect(ok.ok && ok.bill?.status).toBe('partially_refunded');
      await expectRecovered();
      const stored = await storedBill(h, b);
      expect(stored).toMatchObject({ status: 'partially_refunded', returnedKopecks: 7_700 });
    },
  );
});
