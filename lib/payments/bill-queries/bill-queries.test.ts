import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistBills, assistSyncRuns, leases, orders } from '@/lib/db/schema';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { toBillTotals } from '../bill-totals';
import { dashboardStats } from './dashboard';
import { getBillDetail, getOrderDetail } from './detail';
import { csvCell, exportBillsCsv } from './export';
import { billTotals, billTotalsQuery, decodeCursor, encodeCursor, listBills, parseBillFilters } from './list';

let database: TestDatabase;
const base = new Date('2026-03-10T12:00:00.123456Z');

type Seed = Partial<typeof assistBills.$inferInsert> & { n: number };

function bill(s: Seed): typeof assistBills.$inferInsert {
  return {
    billNumber: String(1_000_000_000_000_000 + s.n),
    orderNumber: `A-${Math.floor(s.n / 2)}`,
    rawStatus: 'Approved',
    status: 'paid',
    amountKopecks: 100_00,
    currency: 'RUB',
    chargedKopecks: 100_00,
    responseCode: 'AS000',
    testMode: false,
    // Every third bill shares its timestamp with the next one: the keyset must break ties by id.
    firstSeenAt: new Date(base.getTime() - Math.floor(s.n / 3) * 3_600_000),
    ...s,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const rows = Array.from({ length: 120 }, (_, i) =>
    bill({
      n: i,
      ...(i % 10 === 0
        ? { status: 'declined', rawStatus: 'Declined', responseCode: 'AS100', chargedKopecks: 0 }
        : {}),
      ...(i % 7 === 0 ? { testMode: true } : {}),
      ...(i === 5 ? { flags: ['double_payment'], message: '=HYPERLINK("http://evil")' } : {}),
      ...(i === 6 ? { currency: 'USD', amountKopecks: 5_00, chargedKopecks: 5_00 } : {}),
    }),
  );
  await database.db.insert(assistBills).values(rows);
});

afterAll(async () => {
  await database?.close();
});

async function allPages(filters: Parameters<typeof listBills>[1], limit: number) {
  const seen: string[] = [];
  let after = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<typeof listBills>> = await listBills(database.db, filters, {
      after,
      limit,
    });
    seen.push(...page.rows.map((r) => r.billNumber));
    after = page.next ? decodeCursor(encodeCursor(page.next)) : null;
    pages++;
  } while (after);
  return { seen, pages };
}

