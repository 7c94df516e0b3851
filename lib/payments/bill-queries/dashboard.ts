import 'server-only';
import { desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { assistBills, assistSyncRuns, leases } from '@/lib/db/schema';
import { dayIn, shopTimeZone } from '@/lib/shop/time-zone';
import { dayStart } from './list';

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
