import { asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GatewayBill } from '@/lib/assist';
import { testEngines, testServerUrl } from '@/lib/db/testing';
import { testBill, testOperation } from '@/lib/testing/gateway-records';
import { useTestDatabase } from '@/lib/testing/hooks';
import { billToRow, operationToRow } from './bill-rows';
import { loadBills, recordGatewayBills, writeBills, writeOperations } from './record-bills';
import type { OrderLinks, RecordContext } from './record-plan';
import { assistBillChanges, assistBills, assistOperations } from './schema';

const engines = testEngines();
const NOW = new Date('2026-03-05T12:00:00Z');
const ctx: RecordContext = { source: 'sync', testPaymentsCount: false };
const links: OrderLinks = { idByNumber: new Map(), twoStage: new Set() };

const op = testOperation;
const bill = (billNumber: string, extra: Partial<GatewayBill> = {}) =>
  testBill(billNumber, { orderNumber: 'X-1', ...extra });

describe.each(engines)('recording steps, each on its own (%s)', (engine) => {
  const database = useTestDatabase({ engine });
  beforeEach(async () => {
    await database.db.execute(
      sql`truncate assist_bills, assist_operations, assist_bill_changes, orders cascade`,
    );
  });
  const db = () => database.db;
  const store = async (b: GatewayBill) => {
    await db()
      .insert(assistBills)
      .values(billToRow(b, { orderId: null, heldSince: null, flags: ['amount_mismatch'] }));
    await db()
      .insert(assistOperations)
      .values(b.operations.map((o) => operationToRow(b.billNumber, o)));
  };

  it('load: an absent bill is created at once, a stored one comes back with its operations', async () => {
    await store(bill('100'));
    const { created, stored } = await db().transaction((tx) =>
      loadBills(tx, [bill('100'), bill('200', { status: 'held', rawStatus: 'Delayed' })], links, ctx, NOW),
    );
    expect(created.map((b) => b.billNumber)).toEqual(['200']);
    expect(stored.map((s) => [s.row.billNumber, s.operations.map((o) => o.operationId)])).toEqual([
      ['100', ['100.1']],
    ]);
    expect(stored[0]?.incoming.billNumber).toBe('100');
    const row = await db().query.assistBills.findFirst({ where: eq(assistBills.billNumber, '200') });
    expect(row).toMatchObject({ status: 'held', heldSince: NOW });
  });

  it('write bills: merged fields replace the stored ones; flags and first sight stay', async () => {
    await store(bill('100'));
    const before = await db().query.assistBills.findFirst({ where: eq(assistBills.billNumber, '100') });
    const merged = billToRow(bill('100', { status: 'refunded', rawStatus: 'Canceled', message: 'back' }), {
      orderId: null,
      heldSince: null,
      flags: [],
      checkedAt: NOW,
    });
    await db().transaction((tx) => writeBills(tx, [{ ...merged, updatedAt: NOW }]));
    const after = await db().query.assistBills.findFirst({ where: eq(assistBills.billNumber, '100') });
    expect(after).toMatchObject({
      status: 'refunded',
      rawStatus: 'Canceled',
      message: 'back',
      checkedAt: NOW,
      updatedAt: NOW,
      flags: ['amount_mismatch'],
      firstSeenAt: before?.firstSeenAt,
    });
  });

  it('write operations: new ones are added, a pending one takes its outcome, a finished one is never rewritten', async () => {
    await store(
      bill('100', {
        operations: [op('100', { outcome: 'success' }), op('100.2', { kind: 'cancel', outcome: 'pending' })],
      }),
    );
    await db().transaction((tx) =>
      writeOperations(tx, {
        supersededOperations: ['100'],
        newOperations: [operationToRow('100', op('100.1'))],
        settledOperations: [
          operationToRow('100', op('100.2', { kind: 'cancel', outcome: 'success', amountKopecks: 1 })),
        ],
      }),
    );
    // Named new although stored: the plain insert fails and the upsert decides, rewriting nothing finished.
    await db().transaction((tx) =>
      writeOperations(tx, {
        supersededOperations: [],
        newOperations: [operationToRow('100', op('100.1', { outcome: 'failed' }))],
        settledOperations: [operationToRow('100', op('100.2', { kind: 'cancel', outcome: 'failed' }))],
      }),
    );
    const rows = await db()
      .select({
        id: assistOperations.operationId,
        outcome: assistOperations.outcome,
        amount: assistOperations.amountKopecks,
      })
      .from(assistOperations)
      .orderBy(asc(assistOperations.operationId));
    expect(rows).toEqual([
      { id: '100.1', outcome: 'success', amount: 150_000 },
      { id: '100.2', outcome: 'success', amount: 1 },
    ]);
  });

  it('write operations: a new operation whose number another bill holds goes through the upsert, and the batch is written', async () => {
    await store(bill('100', { operations: [op('100.1', { outcome: 'pending' })] }));
    await db().transaction(async (tx) => {
      await writeOperations(tx, {
        supersededOperations: [],
        newOperations: [
          operationToRow('200', op('200.1')),
          operationToRow('200', op('100.1', { outcome: 'failed', amountKopecks: 7 })),
          operationToRow('200', op('200.2', { kind: 'cancel' })),
        ],
        settledOperations: [],
      });
      // The transaction goes on after the rolled-back attempt.
      await tx.execute(sql`select 1`);
    });
    const rows = await db()
      .select({
        id: assistOperations.operationId,
        bill: assistOperations.billNumber,
        outcome: assistOperations.outcome,
      })
      .from(assistOperations)
      .orderBy(asc(assistOperations.operationId));
    // As the upsert always decided: the pending row took the outcome, under its own bill.
    expect(rows).toEqual([
      { id: '100.1', bill: '100', outcome: 'failed' },
      { id: '200.1', bill: '200', outcome: 'success' },
      { id: '200.2', bill: '200', outcome: 'success' },
    ]);
  });

  it('repeats: an unchanged re-read writes nothing and is only marked checked; a changed one is merged', async () => {
    const pending = bill('100', {
      status: 'in_process',
      rawStatus: 'In Process',
      operations: [op('100.1', { outcome: 'pending' })],
    });
    await recordGatewayBills(db(), [pending, bill('200')], ctx);
    const history = async () => (await db().select().from(assistBillChanges)).length;
    expect(await history()).toBe(2);

    const again = await recordGatewayBills(db(), [pending, bill('200')], { ...ctx, checked: true });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await history()).toBe(2);
    const checked = await db().select({ at: assistBills.checkedAt }).from(assistBills);
    expect(checked.every((r) => r.at !== null)).toBe(true);

    // Same bill fields, but its operation finished: not a repeat.
    const finished = { ...pending, operations: [op('100.1')] };
    expect(await recordGatewayBills(db(), [finished], ctx)).toMatchObject({ updated: 1, unchanged: 0 });
    const [stored] = await db()
      .select()
      .from(assistOperations)
      .where(eq(assistOperations.operationId, '100.1'));
    expect(stored?.outcome).toBe('success');
  });

  it('repeats: an unlinked bill whose order has appeared since is linked on the next re-read', async () => {
    await recordGatewayBills(db(), [bill('100', { orderNumber: 'A-7' })], ctx);
    await db().execute(sql`insert into orders
        (public_id, order_number, subtotal_kopecks, total_kopecks, last_name, first_name, email, expires_at)
      values ('p-a-7', 'A-7', 150000, 150000, 'Иванов', 'Иван', 'ivan@example.ru', now() + interval '1 day')`);
    const again = await recordGatewayBills(db(), [bill('100', { orderNumber: 'A-7' })], ctx);
    expect(again).toMatchObject({ updated: 1, unchanged: 0 });
    expect(again.statusChanges).toMatchObject([{ orderNumber: 'A-7', to: 'paid' }]);
  });
});

