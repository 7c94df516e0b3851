import 'server-only';
import { asc, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { assistBillTotals } from './schema';

/**
 * The bill list's totals over all bills, read from `assist_bill_totals` (kept by triggers on
 * `assist_bills`, see its comment in ./schema.ts) instead of summing a million bills on every page
 * view. A filtered list still sums its bills: only the unfiltered totals come from here.
 */

export type BillTotals = {
  count: number;
  byCurrency: Array<{
    currency: string;
    /** Taken from the card and kept (refunds not subtracted: they are `returnedKopecks`). */
    chargedKopecks: number;
    /** Blocked on the card, awaiting a charge or a cancel: bills in `held`. */
    heldKopecks: number;
    returnedKopecks: number;
  }>;
};

/**
 * Appended rows a read tolerates before folding them: summing a few hundred rows costs well under a
 * millisecond, and between page views a busy sync appends one row per statement that moved money.
 */
export const FOLD_AFTER = 200;

/** Sums per currency and the number of appended rows behind them; EXPLAIN-able. */
export function billTotalsSummaryQuery(db: Db) {
  const t = assistBillTotals;
  return db
    .select({
      currency: t.currency,
      count: sql<string>`sum(${t.bills})::text`,
      held: sql<string>`sum(${t.heldKopecks})::text`,
      charged: sql<string>`sum(${t.chargedKopecks})::text`,
      returned: sql<string>`sum(${t.returnedKopecks})::text`,
      rows: sql<number>`count(*)::int`,
    })
    .from(t)
    .groupBy(t.currency)
    .orderBy(asc(t.currency));
}

/** Count and per-currency sums of every bill, as the unfiltered bill list shows them. */
export async function allBillTotals(db: Db): Promise<BillTotals> {
  const rows = await billTotalsSummaryQuery(db);
  if (rows.reduce((n, r) => n + r.rows, 0) > FOLD_AFTER) await foldBillTotals(db);
  // A currency whose last bill was deleted sums to zero bills: it is not a currency of any bill.
  const present = rows.filter((r) => r.count !== '0');
  return {
    count: present.reduce((n, r) => n + Number(r.count), 0),
    byCurrency: present.map((r) => ({
      currency: r.currency,
      chargedKopecks: Number(r.charged),
      heldKopecks: Number(r.held),
      returnedKopecks: Number(r.returned),
    })),
  };
}

/**
 * Collapses the appended rows into one per currency in a single statement, so every reader sees either
 * the rows or their sum. Rows appended meanwhile are not in the statement's snapshot and stay; a
 * concurrent fold skips the rows this one deleted, so each row is summed exactly once.
 */
export async function foldBillTotals(db: Db): Promise<void> {
  await db.execute(sql`
    with gone as (delete from ${assistBillTotals} returning *)
    insert into ${assistBillTotals} (currency, bills, held_kopecks, charged_kopecks, returned_kopecks)
    select currency, sum(bills), sum(held_kopecks), sum(charged_kopecks), sum(returned_kopecks)
    from gone
    group by currency
    having sum(bills) <> 0 or sum(held_kopecks) <> 0 or sum(charged_kopecks) <> 0
      or sum(returned_kopecks) <> 0`);
}
