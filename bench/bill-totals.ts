/**
 * bench/bill-totals: what the assist_bill_totals triggers (drizzle/0010) cost the writers of bills. The
 * same writes run on PostgreSQL databases that differ only in their triggers: the shipped statement
 * triggers, none (disabled), and a row-level trigger appending the same rows (for comparison only),
 * interleaved round by round, each round starting with another variant, so the machine's load hits all
 * three alike. Prints the median per variant and its ratio to "none".
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx --conditions=react-server bench/bill-totals.ts [--bills 1000] [--rounds 5]
 *
 * Writes: a first sync of the bills (inserts, 500 per statement), a second report moving every bill
 * forward (updates that move money), and 300 one-bill notifications (one short transaction each).
 */
import { sql } from 'drizzle-orm';
import type { GatewayBill } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { recordGatewayBills } from '@/lib/payments/record-bills';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const BILLS = flag('bills', 1000);
const ROUNDS = flag('rounds', 5);
const NOTIFICATIONS = 300;

const VARIANTS = ['statement triggers (shipped)', 'no trigger', 'row-level trigger'] as const;
type Variant = (typeof VARIANTS)[number];
const STEPS = ['first sync', 'second report (updates)', `${NOTIFICATIONS} notifications`] as const;

const SHIPPED = [
  'assist_bill_totals_insert',
  'assist_bill_totals_update',
  'assist_bill_totals_delete',
  'assist_bill_totals_truncate',
];

async function installVariant(db: Db, variant: Variant): Promise<void> {
  if (variant === 'statement triggers (shipped)') return;
  for (const name of SHIPPED) await db.execute(sql.raw(`alter table assist_bills disable trigger ${name}`));
  if (variant === 'no trigger') return;
  await db.execute(
    sql.raw(`create function bench_totals_row() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into assist_bill_totals (currency, bills, held_kopecks, charged_kopecks, returned_kopecks)
        values (coalesce(old.currency, ''), -1,
          case when old.status = 'held' then -coalesce(old.amount_kopecks, 0) else 0 end,
          -old.charged_kopecks, -old.returned_kopecks);
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        insert into assist_bill_totals (currency, bills, held_kopecks, charged_kopecks, returned_kopecks)
        values (coalesce(new.currency, ''), 1,
          case when new.status = 'held' then coalesce(new.amount_kopecks, 0) else 0 end,
          new.charged_kopecks, new.returned_kopecks);
      end if;
      return null;
    end $$`),
  );
  await db.execute(
    sql.raw(`create trigger bench_totals_row after insert or update or delete on assist_bills
      for each row execute function bench_totals_row()`),
  );
}

function report(stage: 'held' | 'paid'): GatewayBill[] {
  return Array.from({ length: BILLS }, (_, i) => {
    const billNumber = String(5_960_911_000_000_000 + i);
    const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000);
    const op = (n: number, kind: 'payment' | 'charge', rawKind: string) => ({
      operationId: `${billNumber}.${n}`,
      kind,
      rawKind,
      outcome: 'success' as const,
      rawOutcome: 'Success',
      amountKopecks: 500_000,
      currency: 'RUB',
      at: new Date(at.getTime() + n * 1000),
      responseCode: 'AS000',
      message: 'Успешно',
      maskedCard: '411111****1111',
      approvalCode: '123456',
    });
    return {
      billNumber,
      orderNumber: `T${i}`,
      status: stage,
      rawStatus: stage === 'held' ? 'Delayed' : 'Approved',
      amountKopecks: 500_000,
      currency: 'RUB',
      testMode: false,
      packetDate: new Date(at.getTime() + (stage === 'held' ? 10_000 : 20_000)),
      responseCode: 'AS000',
      message: 'Успешно',
      maskedCard: '411111****1111',
      operations:
        stage === 'held' ? [op(1, 'payment', '100')] : [op(1, 'payment', '100'), op(2, 'charge', '200')],
      raw: { billnumber: billNumber, orderstate: stage },
    };
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function round(variant: Variant): Promise<number[]> {
  const database: TestDatabase = await createTestDatabase({ engine: 'postgres' });
  try {
    const { db } = database;
    await installVariant(db, variant);
    const held = report('held');
    const paid = report('paid');
    const ctx = { source: 'sync' as const, testPaymentsCount: false };
    const first = await timed(() => recordGatewayBills(db, held, ctx));
    const second = await timed(() => recordGatewayBills(db, paid, ctx));
    // Notifications repeating what is stored change nothing: make each one move a bill forward.
    await db.execute(
      sql`update assist_bills set status = 'held', charged_kopecks = 0 where id <= ${NOTIFICATIONS}`,
    );
    const third = await timed(async () => {
      for (const bill of paid.slice(0, NOTIFICATIONS))
        await recordGatewayBills(
          db,
          [{ ...bill, packetDate: new Date((bill.packetDate?.getTime() ?? 0) + 1000) }],
          {
            source: 'notification',
            testPaymentsCount: false,
          },
        );
    });
    const [check] = (await db.execute(sql`
      select (select count(*) from assist_bill_totals) as rows,
        (select sum(charged_kopecks) from assist_bill_totals) as ledger,
        (select sum(charged_kopecks) from assist_bills) as bills`)) as unknown as Array<
      Record<string, string>
    >;
    if (variant !== 'no trigger' && String(check?.ledger) !== String(check?.bills))
      throw new Error(`${variant}: totals ${check?.ledger} ≠ bills ${check?.bills}`);
    console.error(`  ${variant}: ${JSON.stringify(check)}`);
    return [first, second, third];
  } finally {
    await database.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
  }
  console.log(`${BILLS} bills, ${ROUNDS} rounds, variants interleaved`);
  const samples = new Map<Variant, number[][]>(VARIANTS.map((v) => [v, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Each round starts with another variant: no variant always runs first (or last) in a round.
    for (let k = 0; k < VARIANTS.length; k++) {
      const variant = VARIANTS[(r + k) % VARIANTS.length] as Variant;
      samples.get(variant)?.push(await round(variant));
    }
  }
  const none = samples.get('no trigger') ?? [];
  console.log(`| step | ${VARIANTS.join(' | ')} |\n| --- |${' ---: |'.repeat(VARIANTS.length)}`);
  STEPS.forEach((step, i) => {
    const base = median(none.map((s) => s[i] ?? Number.NaN));
    const cells = VARIANTS.map((v) => {
      const m = median((samples.get(v) ?? []).map((s) => s[i] ?? Number.NaN));
      return `${(m / 1000).toFixed(2)} s (${(m / base).toFixed(2)}×)`;
    });
    console.log(`| ${step} | ${cells.join(' | ')} |`);
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