describe('bill list', () => {
  it('pages by keyset through every row once, newest first, ties broken by id', async () => {
    const { seen, pages } = await allPages({}, 7);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(pages).toBe(18);
    expect(seen[0]).toBe(String(1_000_000_000_000_002));
    expect(seen.at(-1)).toBe(String(1_000_000_000_000_117));
  });

  it('filters by status, response code, test mode, flag and date range', async () => {
    expect((await allPages({ status: 'declined' }, 50)).seen).toHaveLength(12);
    expect((await allPages({ code: 'as100' }, 50)).seen).toHaveLength(12);
    expect((await allPages({ test: 'yes' }, 50)).seen).toHaveLength(18);
    expect((await allPages({ test: 'no' }, 50)).seen).toHaveLength(102);
    expect((await allPages({ flag: 'double_payment' }, 50)).seen).toEqual([String(1_000_000_000_000_005)]);
    // Moscow day of `base` (15:00 there): bills 0..47 are at most 15 hours back on the same day.
    const day = await allPages({ from: '2026-03-10', to: '2026-03-10' }, 50);
    expect(day.seen).toHaveLength(48);
    expect((await allPages({ from: '2026-03-11' }, 50)).seen).toHaveLength(0);
  });

  it('searches bill and order numbers, exact or by prefix', async () => {
    expect((await allPages({ q: '1000000000000017' }, 50)).seen).toEqual([String(1_000_000_000_000_017)]);
    expect((await allPages({ q: '100000000000001' }, 50)).seen).toHaveLength(10);
    expect((await allPages({ q: 'A-10' }, 50)).seen).toEqual([
      String(1_000_000_000_000_020),
      String(1_000_000_000_000_021),
    ]);
    const exactOrder = await allPages({ q: 'A-3' }, 50);
    expect(exactOrder.seen).toContain(String(1_000_000_000_000_006));
  });

  it('sums the filtered set per currency', async () => {
    const totals = await billTotals(database.db, { status: 'paid' });
    expect(totals.count).toBe(108);
    expect(totals.byCurrency).toEqual([
      { currency: 'RUB', chargedKopecks: 107 * 100_00, heldKopecks: 0, returnedKopecks: 0 },
      { currency: 'USD', chargedKopecks: 5_00, heldKopecks: 0, returnedKopecks: 0 },
    ]);
  });

  it('sums per outcome: held, charged and returned money, nothing for declined or expired bills', async () => {
    const outcomes = [
      { n: 1001, status: 'held', rawStatus: 'Delayed', amountKopecks: 300_00, chargedKopecks: 0 },
      { n: 1002, status: 'declined', rawStatus: 'Declined', amountKopecks: 700_00, chargedKopecks: 0 },
      { n: 1003, status: 'expired', rawStatus: 'Timeout', amountKopecks: 900_00, chargedKopecks: 0 },
      { n: 1004, status: 'partially_refunded', rawStatus: 'PartialCanceled', returnedKopecks: 40_00 },
    ];
    // Inside a transaction rolled back at the end, so the other tests keep their 120 bills.
    const rolledBack = new Error('rolled back');
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(assistBills).values(outcomes.map((o) => bill({ ...o, orderNumber: `OUT-${o.n}` })));
        const totals = await billTotals(tx, { q: 'OUT-' });
        expect(totals.count).toBe(4);
        expect(totals.byCurrency).toEqual([
          { currency: 'RUB', chargedKopecks: 100_00, heldKopecks: 300_00, returnedKopecks: 40_00 },
        ]);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect((await billTotals(database.db, { q: 'OUT-' })).count).toBe(0);
  });

  it('unfiltered totals (from the summary the triggers keep) equal the sum over every bill, before and after a change', async () => {
    const before = await billTotals(database.db, {});
    expect(before.count).toBe(120);
    expect(before).toEqual(toBillTotals(await billTotalsQuery(database.db, {})));
    const returned = (t: typeof before) => t.byCurrency.find((c) => c.currency === 'RUB')?.returnedKopecks;
    // Rolled back at the end, so the other tests keep their 120 bills as seeded.
    const rolledBack = new Error('rolled back');
    await expect(
      database.db.transaction(async (tx) => {
        await tx
          .update(assistBills)
          .set({ status: 'refunded', returnedKopecks: 100_00 })
          .where(eq(assistBills.billNumber, String(1_000_000_000_000_001)));
        const after = await billTotals(tx, {});
        expect(after).toEqual(toBillTotals(await billTotalsQuery(tx, {})));
        expect((returned(after) ?? 0) - (returned(before) ?? 0)).toBe(100_00);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await billTotals(database.db, {})).toEqual(before);
  });

  it('parses GET filters leniently', () => {
    expect(
      parseBillFilters({
        status: 'held',
        code: 'AS000',
        from: '2026-01-01',
        to: 'yesterday',
        q: "1' or 1=1",
        test: '',
      }),
    ).toEqual({ status: 'held', code: 'AS000', from: '2026-01-01' });
    expect(decodeCursor('garbage')).toBeNull();
  });
});

describe('CSV export', () => {
  it('neutralises formula cells and quotes separators', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+7 900')).toBe("'+7 900");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\r=x')).toBe(`"'\r=x"`);
    expect(csvCell('a;b "c"')).toBe('"a;b ""c"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell('411111****1111')).toBe('411111****1111');
  });

  it('streams the filtered set in batches', async () => {
    const chunks: string[] = [];
    for await (const chunk of exportBillsCsv(database.db, { test: 'no' }, 25)) chunks.push(chunk);
    const lines = chunks.join('').trimEnd().split('\r\n');
    expect(lines).toHaveLength(103);
    expect(lines[0]).toMatch(/^bill_number;order_number;/);
    const evil = lines.find((l) => l.startsWith(String(1_000_000_000_000_005)));
    expect(evil).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(chunks.length).toBeGreaterThan(4);
  });
});

describe('detail and dashboard', () => {
  it('marks the actual bill of an order among its bills', async () => {
    const [order] = await database.db
      .insert(orders)
      .values({
        publicId: 'p'.repeat(22),
        orderNumber: 'ORD-1',
        subtotalKopecks: 100_00,
        totalKopecks: 100_00,
        lastName: 'И',
        firstName: 'И',
        email: 'i@example.ru',
        expiresAt: new Date(),
      })
      .returning();
    if (!order) throw new Error('no order');
    await database.db.insert(assistBills).values([
      bill({ n: 500, orderNumber: 'ORD-1', orderId: order.id }),
      bill({
        n: 501,
        orderNumber: 'ORD-1',
        orderId: order.id,
        status: 'in_process',
        rawStatus: 'In Process',
      }),
    ]);
    const detail = await getBillDetail(database.db, String(1_000_000_000_000_501), false);
    expect(detail?.order.bills.map((b) => [b.billNumber, b.actual])).toEqual([
      [String(1_000_000_000_000_500), true],
      [String(1_000_000_000_000_501), false],
    ]);
    expect(detail?.order.status).toBe('paid');
    expect((await getOrderDetail(database.db, 'ORD-1', false))?.bills).toHaveLength(2);
    expect(await getOrderDetail(database.db, 'NOPE', false)).toBeNull();
  });

  it('reports the last sync, the throttle and 30 days of figures', async () => {
    const now = new Date('2026-03-10T20:00:00Z');
    await database.db.insert(assistSyncRuns).values({ trigger: 'cron', outcome: 'ok', startedAt: now });
    await database.db
      .insert(leases)
      .values({ name: 'assist-sync', lastStartedAt: new Date(now.getTime() - 60_000) });
    const stats = await dashboardStats(database.db, {
      syncLease: 'assist-sync',
      minIntervalSeconds: 600,
      now,
    });
    expect(stats.lastRun?.outcome).toBe('ok');
    expect(stats.nextAllowedAt?.toISOString()).toBe('2026-03-10T20:09:00.000Z');
    expect(stats.days).toHaveLength(30);
    expect(stats.days.at(-1)?.day).toBe('2026-03-10');
    expect(stats.days.at(-1)?.declined).toBeGreaterThan(0);
    expect(stats.days.at(-1)?.paidKopecks).toBeGreaterThan(0);
  });
});
