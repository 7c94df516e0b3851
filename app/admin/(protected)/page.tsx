import type { Metadata } from 'next';
import { authorize, requireStaff } from '@/lib/admin/auth';
import { type DashboardStats, dashboardStats } from '@/lib/admin/bills';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { type Dictionary, fill, type Locale } from '@/lib/i18n';
import { getLocale, getT } from '@/lib/i18n/server';
import { SYNC_LEASE } from '@/lib/payments/sync';
import { AdminNav, formatDateTime, money } from './_components/display';
import { syncNowAction } from './sync-actions';

type T = Dictionary['admin'];
type SearchParams = Record<string, string | string[] | undefined>;

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

/** 30 days as CSS bars: no chart library, readable without JS, each bar labelled for screen readers. */
function Chart({ days, t }: { days: DashboardStats['days']; t: T }) {
  const maxPaid = Math.max(1, ...days.map((d) => d.paidKopecks));
  const maxDeclined = Math.max(1, ...days.map((d) => d.declined));
  return (
    <figure className="admin-chart" aria-labelledby="chart-title">
      <figcaption id="chart-title">
        {t.chart.title}: <span className="admin-legend-paid">■ {t.chart.paid}</span>{' '}
        <span className="admin-legend-declined">■ {t.chart.declined}</span>
      </figcaption>
      <ol className="admin-chart-days">
        {days.map((d) => (
          <li
            key={d.day}
            title={fill(t.chart.dayLabel, {
              day: d.day,
              paid: money(d.paidKopecks, 'RUB'),
              declined: d.declined,
            })}
          >
            <span className="visually-hidden">
              {fill(t.chart.dayLabel, {
                day: d.day,
                paid: money(d.paidKopecks, 'RUB'),
                declined: d.declined,
              })}
            </span>
            <span
              className="admin-bar-paid"
              style={{ height: `${Math.round((d.paidKopecks / maxPaid) * 100)}%` }}
            />
            <span
              className="admin-bar-declined"
              style={{ height: `${Math.round((d.declined / maxDeclined) * 100)}%` }}
            />
            <span className="admin-chart-label" aria-hidden="true">
              {d.day.slice(8)}
            </span>
          </li>
        ))}
      </ol>
    </figure>
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
        <dl>
          <dt>{t.signedInAs}</dt>
          <dd data-testid="admin-email">{who.email}</dd>
          <dt>{t.dashboard.role}</dt>
          <dd data-testid="admin-role">{t.roles[who.role]}</dd>
        </dl>
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
        <Chart days={stats.days} t={t} />
      </section>
    </>
  );
}
