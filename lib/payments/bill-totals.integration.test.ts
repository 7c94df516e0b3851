import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '@/lib/admin/staff';
import { type Db, MIGRATIONS_FOLDER } from '@/lib/db/connect';
import {
  createTestDatabase,
  type TestDatabase,
  testEngines,
  testServerUrl,
  withDatabase,
} from '@/lib/db/testing';
import { cleanUpAbandoned } from '@/lib/shop/cleanup';
import {
  billActionRequest,
  type PaymentsHarness,
  startPaymentsHarness,
} from '@/lib/testing/payments-harness';
import { type Actor, type BillActionRequest, performBillAction } from './admin-actions';
import {
  allBillTotals,
  type BillTotals,
  type BillTotalsRow,
  FOLD_AFTER,
  foldBillTotals,
  toBillTotals,
} from './bill-totals';
import { recordGatewayBills } from './record-bills';
import { assistBills, assistBillTotals } from './schema';
import { runSync } from './sync';

const engines = testEngines();

/** The oracle: the same totals summed over every bill, as the unfiltered list computed them before. */
async function recomputed(db: Db): Promise<BillTotals> {
  const rows = (await db.execute(sql`
    select coalesce(currency, '') as currency, count(*)::text as count,
      coalesce(sum(amount_kopecks) filter (where status = 'held'), 0)::text as held,
      coalesce(sum(charged_kopecks), 0)::text as charged,
      coalesce(sum(returned_kopecks), 0)::text as returned
    from assist_bills group by 1 order by 1`)) as unknown as BillTotalsRow[] | { rows: BillTotalsRow[] };
  // postgres-js gives the rows, PGlite a result holding them.
  return toBillTotals(Array.isArray(rows) ? rows : rows.rows);
}

async function expectExact(db: Db): Promise<BillTotals> {
  const expected = await recomputed(db);
  expect(await allBillTotals(db)).toEqual(expected);
  return expected;
}

async function ledgerRows(db: Db): Promise<number> {
  return (await db.select({ currency: assistBillTotals.currency }).from(assistBillTotals)).length;
}

function gatewayBill(n: number, over: Partial<Parameters<typeof recordGatewayBills>[1][number]> = {}) {
  const billNumber = String(7_000_000_000_000_000 + n);
  return {
    billNumber,
    orderNumber: `EXT-${n}`,
    status: 'paid' as const,
    rawStatus: 'Approved',
    amountKopecks: 10_00 * n,
    currency: 'USD',
    testMode: false,
    packetDate: new Date(Date.UTC(2026, 10, 1, 0, n)),
    responseCode: 'AS000',
    message: 'ok',
    maskedCard: '411111****1111',
    operations: [],
    raw: { billnumber: billNumber },
    ...over,
  };
}

