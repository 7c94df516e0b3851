import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { type AssistGateway, type GatewayError, isNothingFound, MAX_REPORT_WINDOW_MS } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { orders } from '@/lib/db/schema';
import { logEvent } from '@/lib/log';
import { acquireLease, advanceCursor, releaseLease } from './lease';
import { recordGatewayBills } from './record-bills';
import { rereadSince } from './reread-window';
import { assistBills, assistSyncRuns } from './schema';

export const SYNC_LEASE = 'assist-sync';

export type SyncSettings = {
  minIntervalSeconds: number;
  initialLookbackHours: number;
  overlapMinutes: number;
  maxWindows: number;
  recheckLimit: number;
  testPaymentsCount: boolean;
  /** How long a run may hold the lease before another may assume it died. */
  leaseSeconds?: number;
  /** The clock that decides the report's windows (tests move it). */
  now?: () => Date;
};

export type SyncSummary = {
  runId: number;
  outcome: 'ok' | 'failed';
  windows: number;
  windowFrom: string | null;
  windowTo: string | null;
  rowsSeen: number;
  inserted: number;
  updated: number;
  rechecked: number;
  /** Re-reads that failed or found nothing, one line per bill or order; they never stop the others. */
  recheckProblems: string[];
  caughtUp: boolean;
  error: string | null;
};

