import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db/connect';
import { testServerUrl } from '@/lib/db/testing';
import { handleNotification } from '@/lib/payments/notifications';
import { runSync, type SyncResult } from '@/lib/payments/sync';
import { usePaymentsHarness } from '@/lib/testing/hooks';
import { differencesFromSandbox, engines, resetGateway, storedBill } from './support';

const serverUrl = testServerUrl();
const restartEnabled = Boolean(serverUrl) && process.env.RELIABILITY_PG_RESTART === '1';
const skipReason = !serverUrl
  ? 'skipped: needs TEST_DATABASE_URL or DATABASE_URL'
  : 'skipped: restarts the server, so only with RELIABILITY_PG_RESTART=1 (a CI step of its own)';

/** The cluster the test database lives on; CI's is the first (only) version's `main`. */
async function restartPostgres(): Promise<void> {
  const version = process.env.RELIABILITY_PG_VERSION ?? readdirSync('/etc/postgresql').sort()[0];
  const cluster = process.env.RELIABILITY_PG_CLUSTER ?? 'main';
  if (!version) throw new Error('no PostgreSQL version under /etc/postgresql');
  // Asynchronous, so the pool sees its connections drop while the run is in flight, as in production;
  // pg_ctl waits until the server accepts connections again before this resolves.
  await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'restart'], {
    timeout: 60_000,
  });
}

describe.skipIf(!restartEnabled)(
  `PostgreSQL restarted under a running sync${restartEnabled ? '' : ` (${skipReason})`}`,
  () => {
    const h = usePaymentsHarness({ engine: 'postgres' });
    const db = () => h.database.db;
    // Only the sync may bring these payments in.
    beforeEach(() => resetGateway(h));

    async function paidBills(n: number) {
      for (let i = 0; i < n; i++) {
        const o = await h.createOrder({ amountKopecks: 10_000 + i });
        await h.pay(await h.openBill(o));
      }
    }

    /** The next run must complete whatever the interrupted one left behind (a lease, a half-written run). */
    async function expectNextRunCompletes() {
      let next: SyncResult | null = null;
      // The pool may hand out a connection that died with the old server once; the run after that is clean.
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          next = await runSync(db(), h.gateway, h.syncSettings);
          if (next.ok && next.summary.outcome === 'ok') break;
          console.info(`[pg-restart] run after the restart, attempt ${attempt + 1}: ${JSON.stringify(next)}`);
        } catch (err) {
          console.info(`[pg-restart] run after the restart, attempt ${attempt + 1} threw: ${String(err)}`);
          next = null;
        }
      }
      expect(next, 'a run after the restart').toMatchObject({
        ok: true,
        summary: { outcome: 'ok', error: null },
      });
      expect(await differencesFromSandbox(h)).toEqual([]);
    }

    it('restart while the report is being fetched: the run fails cleanly or completes, the next completes', async () => {
      await paidBills(5);
      // The report answers late, so the restart lands between taking the lease and writing the bills.
      await h.sandbox.gateway.armFault({ service: 'resultbydate', mode: 'delay', delayMs: 2_000 });
      const running = runSync(db(), h.gateway, h.syncSettings).then(
        (r) => ({ settled: 'resolved' as const, r }),
        (e: unknown) => ({ settled: 'rejected' as const, e }),
      );
      await new Promise((r) => setTimeout(r, 300));
      await restartPostgres();
      const first = await running;
      console.info(
        `[pg-restart] interrupted run ${first.settled}: ${first.settled === 'resolved' ? JSON.stringify(first.r) : String(first.e)}`,
      );
      if (first.settled === 'resolved')
        expect(first.r.ok && first.r.summary.outcome).toMatch(/^(ok|failed)$/);
      await expectNextRunCompletes();
    });

    it('restart between runs: stale pooled connections do not lose a payment', async () => {
      await paidBills(3);
      await restartPostgres();
      await expectNextRunCompletes();
    });
  },
);

describe.each(engines)('the shop database refusing connections at a notification (%s)', (engine) => {
  const h = usePaymentsHarness({ engine });

  it('answers 503, and the gateway’s redelivery succeeds once the database is back', async () => {
    // A real driver against a closed port: ECONNREFUSED from opening the pool, not a simulated throw.
    const getDb = async () =>
      (await openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' })).db;
    {
      const o = await h.createOrder({ amountKopecks: 27_500 });
      const billNumber = await h.openBill(o);
      h.receiverOverride = { status: 500 };
      await h.pay(billNumber);
      const notification = await h.notificationFor(billNumber);
      const reply = await handleNotification(
        { getDb, gateway: h.gateway, testPaymentsCount: true, log: () => {} },
        notification,
      );
      expect(reply.status).toBe(503);
      expect(reply.body).not.toContain('pushpaymentresult');
      h.receiverOverride = null;
      await h.waitForDeliveries();
      const deliveries = await h.sandbox.gateway.listDeliveries();
      expect(deliveries.find((d) => d.billnumber === billNumber)?.status).toBe('delivered');
      const stored = await storedBill(h, billNumber);
      expect(stored?.status).toBe('paid');
    }
  });
});