describe.each(engines)('bill totals on %s', (engine) => {
  let h: PaymentsHarness;
  let actor: Actor;
  const db = () => h.database.db;

  beforeAll(async () => {
    h = await startPaymentsHarness({ engine });
    const admin = await createStaff(db(), { email: 'totals@shop.test', role: 'admin' });
    if (!admin.ok) throw new Error('staff setup failed');
    actor = { id: admin.staff.id, email: admin.staff.email };
  });

  afterAll(async () => {
    await h?.close();
  });

  function action(billNumber: string, over: Partial<BillActionRequest>): BillActionRequest {
    return billActionRequest(billNumber, actor, over);
  }

  it('equals the full recomputation after notifications, a sync, a charge, a refund, a deletion and clean-up', async () => {
    expect(await allBillTotals(db())).toEqual({ count: 0, byCurrency: [] });

    // Notifications: a one-stage payment and a two-stage hold.
    const paid = await h.createOrder({ amountKopecks: 150_00 });
    const paidBill = await h.openBill(paid);
    await h.pay(paidBill);
    const held = await h.createOrder({ amountKopecks: 500_00, twoStage: true });
    const heldBill = await h.openBill(held);
    await h.pay(heldBill);
    await h.waitForDeliveries();
    const afterNotifications = await expectExact(db());
    expect(afterNotifications.byCurrency).toEqual([
      { currency: 'RUB', chargedKopecks: 150_00, heldKopecks: 500_00, returnedKopecks: 0 },
    ]);

    // A sync: a declined payment and a page left open until it expired arrive only through the report.
    const declined = await h.createOrder({ amountKopecks: 99_00 });
    await h.pay(await h.openBill(declined), '4000 0000 0000 0002');
    await h.openBill(await h.createOrder({ amountKopecks: 12_345 }));
    h.clock.now = new Date(h.clock.now.getTime() + 11 * 60_000);
    const synced = await runSync(db(), h.gateway, h.syncSettings);
    expect(synced.ok && synced.summary.outcome).toBe('ok');
    expect((await expectExact(db())).count).toBe(4);

    // Staff charge part of the hold, then refund part of the charge.
    const charge = await performBillAction(db(), h.gateway, action(heldBill, { amountKopecks: 300_00 }));
    expect(charge).toMatchObject({ ok: true, action: { state: 'succeeded' } });
    expect((await expectExact(db())).byCurrency[0]).toMatchObject({ chargedKopecks: 450_00, heldKopecks: 0 });
    const refund = await performBillAction(
      db(),
      h.gateway,
      action(heldBill, { kind: 'cancel', reason: 'customer', amountKopecks: 100_00 }),
    );
    expect(refund).toMatchObject({ ok: true, action: { state: 'succeeded' } });
    expect((await expectExact(db())).byCurrency[0]).toMatchObject({ returnedKopecks: 100_00 });

    // Bills of orders that are not ours, in another currency and without one, several per statement.
    await recordGatewayBills(
      db(),
      [
        gatewayBill(1),
        gatewayBill(2, { status: 'held', rawStatus: 'Delayed' }),
        gatewayBill(3, { currency: null }),
      ],
      { source: 'sync', testPaymentsCount: false },
    );
    const usd = async () => (await expectExact(db())).byCurrency.find((c) => c.currency === 'USD');
    expect(await usd()).toMatchObject({ heldKopecks: 20_00 });
    // A later report moves the hold forward: the held money leaves.
    await recordGatewayBills(
      db(),
      [
        gatewayBill(2, {
          status: 'paid',
          rawStatus: 'Approved',
          packetDate: new Date(Date.UTC(2026, 10, 2)),
        }),
      ],
      { source: 'sync', testPaymentsCount: false },
    );
    expect(await usd()).toMatchObject({ heldKopecks: 0 });

    // A deletion (no code path deletes bills today; a console or a future clean-up might).
    await db()
      .delete(assistBills)
      .where(eq(assistBills.billNumber, gatewayBill(3).billNumber));
    await db().delete(assistBills).where(eq(assistBills.currency, 'USD'));
    expect((await expectExact(db())).byCurrency.map((c) => c.currency)).toEqual(['RUB']);
    await cleanUpAbandoned(db(), new Date(Date.now() + 400 * 86_400_000));
    await expectExact(db());

    // Folding keeps the sums and collapses the rows to one per currency that still has bills.
    expect(await ledgerRows(db())).toBeGreaterThan(1);
    await foldBillTotals(db());
    expect(await ledgerRows(db())).toBe(1);
    await expectExact(db());
  });

  it('folds on read once the appended rows pass FOLD_AFTER, with the same result', async () => {
    for (let i = 0; i <= FOLD_AFTER; i++)
      await db().execute(sql`update assist_bills set charged_kopecks = charged_kopecks + 1
        where id = (select min(id) from assist_bills)`);
    expect(await ledgerRows(db())).toBeGreaterThan(FOLD_AFTER);
    const expected = await recomputed(db());
    expect(await allBillTotals(db())).toEqual(expected);
    expect(await ledgerRows(db())).toBe(1);
    expect(await allBillTotals(db())).toEqual(expected);
  });

  it('an update that moves no money appends nothing; a rolled-back write leaves nothing', async () => {
    await foldBillTotals(db());
    const rows = await ledgerRows(db());
    await db().update(assistBills).set({ checkedAt: new Date() });
    expect(await ledgerRows(db())).toBe(rows);
    const before = await recomputed(db());
    await expect(
      db().transaction(async (tx) => {
        await tx.update(assistBills).set({ chargedKopecks: sql`${assistBills.chargedKopecks} + 5` });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await allBillTotals(db())).toEqual(before);
  });

  it('TRUNCATE empties the totals', async () => {
    await db().execute(sql`truncate assist_bills`);
    expect(await allBillTotals(db())).toEqual({ count: 0, byCurrency: [] });
    expect(await ledgerRows(db())).toBe(0);
  });
});

/** A database migrated up to (not including) migration `stop`, then on to the end. */
async function migratedInTwoSteps(
  engine: 'pglite' | 'postgres',
  stop: string,
  between: (db: Db) => Promise<void>,
): Promise<{ db: Db; close: () => Promise<void> }> {
  const partial = mkdtempSync(path.join(tmpdir(), 'h-totals-migrations-'));
  cpSync(MIGRATIONS_FOLDER, partial, { recursive: true });
  const journalFile = path.join(partial, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === stop);
  if (at < 0) throw new Error(`no migration ${stop}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));
  try {
    if (engine === 'pglite') {
      const client = new PGlite();
      const db = drizzlePglite(client);
      await migratePglite(db, { migrationsFolder: partial });
      await between(db as unknown as Db);
      await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
      return { db: db as unknown as Db, close: () => client.close() };
    }
    // Created and migrated over the direct URL, as createTestDatabase and a deployment do: a pooler in
    // transaction mode (the PgBouncer pass) refuses the startup parameter a migration connection sends.
    const serverUrl = process.env.TEST_DATABASE_URL_DIRECT || testServerUrl();
    if (!serverUrl) throw new Error('no PostgreSQL server');
    const name = `h_totals_${randomBytes(4).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const client = postgres(withDatabase(serverUrl, name), { max: 1, onnotice: () => {} });
    const db = drizzlePostgres(client);
    await migratePostgres(db, { migrationsFolder: partial });
    await between(db as unknown as Db);
    await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      db: db as unknown as Db,
      close: async () => {
        await client.end({ timeout: 5 });
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end({ timeout: 5 });
      },
    };
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}

describe.each(engines)('the totals migration on %s', (engine) => {
  it('backfills the bills that exist before it', async () => {
    const migrated = await migratedInTwoSteps(engine, '0010_bill_totals_triggers', async (db) => {
      await db.execute(sql`
        insert into assist_bills (bill_number, order_number, raw_status, status, amount_kopecks, currency,
          charged_kopecks, returned_kopecks)
        select (8000000000000000 + g)::text, 'M-' || g, 'x',
          (array['paid', 'held', 'declined', 'partially_refunded'])[g % 4 + 1],
          1000 + g, (array['RUB', 'USD', null])[g % 3 + 1],
          case when g % 4 in (0, 3) then 1000 + g else 0 end,
          case when g % 4 = 3 then 500 else 0 end
        from generate_series(1, 300) g`);
    });
    try {
      const expected = await recomputed(migrated.db);
      expect(expected.count).toBe(300);
      expect(expected.byCurrency.map((c) => c.currency)).toEqual(['', 'RUB', 'USD']);
      expect(await allBillTotals(migrated.db)).toEqual(expected);
    } finally {
      await migrated.close();
    }
  });
});

describe.runIf(testServerUrl())('bill totals under concurrent writers on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ engine: 'postgres' });
    await database.db.execute(sql`
      insert into assist_bills (bill_number, order_number, raw_status, status, amount_kopecks, currency)
      select (9000000000000000 + g)::text, 'C-' || g, 'x', 'held', 100, (array['RUB', 'USD'])[g % 2 + 1]
      from generate_series(1, 40) g`);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('a transaction holding one bill never waits on totals for another bill (no deadlock)', async () => {
    const { db } = database;
    // A single totals row per currency updated in place deadlocks here: the first transaction would
    // hold the RUB row from its first bill, the second would hold bill 3 and wait for the RUB row.
    let firstWroteOne!: () => void;
    const wroteOne = new Promise<void>((resolve) => {
      firstWroteOne = resolve;
    });
    let secondDone!: () => void;
    const secondCommitted = new Promise<void>((resolve) => {
      secondDone = resolve;
    });
    const bill = (n: number) => String(9_000_000_000_000_000 + n);
    const first = db.transaction(async (tx) => {
      await tx
        .update(assistBills)
        .set({ chargedKopecks: 1 })
        .where(eq(assistBills.billNumber, bill(1)));
      firstWroteOne();
      // Were the second blocked behind this transaction, going on after a while lets PostgreSQL's
      // deadlock detector fail one of the two, rather than the test hanging.
      await Promise.race([secondCommitted, new Promise((resolve) => setTimeout(resolve, 3000))]);
      await tx
        .update(assistBills)
        .set({ chargedKopecks: 1 })
        .where(eq(assistBills.billNumber, bill(3)));
    });
    await wroteOne;
    await db.transaction(async (tx) => {
      await tx
        .update(assistBills)
        .set({ chargedKopecks: 2 })
        .where(eq(assistBills.billNumber, bill(3)));
    });
    secondDone();
    await first;
    await expectExact(db);
  });

  it('stays exact with writers and folds racing', async () => {
    const { db } = database;
    const worker = async (seed: number) => {
      for (let round = 0; round < 15; round++) {
        // Each transaction writes several bills of both currencies, in bill order (so the bills' own row
        // locks cannot deadlock): any deadlock left would be the totals'.
        const picks = [
          ...new Set(Array.from({ length: 4 }, (_, i) => ((seed * 7 + round * 3 + i * 11) % 40) + 1)),
        ].sort((a, b) => a - b);
        await db.transaction(async (tx) => {
          for (const n of picks)
            await tx
              .update(assistBills)
              .set({
                status: round % 2 ? 'paid' : 'held',
                chargedKopecks: sql`${assistBills.chargedKopecks} + ${seed + 1}`,
                returnedKopecks: sql`${assistBills.returnedKopecks} + ${round}`,
              })
              .where(eq(assistBills.billNumber, String(9_000_000_000_000_000 + n)));
        });
        if (round % 5 === seed % 5) await foldBillTotals(db);
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, seed) => worker(seed)));
    await expectExact(db);
    await foldBillTotals(db);
    expect(await ledgerRows(db)).toBe(2);
    await expectExact(db);
  });
});
