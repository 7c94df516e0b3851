import { asc, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { assistBills } from '@/lib/payments/schema';
import { useTestDatabase } from '@/lib/testing/hooks';
import { resultRows } from './connect';
import { inList, recordset } from './recordset';
import { testEngines } from './testing';

// Each driver binds the arrays itself (postgres.js, PGlite): both are tested when a server is given.
const engines = testEngines();

const KEYS = [
  'billNumber',
  'orderNumber',
  'orderId',
  'rawStatus',
  'status',
  'amountKopecks',
  'currency',
  'message',
  'testMode',
  'packetDate',
  'flags',
  'raw',
] as const;

/** Text an array literal or JSON could misread: quotes, backslashes, braces, commas, the word NULL. */
const AWKWARD = 'a "quoted", {braced} \\ back\\slash\tNULL\nУспешно ✓';

describe.each(engines)('recordset (%s)', (engine) => {
  const database = useTestDatabase({ engine });

  it('writes every value as the column reads it: text, nulls, bigints, booleans, dates, jsonb', async () => {
    const rows: Array<typeof assistBills.$inferInsert> = [
      {
        billNumber: '1000000000000001',
        orderNumber: AWKWARD,
        orderId: 9_007_199_254_740_991,
        rawStatus: 'NULL',
        status: '',
        amountKopecks: -12_345,
        currency: '{}',
        message: AWKWARD,
        testMode: true,
        packetDate: new Date('2026-11-30T01:02:03.456Z'),
        flags: ['a,b', 'NULL', '"'],
        raw: { note: AWKWARD, empty: '', nested: '{"x": [1]}' },
      },
      {
        billNumber: '1000000000000002',
        orderNumber: 'B2',
        orderId: null,
        rawStatus: 'Approved',
        status: 'paid',
        amountKopecks: null,
        currency: null,
        message: null,
        testMode: false,
        packetDate: null,
        flags: [],
        raw: {},
      },
    ];
    const r = recordset(assistBills, KEYS, rows);
    await database.db.execute(
      sql`insert into assist_bills (${r.columns}) select ${r.columns} from ${r.source}`,
    );
    const stored = await database.db
      .select({
        billNumber: assistBills.billNumber,
        orderNumber: assistBills.orderNumber,
        orderId: assistBills.orderId,
        rawStatus: assistBills.rawStatus,
        status: assistBills.status,
        amountKopecks: assistBills.amountKopecks,
        currency: assistBills.currency,
        message: assistBills.message,
        testMode: assistBills.testMode,
        packetDate: assistBills.packetDate,
        flags: assistBills.flags,
        raw: assistBills.raw,
      })
      .from(assistBills)
      .orderBy(asc(assistBills.billNumber));
    expect(stored).toEqual(rows);
  });

  it('reads the rows back in order, typed, under the alias it is given', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      billNumber: String(i),
      orderNumber: `B${i}`,
      rawStatus: 'Approved',
      status: 'paid',
      amountKopecks: i * 100,
    }));
    const r = recordset(
      assistBills,
      ['billNumber', 'orderNumber', 'rawStatus', 'status', 'amountKopecks'],
      rows,
      'incoming',
    );
    const read = resultRows<{ bill_number: string; amount_kopecks: string; kind: string }>(
      await database.db.execute(
        sql`select incoming.bill_number, incoming.amount_kopecks::text, pg_typeof(incoming.amount_kopecks)::text as kind
            from ${r.source}`,
      ),
    );
    expect(read.map((x) => x.bill_number)).toEqual(rows.map((x) => x.billNumber));
    expect(read.map((x) => x.amount_kopecks)).toEqual(rows.map((x) => String(x.amountKopecks)));
    expect(new Set(read.map((x) => x.kind))).toEqual(new Set(['bigint']));
    expect(r.names).toEqual(['bill_number', 'order_number', 'raw_status', 'status', 'amount_kopecks']);
  });

  it('keyIn matches the rows of the table beside the set on one of its keys, in that key type', async () => {
    const r = recordset(
      assistBills,
      ['billNumber', 'orderId'],
      [
        { billNumber: '1000000000000002', orderId: null },
        { billNumber: 'absent', orderId: 9_007_199_254_740_991 },
      ],
    );
    const matched = async (condition: ReturnType<typeof sql>) =>
      resultRows<{ bill_number: string }>(
        await database.db.execute(sql`select b.bill_number from assist_bills as b where ${condition}`),
      ).map((row) => row.bill_number);
    expect(await matched(r.keyIn('b', 'billNumber'))).toEqual(['1000000000000002']);
    // A bigint beyond what an integer holds: the array is cast to the column's own type.
    expect(await matched(r.keyIn('b', 'orderId'))).toEqual(['1000000000000001']);
  });

  it('inList matches the values given, and nothing for none', async () => {
    const some = await database.db
      .select({ billNumber: assistBills.billNumber })
      .from(assistBills)
      .where(inList(assistBills.billNumber, ['1000000000000002', 'absent', AWKWARD]));
    expect(some).toEqual([{ billNumber: '1000000000000002' }]);
    const none = await database.db
      .select({ billNumber: assistBills.billNumber })
      .from(assistBills)
      .where(inList(assistBills.billNumber, []));
    expect(none).toEqual([]);
  });
});
