import type { Metadata } from 'next';
import { authorize, requireStaff } from '@/lib/admin/auth';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import type { SearchParams } from '@/lib/http/search-params';
import { type Dictionary, fill, type Locale } from '@/lib/i18n';
import { getLocale, getT } from '@/lib/i18n/server';
import { type DashboardStats, dashboardStats } from '@/lib/payments/bill-queries/dashboard';
import { SYNC_LEASE } from '@/lib/payments/sync';
import { AdminNav, formatDateTime, money } from './_components/display';
import { syncNowAction } from './sync-actions';

type T = Dictionary['admin'];

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT()).admin.title };
}

const SYNC_RESULTS = ['ok', 'failed', 'busy', 'throttled', 'forbidden'] as const;
type SyncFlash = (typeof SYNC_RESULTS)[number];

function syncMessage(code: SyncFlash, search: SearchParams, t: T): string {
  const r = t.sync.results;
  const one = (k: string) => {
    const v = search[k];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  switch (code) {
    case 'ok':
    case 'busy':
    case 'forbidden':
      return r[code];
    case 'failed':
      return fill(r.failed, { error: one('error').slice(0, 300) });
    case 'throttled':
      return fill(r.throttled, { seconds: /^\d{1,6}$/.test(one('seconds')) ? one('seconds') : '?' });
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}

/**
 * One measure over 30 days as CSS bars, on its own axis: the top label is the largest day's value and
 * the bottom is zero, so a bar's height means something. No chart library, readable without JS; each
 * day's values are in its text for screen readers.
 */
function DayChart({
  id,
  title,
  total,
  axisMax,
  days,
  value,
  dayText,
  tone,
}: {
  id: string;
  title: string;
  total: string;
  axisMax: string;
  days: DashboardStats['days'];
  value: (d: DashboardStats['days'][number]) => number;
  dayText: (d: DashboardStats['days'][number]) => string;
  tone: 'paid' | 'declined';
}) {
  const max = Math.max(0, ...days.map(value));
  return (
    <figure className="admin-chart" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption id={`${id}-title`}>
        {title}: <span data-testid={`${id}-total`}>{total}</span>
      </figcaption>
      <div className="admin-chart-body">
        <div className="admin-chart-axis" aria-hidden="true">
          <span data-testid={`${id}-axis-max`}>{axisMax}</span>
          <span>0</span>
        </div>
        <ol className="admin-chart-days">
          {days.map((d) => (
            <li key={d.day} title={dayText(d)}>
              <span className="visually-hidden">{dayText(d)}</span>
              <span
                className={`admin-bar-${tone}`}
                data-value={value(d)}
                style={{ height: max === 0 ? 0 : `${Math.round((value(d) / max) * 100)}%` }}
              />
              <span className="admin-chart-label" aria-hidden="true">
                {d.day.slice(8)}
              </span>
            </li>
          ))}
        </ol>
      </div>
    </figure>
  );
}

/** Money and counts are different units: two charts, each on its own labelled axis. */
function Charts({ days, t }: { days: DashboardStats['days']; t: T }) {
  const paid = (d: DashboardStats['days'][number]) => d.paidKopecks;
  const declined = (d: DashboardStats['days'][number]) => d.declined;
  const sum = (f: (d: DashboardStats['days'][number]) => number) => days.reduce((a, d) => a + f(d), 0);
  return (
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">{t.chart.title}</h2>
      <div className="admin-charts">
        <DayChart
          id="chart-paid"
          title={t.chart.paid}
          total={money(sum(paid), 'RUB')}
          axisMax={money(Math.max(0, ...days.map(paid)), 'RUB')}
          days={days}
          value={paid}
          dayText={(d) => fill(t.chart.paidDay, { day: d.day, paid: money(d.paidKopecks, 'RUB') })}
          tone="paid"
        />
        <DayChart
          id="chart-declined"
          title={t.chart.declined}
          total={String(sum(declined))}
          axisMax={String(Math.max(0, ...days.map(declined)))}
          days={days}
          value={declined}
          dayText={(d) => fill(t.chart.declinedDay, { day: d.day, declined: d.declined })}
          tone="declined"
        />
      </div>
    </section>
  );
}

function SyncStrip({
  stats,
  t,
  locale,
  canSync,
}: {
  stats: DashboardStats;
  t: T;
  locale: Locale;
  canSync: boolean;
}) {
  const s = t.sync;
  const run = stats.lastRun;
  const outcome = run?.outcome;
  return (
    <div className="admin-strip" data-testid="sync-strip">
      <div>
        <strong>{s.lastRun}:</strong>{' '}
        {run ? (
          <>
            {formatDateTime(run.startedAt, locale)} —{' '}
            {outcome === 'ok' || outcome === 'failed' || outcome === 'running'
              ? s.outcomes[outcome]
              : outcome}
            {run.error ? ` (${run.error})` : null}
            <br />
            <span className="admin-muted">
              {fill(s.rows, { rows: run.rowsSeen, inserted: run.inserted, updated: run.updated })}
            </span>
          </>
        ) : (
          s.never
        )}
      </div>
      <div>
        <strong>{s.nextAllowed}:</strong>{' '}
        {stats.nextAllowedAt ? formatDateTime(stats.nextAllowedAt, locale) : s.nowAllowed}
      </div>
      {canSync ? (
        <form action={syncNowAction}>
          <button type="submit" className="button">
            {s.syncNow}
          </button>
        </form>
      ) : null}
    </div>
  );
}

export default async function AdminDashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [who, tAll, locale, db, search] = await Promise.all([
    requireStaff('viewer', '/admin'),
    getT(),
    getLocale(),
    getDb(),
    searchParams,
  ]);
  const t = tAll.admin;
  const stats = await dashboardStats(db, {
    syncLease: SYNC_LEASE,
    minIntervalSeconds: getEnv().ASSIST_SYNC_MIN_INTERVAL_SECONDS,
  });
  const rawSync = Array.isArray(search.sync) ? search.sync[0] : search.sync;
  const sync = (SYNC_RESULTS as readonly string[]).includes(rawSync ?? '') ? (rawSync as SyncFlash) : null;
  return (
    <>
      <AdminNav t={t} current="dashboard" role={who.role} />
      <section className="admin-panel" aria-labelledby="dashboard-title">
        <h1 id="dashboard-title">{t.title}</h1>
        <h2>{t.sync.title}</h2>
        {sync ? (
          <p
            className={sync === 'ok' ? 'admin-success' : 'admin-error'}
            role="status"
            data-testid="sync-result"
          >
            {syncMessage(sync, search, t)}
          </p>
        ) : null}
        <SyncStrip stats={stats} t={t} locale={locale} canSync={authorize(who, 'admin')} />
        <Charts days={stats.days} t={t} />
      </section>
    </>
  );
}
