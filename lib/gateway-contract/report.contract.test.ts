/**
 * Gateway contract, report side: the adapter's report (resultbydate) and re-read (orderresult by
 * billnumber) calls against (a) the sandbox in each of its report reply shapes and (b) a fixture server
 * replaying replies shaped as public sources show them (each fixture cites its source in its header).
 * Everything goes through the same sync that production runs. docs/assist-protocol.md §5.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssistConfig, type AssistGateway, createAssistGateway, type GatewayBill } from '@/lib/assist';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { assistBills, assistOperations, assistSyncRuns, leases } from '@/lib/payments/schema';
import { runSync, SYNC_LEASE, type SyncSettings } from '@/lib/payments/sync';
import type { ReportShape } from '@/lib/sandbox/config';
import { type PaymentsHarness, startPaymentsHarness } from '@/lib/testing/payments-harness';
import { type FixtureServer, startFixtureServer } from './fixture-server';

const REPORT = '/resultbydate/resultbydate.cfm';
const ORDERRESULT = '/orderresult/orderresult.cfm';

type Summary = Array<
  [
    bill: string,
    status: string,
    ops: Array<[id: string, kind: string, outcome: string, kopecks: number | null]>,
  ]
>;

const summarize = (bills: GatewayBill[]): Summary =>
  [...bills]
    .sort((a, b) => a.billNumber.localeCompare(b.billNumber))
    .map((b) => [
      b.billNumber,
      b.status,
      b.operations.map(
        (o) => [o.operationId, o.kind, o.outcome, o.amountKopecks] as [string, string, string, number | null],
      ),
    ]);

describe('report contract: replies shaped as public sources show them (fixture server)', () => {
  let fixtures: FixtureServer;
  let database: TestDatabase;
  const now = new Date('2026-10-01T13:00:00Z');
  const config = (secret: string | null = null): AssistConfig => ({
    merchantId: '111111',
    login: 'shop',
    password: 'pw',
    secret,
    testMode: true,
    server: fixtures.url,
    formMode: 1,
    timeoutMs: 2000,
    holdWarningDays: 14,
    protocol: 'current',
  });
  const gateway = (reportFormat: 'xml' | 'csv' = 'xml') =>
    createAssistGateway(config(), { reportFormat, now: () => now, retry: { attempts: 1 } });
  const settings: SyncSettings = {
    minIntervalSeconds: 0,
    initialLookbackHours: 6,
    overlapMinutes: 0,
    maxWindows: 2,
    recheckLimit: 0,
    testPaymentsCount: true,
    now: () => now,
  };
  const window = { from: new Date('2026-10-01T08:00:00Z'), to: new Date('2026-10-01T13:00:00Z') };

  beforeAll(async () => {
    fixtures = await startFixtureServer();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await fixtures?.close();
    await database?.close();
  });

  const FULL: Summary = [
    ['5960911000000101', 'paid', [['5960911000000101.1', 'payment', 'success', 150_000]]],
    [
      '5960911000000102',
      'partially_charged',
      [
        ['5960911000000102.1', 'payment', 'success', 250_000],
        ['5960911000000102.2', 'charge', 'success', 100_000],
      ],
    ],
    ['5960911000000103', 'declined', [['5960911000000103.1', 'payment', 'failed', 9_999]]],
  ];

  it.each([
    ['flat <payment> rows', 'resultbydate-payment-rows.xml', 'xml', FULL],
    [
      '<order> with and without <operation>',
      'resultbydate-order-operation.xml',
      'xml',
      [FULL[0], FULL[1], ['5960911000000103', 'declined', []]],
    ],
    [
      '<orders><order>',
      'resultbydate-orders-wrapped.xml',
      'xml',
      [FULL[0], ['5960911000000103', 'declined', []]],
    ],
    ['the CSV report', 'resultbydate-report.csv', 'csv', FULL],
  ] as const)('reads %s into bills and operations', async (_label, file, format, expected) => {
    fixtures.routes.set(REPORT, file);
    const read = await gateway(format).report(window);
    expect(read.ok ? summarize(read.bills) : read.error).toEqual(expected);
  });

  it.each([
    ['resultbydate-unknown-element.xml', 'unknown element <result><transaction>'],
    ['resultbydate-count-mismatch.xml', '<result count="3"> but 1 rows were read'],
    ['resultbydate-unknown-state.xml', 'orderstate "Refunding" is not a known state'],
  ])('refuses %s as malformed, naming what it did not understand', async (file, message) => {
    fixtures.routes.set(REPORT, file);
    const read = await gateway().report(window);
    expect(read).toMatchObject({ ok: false, error: { kind: 'malformed' } });
    expect(read.ok ? '' : 'message' in read.error ? read.error.message : '').toContain(message);
  });

  it('a re-read by billnumber sends a window from the given moment and reads a bare <order>', async () => {
    fixtures.routes.set(ORDERRESULT, 'orderstate-bare-order.xml');
    const before = fixtures.requests.length;
    const read = await gateway().bills(
      { billNumber: '5960911000000101' },
      { since: new Date('2026-09-20T07:45:30Z') },
    );
    expect(read.ok ? summarize(read.bills) : read.error).toEqual([['5960911000000101', 'paid', []]]);
    const sent = fixtures.requests.slice(before).find((r) => r.path === ORDERRESULT)?.fields;
    expect(Object.fromEntries(sent ?? [])).toMatchObject({
      Billnumber: '5960911000000101',
      StartYear: '2026',
      StartMonth: '09',
      StartDay: '20',
      StartHour: '07',
      StartMin: '45',
      EndYear: '2026',
      EndMonth: '10',
      EndDay: '01',
      EndHour: '13',
      EndMin: '00',
    });
  });

  describe('through the sync', () => {
    const db = () => database.db;
    const reset = async () => {
      await db().delete(assistOperations);
      await db().delete(assistBills);
      await db().delete(leases).where(eq(leases.name, SYNC_LEASE));
    };

    it.each([
      ['resultbydate-payment-rows.xml', 'xml'],
      ['resultbydate-order-operation.xml', 'xml'],
      ['resultbydate-report.csv', 'csv'],
    ] as const)('stores every bill and operation of %s and moves the cursor', async (file, format) => {
      await reset();
      fixtures.routes.set(REPORT, file);
      const r = await runSync(db(), gateway(format), settings);
      expect(r.ok && r.summary.outcome).toBe('ok');
      const bills = await db().select().from(assistBills);
      expect(bills.map((b) => [b.billNumber, b.status, b.chargedKopecks]).sort()).toEqual([
        ['5960911000000101', 'paid', 150_000],
        ['5960911000000102', 'partially_charged', 100_000],
        ['5960911000000103', 'declined', 0],
      ]);
      const ops = await db().select().from(assistOperations);
      expect(ops.length).toBe(file === 'resultbydate-order-operation.xml' ? 3 : 4);
      const [lease] = await db().select().from(leases).where(eq(leases.name, SYNC_LEASE));
      expect(lease?.cursor?.toISOString()).toBe(now.toISOString());
    });

    it.each([
      ['resultbydate-unknown-element.xml', '<result><transaction>'],
      ['resultbydate-count-mismatch.xml', 'count="3"'],
      ['resultbydate-unknown-state.xml', 'orderstate "Refunding"'],
    ])('records a failed run for %s, stores nothing and keeps the cursor', async (file, named) => {
      await reset();
      const cursor = new Date('2026-10-01T10:00:00Z');
      await db().insert(leases).values({ name: SYNC_LEASE, cursor });
      fixtures.routes.set(REPORT, file);
      const r = await runSync(db(), gateway(), settings);
      expect(r.ok && r.summary.outcome).toBe('failed');
      const [run] = await db()
        .select()
        .from(assistSyncRuns)
        .where(eq(assistSyncRuns.id, r.ok ? r.summary.runId : 0));
      expect(run?.outcome).toBe('failed');
      expect(run?.error).toContain(named);
      expect(await db().select().from(assistBills)).toEqual([]);
      const [lease] = await db().select().from(leases).where(eq(leases.name, SYNC_LEASE));
      expect(lease?.cursor?.toISOString()).toBe(cursor.toISOString());
    });
  });
});

describe('report contract: the sandbox in each reply shape', () => {
  let h: PaymentsHarness;
  beforeAll(async () => {
    h = await startPaymentsHarness();
    h.receiverOverride = { status: 500 };
  });
  afterAll(async () => {
    h?.sandbox.gateway.setReportShape('payment');
    await h?.close();
  });

  const csvGateway = (): AssistGateway =>
    createAssistGateway(h.config, { reportFormat: 'csv', now: () => h.clock.now, retry: { attempts: 1 } });

  it.each(['payment', 'order', 'orders', 'csv'] as const satisfies readonly ReportShape[])(
    'report, re-read and sync agree on paid and partly charged bills when the report answers as %s',
    async (shape) => {
      h.sandbox.gateway.setReportShape(shape);
      const gateway = shape === 'csv' ? csvGateway() : h.gateway;
      const paidOrder = await h.createOrder({ amountKopecks: 150_000 });
      const paid = await h.openBill(paidOrder);
      await h.pay(paid);
      const heldOrder = await h.createOrder({ amountKopecks: 250_000, twoStage: true });
      const held = await h.openBill(heldOrder);
      await h.pay(held);
      const charge = await gateway.charge({
        billNumber: held,
        amount: { kopecks: 100_000, currency: 'RUB' },
      });
      expect(charge.ok).toBe(true);
      h.clock.now = new Date(h.clock.now.getTime() + 60_000);

      const read = await gateway.report({
        from: new Date(h.clock.now.getTime() - 3_600_000),
        to: h.clock.now,
      });
      const mine = read.ok
        ? summarize(read.bills.filter((b) => b.billNumber === paid || b.billNumber === held))
        : read.error;
      const expected: Summary = [
        [paid, 'paid', [[`${paid}.1`, 'payment', 'success', 150_000]]],
        [
          held,
          'partially_charged',
          [
            [`${held}.1`, 'payment', 'success', 250_000],
            [`${held}.2`, 'charge', 'success', 100_000],
          ],
        ],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))) as Summary;
      expect(mine).toEqual(expected);

      const reread = await gateway.bills({ billNumber: held }, { since: heldOrder.createdAt });
      expect(reread.ok ? summarize(reread.bills) : reread.error).toEqual(
        expected.filter(([b]) => b === held),
      );

      const r = await runSync(h.database.db, gateway, { ...h.syncSettings, recheckLimit: 0 });
      expect(r.ok && r.summary.outcome).toBe('ok');
      const stored = await h.database.db.select().from(assistBills);
      const row = (n: string) => stored.find((b) => b.billNumber === n);
      expect([row(paid)?.status, row(paid)?.chargedKopecks]).toEqual(['paid', 150_000]);
      expect([row(held)?.status, row(held)?.chargedKopecks]).toEqual(['partially_charged', 100_000]);
    },
  );
});
