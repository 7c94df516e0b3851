/**
 * The admin bill list on 1,000,000 bills: p50/p95 of the page queries (first page, a page 10,000 rows
 * deep by keyset cursor, filtered pages, searches), the totals separately, and EXPLAIN ANALYZE of each.
 * Run: npx tsx bench/admin-list.ts with TEST_DATABASE_URL (or DATABASE_URL) naming a PostgreSQL server;
 * it creates and drops its own database `bench_admin_list` there.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Filters = import('../lib/payments/bill-queries/list').BillFilters;
type Cursor = import('../lib/payments/bill-queries/list').BillCursor;

const ROWS = 1_000_000;
const RUNS = 40;
const WARMUP = 5;

async function main(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error(
      'Set TEST_DATABASE_URL (or DATABASE_URL) to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres',
    );
    process.exit(2);
  }

  const { default: postgres } = await import('postgres');
  const { sql } = await import('drizzle-orm');
  const { openDatabase } = await import('../lib/db/connect');
  const bills = await import('../lib/payments/bill-queries/list');
  const { exportBillsCsv } = await import('../lib/payments/bill-queries/export');

  const NAME = 'bench_admin_list';
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${NAME}" with (force)`);
  await admin.unsafe(`create database "${NAME}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${NAME}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() }, { poolSize: 4 });
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });

  function ms(start: bigint): number {
    return Number(process.hrtime.bigint() - start) / 1e6;
  }

  function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  }

  async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
    for (let i = 0; i < WARMUP; i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      await fn();
      samples.push(ms(start));
    }
    samples.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(44)} p50 ${percentile(samples, 50).toFixed(2).padStart(8)} ms   p95 ${percentile(samples, 95).toFixed(2).padStart(8)} ms`,
    );
  }

  async function explain(
    label: string,
    query: { toSQL(): { sql: string; params: unknown[] } },
  ): Promise<void> {
    const { sql: text, params } = query.toSQL();
    const plan = await raw.unsafe(
      `explain (analyze, buffers, costs off, timing off) ${text}`,
      params as never[],
    );
    console.log(`\n-- ${label}`);
    for (const row of plan) console.log(`   ${String(row['QUERY PLAN'])}`);
  }

  try {
    console.log(`migrating ${NAME} …`);
    await database.migrate();
    let start = process.hrtime.bigint();
    // Ten statuses in realistic proportions, a year of history, newest bills with the smallest g.
    await database.db.execute(
      sql.raw(`
    insert into assist_bills (bill_number, order_number, raw_status, status, amount_kopecks, currency,
      charged_kopecks, returned_kopecks, response_code, masked_card, test_mode, packet_date, first_seen_at, flags)
    select (5960911000000000 + g)::text,
      'B-' || (g / 2),
      (array['Approved','Approved','Approved','Approved','Approved','Approved','Approved','Approved','Approved',
             'Approved','Approved','Approved','Declined','Declined','Declined','Delayed','In Process','In Process',
             'Canceled','PartialCanceled'])[g % 20 + 1],
      (array['paid','paid','paid','paid','paid','paid','paid','paid','paid','paid','paid','paid',
             'declined','declined','declined','held','in_process','in_process','refunded','partially_refunded'])[g % 20 + 1],
      100000 + (g % 500) * 100,
      'RUB',
      case when g % 20 < 12 or g % 20 >= 18 then 100000 + (g % 500) * 100 else 0 end,
      case when g % 20 = 18 then 100000 + (g % 500) * 100 when g % 20 = 19 then 50000 else 0 end,
      case when g % 20 between 12 and 14 then (array['AS100','AS102','AS105'])[g % 3 + 1]
           when g % 20 in (16, 17) then null else 'AS000' end,
      '411111****' || lpad((g % 10000)::text, 4, '0'),
      g % 23 = 0,
      now() - make_interval(secs => g * 31.5),
      now() - make_interval(secs => g * 31.5 + (g % 7)),
      case when g % 997 = 0 then '["double_payment"]'::jsonb else '[]'::jsonb end
    from generate_series(1, ${ROWS}) g
  `),
    );
    console.log(`inserted ${ROWS.toLocaleString('en')} bills in ${(ms(start) / 1000).toFixed(1)} s`);
    start = process.hrtime.bigint();
    await database.db.execute(sql`analyze assist_bills`);
    console.log(`analyze: ${(ms(start) / 1000).toFixed(1)} s\n`);

    const db = database.db;
    const deep = await bills.listBills(db, {}, { limit: 10_000 });
    if (!deep.next) throw new Error('no cursor 10,000 rows deep');
    const cursor = deep.next;
    const declinedDeep = (await bills.listBills(db, { status: 'declined' }, { limit: 10_000 })).next;

    const pages: Array<[string, Filters, Cursor | null]> = [
      ['first page (50 rows)', {}, null],
      ['page 10,000 rows deep (keyset)', {}, cursor],
      ['filtered: status=declined', { status: 'declined' }, null],
      ['filtered: status=declined, 10,000 deep', { status: 'declined' }, declinedDeep],
      ['filtered: code=AS102', { code: 'AS102' }, null],
      ['filtered: held, test=no, last 30 days', { status: 'held', test: 'no', from: isoDaysAgo(30) }, null],
      ['filtered: flag=double_payment', { flag: 'double_payment' }, null],
      ['search: exact bill number', { q: '5960911000123456' }, null],
      ['search: order number prefix B-12345', { q: 'B-12345' }, null],
    ];
    for (const [label, filters, after] of pages)
      await time(label, () => bills.listBills(db, filters, { after }));
    console.log('');
    const totals: Array<[string, Filters]> = [
      ['totals: everything', {}],
      ['totals: status=declined', { status: 'declined' }],
      ['totals: last 30 days', { from: isoDaysAgo(30) }],
      ['totals: search B-12345', { q: 'B-12345' }],
    ];
    for (const [label, filters] of totals) await time(label, () => bills.billTotals(db, filters));

    start = process.hrtime.bigint();
    let lines = 0;
    for await (const chunk of exportBillsCsv(db, { from: isoDaysAgo(30) }))
      lines += chunk.split('\r\n').length - 1;
    console.log(
      `\nCSV export, last 30 days: ${lines.toLocaleString('en')} lines in ${ms(start).toFixed(0)} ms`,
    );

    for (const [label, filters, after] of pages)
      await explain(label, bills.billPageQuery(db, filters, { after }));
    await explain('totals: status=declined', bills.billTotalsQuery(db, { status: 'declined' }));
  } finally {
    await database.close();
    await raw.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists "${NAME}" with (force)`);
    await admin.end({ timeout: 5 });
  }
}

function isoDaysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

// lib/payments/bill-queries is a server module (`server-only`): re-run under the react-server condition.
if (process.env.BENCH_ADMIN_LIST_CHILD) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  const child = spawnSync(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', fileURLToPath(import.meta.url)],
    { stdio: 'inherit', env: { ...process.env, BENCH_ADMIN_LIST_CHILD: '1' } },
  );
  process.exit(child.status ?? 1);
}
