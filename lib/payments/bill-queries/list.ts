import 'server-only';
import { and, asc, desc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { actualStatus, formatAmount, PAYMENT_STATUSES, type PaymentStatus } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import {
  adminActions,
  assistBillChanges,
  assistBills,
  assistOperations,
  assistSyncRuns,
  leases,
  orders,
} from '@/lib/db/schema';
import { parseSearchParams, type SearchParams } from '@/lib/http/search-params';
import { dayIn, dayStartIn, shopTimeZone } from '@/lib/shop/time-zone';

/**
 * Staff queries over the shop's record of bills. The list pages by keyset (first_seen_at, id), never
 * OFFSET, so page 10,000 costs what page 1 does; totals are a separate query over the same filters.
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
function dayStart(date: string): Date {
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

export async function billTotals(db: Db, filters: BillFilters): Promise<BillTotals> {
  const rows = await billTotalsQuery(db, filters);
  return {
    count: rows.reduce((n, r) => n + Number(r.count), 0),
    byCurrency: rows.map((r) => ({
      currency: r.currency,
      chargedKopecks: Number(r.charged),
      heldKopecks: Number(r.held),
      returnedKopecks: Number(r.returned),
    })),
  };
}

/**
 * A spreadsheet opens a cell starting with = + - @ (or a tab / carriage return before one) as a
 * formula: prefix a quote so a customer-controlled value cannot run in staff's Excel.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const CSV_COLUMNS = [
  'bill_number',
  'order_number',
  'first_seen_at',
  'packet_date',
  'status',
  'raw_status',
  'amount',
  'currency',
  'charged',
  'returned',
  'response_code',
  'message',
  'card',
  'test_mode',
  'flags',
] as const;

function csvRow(r: BillListRow): string {
  const money = (k: number | null) => (k === null ? '' : formatAmount(k));
  return [
    r.billNumber,
    r.orderNumber,
    r.firstSeenAt.toISOString(),
    r.packetDate?.toISOString() ?? '',
    r.status,
    r.rawStatus,
    money(r.amountKopecks),
    r.currency,
    money(r.chargedKopecks),
    money(r.returnedKopecks),
    r.responseCode,
    r.message,
    r.maskedCard,
    r.testMode === null ? '' : r.testMode ? '1' : '0',
    r.flags.join(' '),
  ]
    .map(csvCell)
    .join(';');
}

/** The filtered set as `;`-separated CSV lines (header first), read in keyset batches: memory stays flat. */
export async function* exportBillsCsv(
  db: Db,
  filters: BillFilters,
  batchSize = 1000,
): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(';')}\r\n`;
  let after: BillCursor | null = null;
  do {
    const page: BillPage = await listBills(db, filters, { after, limit: batchSize });
    if (page.rows.length > 0) yield `${page.rows.map(csvRow).join('\r\n')}\r\n`;
    after = page.next;
  } while (after);
}

export type BillRow = typeof assistBills.$inferSelect;
export type OperationRow = typeof assistOperations.$inferSelect;
export type ChangeRow = typeof assistBillChanges.$inferSelect;
export type AdminActionRow = typeof adminActions.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;

export type OrderBills = {
  order: OrderRow | null;
  bills: Array<BillRow & { actual: boolean }>;
  status: ReturnType<typeof actualStatus>['status'] | null;
  anomalies: ReturnType<typeof actualStatus>['anomalies'];
};

async function orderBills(db: Db, orderNumber: string, testPaymentsCount: boolean): Promise<OrderBills> {
  const [order] = await db.select().from(orders).where(eq(orders.orderNumber, orderNumber));
  const bills = await db
    .select()
    .from(assistBills)
    .where(eq(assistBills.orderNumber, orderNumber))
    .orderBy(desc(assistBills.firstSeenAt), desc(assistBills.id));
  if (!order)
    return { order: null, bills: bills.map((b) => ({ ...b, actual: false })), status: null, anomalies: [] };
  const verdict = actualStatus(
    { amountKopecks: order.totalKopecks, currency: order.currency, testPaymentsCount },
    bills.map((b) => ({ ...b, status: b.status as PaymentStatus })),
  );
  return {
    order,
    bills: bills.map((b) => ({ ...b, actual: b.billNumber === verdict.actualBill?.billNumber })),
    status: verdict.status,
    anomalies: verdict.anomalies,
  };
}

export type BillDetail = {
  bill: BillRow;
  operations: OperationRow[];
  changes: ChangeRow[];
  actions: AdminActionRow[];
  order: OrderBills;
};

export async function getBillDetail(
  db: Db,
  billNumber: string,
  testPaymentsCount: boolean,
): Promise<BillDetail | null> {
  const [bill] = await db.select().from(assistBills).where(eq(assistBills.billNumber, billNumber));
  if (!bill) return null;
  const [operations, changes, actions, order] = await Promise.all([
    db
      .select()
      .from(assistOperations)
      .where(eq(assistOperations.billNumber, billNumber))
      .orderBy(sql`${assistOperations.at} asc nulls first`, asc(assistOperations.id)),
    db
      .select()
      .from(assistBillChanges)
      .where(eq(assistBillChanges.billNumber, billNumber))
      .orderBy(desc(assistBillChanges.id)),
    db
      .select()
      .from(adminActions)
      .where(eq(adminActions.billNumber, billNumber))
      .orderBy(desc(adminActions.id)),
    orderBills(db, bill.orderNumber, testPaymentsCount),
  ]);
  return { bill, operations, changes, actions, order };
}

export type OrderDetail = OrderBills & {
  changes: ChangeRow[];
  actions: AdminActionRow[];
};

/** An order (ours or only known from the gateway) with all its bills, their history and staff actions. */
export async function getOrderDetail(
  db: Db,
  orderNumber: string,
  testPaymentsCount: boolean,
): Promise<OrderDetail | null> {
  const found = await orderBills(db, orderNumber, testPaymentsCount);
  if (!found.order && found.bills.length === 0) return null;
  const numbers = found.bills.map((b) => b.billNumber);
  if (numbers.length === 0) return { ...found, changes: [], actions: [] };
  const [changes, actions] = await Promise.all([
    db
      .select()
      .from(assistBillChanges)
      .where(inArray(assistBillChanges.billNumber, numbers))
      .orderBy(desc(assistBillChanges.id))
      .limit(500),
    db
      .select()
      .from(adminActions)
      .where(inArray(adminActions.billNumber, numbers))
      .orderBy(desc(adminActions.id)),
  ]);
  return { ...found, changes, actions };
}

export type DayStat = { day: string; paidKopecks: number; declined: number };

export type DashboardStats = {
  lastRun: typeof assistSyncRuns.$inferSelect | null;
  /** When the next sync may start; null when one may start now. */
  nextAllowedAt: Date | null;
  running: boolean;
  days: DayStat[];
};

/**
 * The dashboard strip: the last report sync, when the throttle lets the next one start, and per
 * shop's day of the last 30 the money taken (charged, RUB only) and the number of declined bills.
 */
export async function dashboardStats(
  db: Db,
  options: { syncLease: string; minIntervalSeconds: number; now?: Date },
): Promise<DashboardStats> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - 29 * 86_400_000);
  const zone = shopTimeZone();
  const sinceDay = dayIn(since, zone);
  const day = sql<string>`to_char(${assistBills.firstSeenAt} at time zone ${zone}, 'YYYY-MM-DD')`;
  const [[lastRun], [lease], perDay] = await Promise.all([
    db
      .select()
      .from(assistSyncRuns)
      .orderBy(desc(assistSyncRuns.startedAt), desc(assistSyncRuns.id))
      .limit(1),
    db.select().from(leases).where(eq(leases.name, options.syncLease)),
    db
      .select({
        day,
        paid: sql<string>`coalesce(sum(${assistBills.chargedKopecks}) filter (where ${assistBills.currency} = 'RUB'), 0)::text`,
        declined: sql<number>`(count(*) filter (where ${assistBills.status} = 'declined'))::int`,
      })
      .from(assistBills)
      .where(gte(assistBills.firstSeenAt, dayStart(sinceDay)))
      .groupBy(sql`1`),
  ]);
  const byDay = new Map(perDay.map((r) => [r.day, r]));
  const days: DayStat[] = [];
  for (let i = 0; i < 30; i++) {
    // Noon of each day: a DST change moves midnight by an hour, never noon across a day.
    const key = dayIn(new Date(dayStart(sinceDay).getTime() + i * 86_400_000 + 12 * 3_600_000), zone);
    const row = byDay.get(key);
    days.push({ day: key, paidKopecks: Number(row?.paid ?? 0), declined: Number(row?.declined ?? 0) });
  }
  const next = lease?.lastStartedAt
    ? new Date(lease.lastStartedAt.getTime() + options.minIntervalSeconds * 1000)
    : null;
  return {
    lastRun: lastRun ?? null,
    nextAllowedAt: next && next.getTime() > now.getTime() ? next : null,
    running: lease ? lease.until.getTime() > now.getTime() : false,
    days,
  };
}