describe.runIf(testServerUrl())('recording while another transaction writes the same bill (postgres)', () => {
  const database = useTestDatabase({ engine: 'postgres' });

  it('load: a bill another transaction creates meanwhile is locked and merged, not created twice', async () => {
    const { db } = database;
    let othersInserted!: () => void;
    const inserted = new Promise<void>((resolve) => {
      othersInserted = resolve;
    });
    let releaseOther!: () => void;
    const release = new Promise<void>((resolve) => {
      releaseOther = resolve;
    });
    const other = db.transaction(async (tx) => {
      await tx
        .insert(assistBills)
        .values(billToRow(bill('300'), { orderId: null, heldSince: null, flags: [] }));
      othersInserted();
      await release;
    });
    await inserted;
    // The load does not see the uncommitted bill, so it tries to create it and waits on the other's
    // row; once that commits, the bill is stored and must come back locked, with nothing created.
    const loading = db.transaction((tx) => loadBills(tx, [bill('300'), bill('301')], links, ctx, NOW));
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseOther();
    await other;
    const { created, stored } = await loading;
    expect(created.map((b) => b.billNumber)).toEqual(['301']);
    expect(stored.map((s) => s.row.billNumber)).toEqual(['300']);
    const rows = await db
      .select({ n: assistBills.billNumber })
      .from(assistBills)
      .orderBy(asc(assistBills.billNumber));
    expect(rows).toEqual([{ n: '300' }, { n: '301' }]);
  });
});