export type SyncResult =
  | { ok: true; summary: SyncSummary }
  | { ok: false; reason: 'busy' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export function describeGatewayError(error: GatewayError): string {
  switch (error.kind) {
    case 'invalid_request':
      return `invalid request (${error.field}): ${error.message}`;
    case 'network':
      return `network error: ${error.message}`;
    case 'timeout':
      return `timed out after ${error.timeoutMs} ms`;
    case 'http':
      return `HTTP ${error.status}`;
    case 'gateway':
      return `gateway error ${error.firstCode}/${error.secondCode}: ${error.text.en}`;
    case 'malformed':
      return `malformed reply: ${error.message}`;
    case 'rate_limited':
      return `not sent, request budget spent: retry in ${error.retryAfterSeconds} s`;
    case 'declined':
      return `declined ${error.responseCode}: ${error.text.en}`;
    case 'in_process':
      return `in process ${error.responseCode}: ${error.text.en}`;
  }
}

const MINUTE_MS = 60_000;

/**
 * Windows from `from` to `to` on whole minutes, at most `max` of them, each strictly under a day with its
 * End minute included: a window the gateway finds too long is not refused but silently replaced by the
 * last 3 hours (docs/assist-protocol.md §5.3), which would lose every operation in between. Consecutive
 * windows share their boundary minute, which the merge rule makes harmless.
 */
function reportWindows(from: Date, to: Date, max: number): Array<{ from: Date; to: Date }> {
  const windows: Array<{ from: Date; to: Date }> = [];
  let start = Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS;
  const last = Math.ceil(to.getTime() / MINUTE_MS) * MINUTE_MS;
  while (start < last && windows.length < max) {
    const end = Math.min(start + MAX_REPORT_WINDOW_MS, last);
    windows.push({ from: new Date(start), to: new Date(end) });
    start = end;
  }
  return windows;
}

/**
 * django-assist-ru's update_auth_report(), made safe: one run at a time across every instance (a lease
 * row) and at most one per interval; the report is read by operation date in windows of at most a day
 * from the last committed cursor (with an overlap for late changes), each window fetched first and then
 * written in its own transaction, so a failure keeps earlier windows and the next run resumes. Then a
 * bounded number of still-open bills and unpaid orders are re-read, oldest-checked first.
 */
export async function runSync(
  db: Db,
  gateway: AssistGateway,
  settings: SyncSettings,
  trigger: 'cron' | 'manual' = 'cron',
): Promise<SyncResult> {
  const holder = randomUUID();
  const lease = await acquireLease(db, SYNC_LEASE, holder, {
    ttlSeconds: settings.leaseSeconds ?? 15 * 60,
    minIntervalSeconds: settings.minIntervalSeconds,
  });
  if (!lease.ok) return lease.reason === 'busy' ? { ok: false, reason: 'busy' } : lease;

  const [run] = await db.insert(assistSyncRuns).values({ trigger }).returning({ id: assistSyncRuns.id });
  if (!run) throw new Error('sync run insert returned nothing');
  const summary: SyncSummary = {
    runId: run.id,
    outcome: 'ok',
    windows: 0,
    windowFrom: null,
    windowTo: null,
    rowsSeen: 0,
    inserted: 0,
    updated: 0,
    rechecked: 0,
    recheckProblems: [],
    caughtUp: false,
    error: null,
  };
  const record = {
    source: 'sync' as const,
    syncRunId: run.id,
    testPaymentsCount: settings.testPaymentsCount,
  };
  try {
    const now = settings.now?.() ?? new Date();
    const cursor = lease.cursor ?? new Date(now.getTime() - settings.initialLookbackHours * 3_600_000);
    const from = new Date(Math.max(cursor.getTime() - settings.overlapMinutes * 60_000, 0));
    const windows = reportWindows(from, now, settings.maxWindows);
    summary.windowFrom = windows[0]?.from.toISOString() ?? null;
    for (const window of windows) {
      const report = await gateway.report(window);
      if (!report.ok)
        throw new SyncError(`report ${window.from.toISOString()}…: ${describeGatewayError(report.error)}`);
      const written = await recordGatewayBills(db, report.bills, record);
      summary.windows++;
      summary.rowsSeen += written.seen;
      summary.inserted += written.inserted;
      summary.updated += written.updated;
      summary.windowTo = window.to.toISOString();
      await advanceCursor(db, SYNC_LEASE, holder, window.to);
    }
    summary.caughtUp = (windows.at(-1)?.to.getTime() ?? now.getTime()) >= now.getTime();
    const rechecks = await recheckOpen(db, gateway, settings.recheckLimit, record, now);
    summary.rechecked = rechecks.checked;
    summary.recheckProblems = rechecks.problems;
    if (rechecks.problems.length > 0) summary.error = `re-reads: ${rechecks.problems.join('; ')}`;
    // A re-read the gateway refused or answered unreadably is loud: the run fails (its windows are kept,
    // they were read in full). A bill the gateway does not know is only reported: it must not fail every run.
    if (rechecks.failed) summary.outcome = 'failed';
  } catch (err) {
    summary.outcome = 'failed';
    summary.error = err instanceof Error ? err.message : String(err);
  } finally {
    // One line per run; a failure names what was not understood (the element, the bill) for the operator.
    logEvent(
      'assist_sync',
      {
        runId: summary.runId,
        outcome: summary.outcome,
        windows: summary.windows,
        windowTo: summary.windowTo,
        rowsSeen: summary.rowsSeen,
        rechecked: summary.rechecked,
        error: summary.error,
      },
      summary.outcome === 'ok' && summary.error === null ? 'info' : 'warn',
    );
    // The lease is released even when recording the run's end fails (the database blinked): otherwise the
    // next runs would be refused as busy until the lease expires, for nothing.
    try {
      await db
        .update(assistSyncRuns)
        .set({
          finishedAt: sql`now()`,
          windowFrom: summary.windowFrom ? new Date(summary.windowFrom) : null,
          windowTo: summary.windowTo ? new Date(summary.windowTo) : null,
          windows: summary.windows,
          rowsSeen: summary.rowsSeen,
          inserted: summary.inserted,
          updated: summary.updated,
          rechecked: summary.rechecked,
          outcome: summary.outcome,
          error: summary.error,
        })
        .where(eq(assistSyncRuns.id, run.id));
    } finally {
      await releaseLease(db, SYNC_LEASE, holder);
    }
  }
  return { ok: true, summary };
}

class SyncError extends Error {}

/**
 * Bills the report cannot bring: ones still in process or held (a timeout has no operation), and unpaid
 * orders whose customer may have reached the payment page (their bills exist only at the gateway).
 * Each re-read names a window from the bill's first sight. One that fails or does not find its bill is
 * reported for that bill and the others go on; a spent request budget ends the re-reads for this run.
 */
async function recheckOpen(
  db: Db,
  gateway: AssistGateway,
  limit: number,
  record: Parameters<typeof recordGatewayBills>[2],
  now: Date,
): Promise<{ checked: number; problems: string[]; failed: boolean }> {
  const problems: string[] = [];
  let failed = false;
  if (limit === 0) return { checked: 0, problems, failed };
  const openBills = await db
    .select({
      billNumber: assistBills.billNumber,
      firstSeenAt: assistBills.firstSeenAt,
      orderCreatedAt: orders.createdAt,
    })
    .from(assistBills)
    .leftJoin(orders, eq(orders.id, assistBills.orderId))
    .where(inArray(assistBills.status, ['in_process', 'held']))
    .orderBy(sql`${assistBills.checkedAt} asc nulls first`, asc(assistBills.id))
    .limit(limit);
  let checked = 0;
  for (const { billNumber, firstSeenAt, orderCreatedAt } of openBills) {
    const since = rereadSince([firstSeenAt, orderCreatedAt], now);
    const read = await gateway.bills({ billNumber }, { since });
    if (!read.ok && read.error.kind === 'rate_limited') return { checked, problems, failed };
    checked++;
    const mine = read.ok ? read.bills.filter((b) => b.billNumber === billNumber) : [];
    if (!read.ok && !isNothingFound(read.error)) {
      failed = true;
      problems.push(`re-read of bill ${billNumber}: ${describeGatewayError(read.error)}`);
    } else if (mine.length === 0) {
      problems.push(`bill ${billNumber}: not found since ${since.toISOString()}`);
    }
    // The bill is marked checked either way, so that one that cannot be found does not starve the rest.
    if (read.ok && read.bills.length > 0)
      await recordGatewayBills(db, read.bills, { ...record, checked: true });
    if (mine.length === 0)
      await db
        .update(assistBills)
        .set({ checkedAt: sql`now()` })
        .where(eq(assistBills.billNumber, billNumber));
  }
  const openOrders = await db
    .select({ id: orders.id, orderNumber: orders.orderNumber, createdAt: orders.createdAt })
    .from(orders)
    .where(
      and(
        inArray(orders.paymentStatus, ['unpaid', 'in_process']),
        gt(orders.createdAt, sql`now() - interval '3 days'`),
        or(isNull(orders.paymentCheckedAt), lt(orders.paymentCheckedAt, sql`now() - interval '5 minutes'`)),
      ),
    )
    // Orders that reached the gateway first (a bill seen, or the customer came back from its page), so
    // scripted orders nobody tried to pay cannot crowd out the ones that may hold money.
    .orderBy(
      sql`(${orders.reachedGatewayAt} is not null or ${orders.paymentStatus} = 'in_process') desc`,
      sql`${orders.paymentCheckedAt} asc nulls first`,
      desc(orders.createdAt),
    )
    .limit(Math.max(limit - checked, 0));
  for (const order of openOrders) {
    const read = await gateway.bills(
      { orderNumber: order.orderNumber },
      { since: rereadSince([order.createdAt], now) },
    );
    if (!read.ok && read.error.kind === 'rate_limited') return { checked, problems, failed };
    // 10/201 "nothing found" is the common case of a customer who never reached the payment page: no
    // bills, not a failure.
    checked++;
    if (!read.ok && !isNothingFound(read.error)) {
      failed = true;
      problems.push(`re-read of order ${order.orderNumber}: ${describeGatewayError(read.error)}`);
      // Left unchecked, so the next run asks again instead of waiting out the five minutes per order.
      continue;
    }
    if (read.ok) await recordGatewayBills(db, read.bills, { ...record, checked: true });
    await db.update(orders).set({ paymentCheckedAt: sql`now()` }).where(eq(orders.id, order.id));
  }
  return { checked, problems, failed };
}
