import 'server-only';
import { and, desc, eq, gte, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { PAYMENT_STATUSES, type PaymentStatus } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { assistBills } from '@/lib/db/schema';
import { parseSearchParams, type SearchParams } from '@/lib/http/search-params';
import { dayStartIn, shopTimeZone } from '@/lib/shop/time-zone';
import { allBillTotals, type BillTotals, toBillTotals } from '../bill-totals';

/**
 * Staff's reads of the shop's record of bills (this folder: the list here, the CSV export, bill and order
 * detail, the dashboard strip; acting on a bill is admin-actions.ts). The list pages by keyset
 * (first_seen_at, id), never OFFSET, so page 10,000 costs what page 1 does; totals are a separate query
 * over the same filters.
 */

export const PAGE_SIZE = 50;

/** A real calendar day (`2026-13-45` matches the shape but is no date: it is dropped, not thrown on). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  });
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** The list's GET parameters; anything malformed is dropped rather than failing the page. */
export const billFiltersSchema = z.object({
  status: z.preprocess(
    emptyToUndefined,
    z.enum(PAYMENT_STATUSES as [PaymentStatus, ...PaymentStatus[]]).optional(),
  ),
  code: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,10}$/)
      .optional(),
  ),
  from: z.preprocess(emptyToUndefined, isoDate.optional()),
  to: z.preprocess(emptyToUndefined, isoDate.optional()),
  test: z.preprocess(emptyToUndefined, z.enum(['yes', 'no']).optional()),
  flag: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z_]{1,40}$/)
      .optional(),
  ),
  q: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,64}$/)
      .optional(),
  ),
});
export type BillFilters = z.infer<typeof billFiltersSchema>;

export function parseBillFilters(params: SearchParams): BillFilters {
  return parseSearchParams(billFiltersSchema, params);
}

/** Dates typed into the filters and the per-day chart are days in the shop's time zone. */
export function dayStart(date: string): Date {
  return dayStartIn(date, shopTimeZone());
}

/** The smallest string above every string starting with `prefix` (byte order, as text_pattern_ops sorts). */
function prefixUpperBound(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function prefixMatch(column: typeof assistBills.billNumber | typeof assistBills.orderNumber, q: string): SQL {
  // Operators of text_pattern_ops, so the prefix index is used even with the value as a parameter.
  return sql`(${column} ~>=~ ${q} and ${column} ~<~ ${prefixUpperBound(q)})`;
}

export function billWhere(filters: BillFilters): SQL | undefined {
  const parts: SQL[] = [];
  if (filters.status) parts.push(eq(assistBills.status, filters.status));
  if (filters.code) parts.push(eq(assistBills.responseCode, filters.code.toUpperCase()));
  if (filters.from) parts.push(gte(assistBills.firstSeenAt, dayStart(filters.from)));
  if (filters.to)
    parts.push(lt(assistBills.firstSeenAt, new Date(dayStart(filters.to).getTime() + 86_400_000)));
  if (filters.test === 'yes') parts.push(eq(assistBills.testMode, true));
  if (filters.test === 'no') parts.push(sql`${assistBills.testMode} is not true`);
  if (filters.flag) parts.push(sql`${assistBills.flags} ? ${filters.flag}`);
  if (filters.q) {
    const match = or(
      prefixMatch(assistBills.billNumber, filters.q),
      prefixMatch(assistBills.orderNumber, filters.q),
    );
    if (match) parts.push(match);
  }
  return parts.length > 0 ? and(...parts) : undefined;
}

/** Position after a row: its first_seen_at to the microsecond (a JS Date would lose them) and its id. */
export type BillCursor = { at: string; id: number };

export function encodeCursor(cursor: BillCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(value: string | undefined): BillCursor | null {
  if (!value || value.length > 200) return null;
  const [at, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (!at || !id || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at) || !/^\d{1,18}$/.test(id))
    return null;
  const n = Number(id);
  return Number.isSafeInteger(n) ? { at, id: n } : null;
}

const cursorAt = sql<string>`to_char(${assistBills.firstSeenAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const listColumns = {
  id: assistBills.id,
  billNumber: assistBills.billNumber,
  orderNumber: assistBills.orderNumber,
  orderId: assistBills.orderId,
  status: assistBills.status,
  rawStatus: assistBills.rawStatus,
  amountKopecks: assistBills.amountKopecks,
  currency: assistBills.currency,
  chargedKopecks: assistBills.chargedKopecks,
  returnedKopecks: assistBills.returnedKopecks,
  responseCode: assistBills.responseCode,
  message: assistBills.message,
  maskedCard: assistBills.maskedCard,
  testMode: assistBills.testMode,
  flags: assistBills.flags,
  packetDate: assistBills.packetDate,
  firstSeenAt: assistBills.firstSeenAt,
  cursorAt,
};

function selectBills(db: Db, where: SQL | undefined, limit: number) {
  return db
    .select(listColumns)
    .from(assistBills)
    .where(where)
    .orderBy(desc(assistBills.firstSeenAt), desc(assistBills.id))
    .limit(limit);
}

export type BillListRow = Awaited<ReturnType<typeof selectBills>>[number];

export type BillPage = { rows: BillListRow[]; next: BillCursor | null };

/** The page query itself (limit + 1 rows, the extra one tells whether a next page exists); EXPLAIN-able. */
export function billPageQuery(
  db: Db,
  filters: BillFilters,
  options: { after?: BillCursor | null; limit?: number } = {},
) {
  const after = options.after
    ? sql`(${assistBills.firstSeenAt}, ${assistBills.id}) < (${options.after.at}::timestamptz, ${options.after.id})`
    : undefined;
  return selectBills(db, and(billWhere(filters), after), (options.limit ?? PAGE_SIZE) + 1);
}

/** One page, newest first, strictly after `after`. */
export async function listBills(
  db: Db,
  filters: BillFilters,
  options: { after?: BillCursor | null; limit?: number } = {},
): Promise<BillPage> {
  const limit = options.limit ?? PAGE_SIZE;
  const rows = await billPageQuery(db, filters, options);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { at: last.cursorAt, id: last.id } : null };
}

/**
 * Count and sums of the whole filtered set per outcome (charged, held, returned) and currency (never
 * added across currencies). A bill's asked amount counts nowhere: declined and expired bills moved no
 * money.
 */
export function billTotalsQuery(db: Db, filters: BillFilters) {
  return db
    .select({
      currency: sql<string>`coalesce(${assistBills.currency}, '')`,
      count: sql<number>`count(*)::int`,
      held: sql<string>`coalesce(sum(${assistBills.amountKopecks}) filter (where ${assistBills.status} = 'held'), 0)::text`,
      charged: sql<string>`coalesce(sum(${assistBills.chargedKopecks}), 0)::text`,
      returned: sql<string>`coalesce(sum(${assistBills.returnedKopecks}), 0)::text`,
    })
    .from(assistBills)
    .where(billWhere(filters))
    .groupBy(sql`1`)
    .orderBy(sql`1`);
}

/** The list's totals: unfiltered from the summary the triggers keep, filtered by summing the bills. */
export async function billTotals(db: Db, filters: BillFilters): Promise<BillTotals> {
  if (!billWhere(filters)) return allBillTotals(db);
  return toBillTotals(await billTotalsQuery(db, filters));
}
