import type { ReactNode } from 'react';
import type { StaffRole } from '@/lib/admin/schema';
import { errorCodeText, type GatewayError, responseCodeText } from '@/lib/assist';
import { type Dictionary, fill, type Locale } from '@/lib/i18n';
import { formatRoubles } from '@/lib/shop/money-format';
import { formatShopDateTime } from '@/lib/shop/time-zone';

type T = Dictionary['admin'];

export function formatDateTime(date: Date | null | undefined, locale: Locale): string {
  if (!date) return '—';
  return formatShopDateTime(date, locale, { dateStyle: 'short', timeStyle: 'medium' });
}

export function money(kopecks: number | null | undefined, currency: string | null | undefined): string {
  return kopecks === null || kopecks === undefined ? '—' : formatRoubles(kopecks, currency ?? 'RUB');
}

export function statusText(status: string, t: T): string {
  return status in t.statuses ? t.statuses[status as keyof T['statuses']] : status;
}

export function StatusBadge({ status, t }: { status: string; t: T }) {
  return (
    <span className="admin-badge" data-status={status}>
      {statusText(status, t)}
    </span>
  );
}

export function FlagBadges({ flags, t }: { flags: string[]; t: T }) {
  return (
    <>
      {flags.map((f) => (
        <span key={f} className="admin-badge admin-flag" data-flag={f}>
          {f in t.flags ? t.flags[f as keyof T['flags']] : f}
        </span>
      ))}
    </>
  );
}

export function responseText(code: string | null, locale: Locale): string {
  return code ? `${code} — ${responseCodeText(code)[locale]}` : '—';
}

/** One switch over every way the gateway can fail, in the reader's language. */
export function gatewayErrorText(error: GatewayError, t: T, locale: Locale): string {
  const g = t.bill.gatewayErrors;
  switch (error.kind) {
    case 'gateway':
      return `${error.firstCode}/${error.secondCode} ${errorCodeText(error.firstCode, error.secondCode)[locale]}`;
    case 'timeout':
      return fill(g.timeout, { seconds: Math.round(error.timeoutMs / 1000) });
    case 'network':
      return g.network;
    case 'http':
      return fill(g.http, { status: error.status });
    case 'malformed':
      return g.malformed;
    case 'rate_limited':
      return fill(g.rate_limited, { seconds: error.retryAfterSeconds });
    case 'invalid_request':
      return fill(g.invalid_request, { field: error.field });
    case 'declined':
      return fill(g.declined, { code: responseText(error.responseCode || null, locale) });
    case 'in_process':
      return fill(g.in_process, { code: responseText(error.responseCode || null, locale) });
    default: {
      const unhandled: never = error;
      return String(unhandled);
    }
  }
}

export function AdminNav({
  t,
  current,
  role,
}: {
  t: T;
  current: 'dashboard' | 'bills' | 'audit' | 'staff';
  role: StaffRole;
}) {
  return (
    <nav className="admin-nav" aria-label={t.navLabel}>
      <a href="/admin" aria-current={current === 'dashboard' ? 'page' : undefined}>
        {t.nav.dashboard}
      </a>
      <a href="/admin/bills" aria-current={current === 'bills' ? 'page' : undefined}>
        {t.nav.bills}
      </a>
      {role === 'admin' ? (
        <>
          <a href="/admin/audit" aria-current={current === 'audit' ? 'page' : undefined}>
            {t.nav.audit}
          </a>
          <a href="/admin/staff" aria-current={current === 'staff' ? 'page' : undefined}>
            {t.nav.staff}
          </a>
        </>
      ) : null}
    </nav>
  );
}

/**
 * A wide table scrolls sideways on a phone: the scrolling box takes keyboard focus and has a name, so
 * it can be scrolled without a pointer (axe: scrollable-region-focusable).
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
    <section className="admin-table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

/** A header cell: its text, or `{ label, num: true }` for a right-aligned amount column; null is no column. */
export type Column = string | { label: string; num: true } | null;

/** Every admin table: the scrolling region named `label`, one header row, then the body's rows. */
export function AdminTable({
  label,
  testId,
  columns,
  className,
  children,
}: {
  label: string;
  testId: string;
  columns: Column[];
  className?: string;
  children: ReactNode;
}) {
  return (
    <TableWrap label={label}>
      <table className={className ? `admin-table ${className}` : 'admin-table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c, i) =>
              c === null ? null : typeof c === 'string' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's lifetime
                <th key={i} scope="col">
                  {c}
                </th>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's lifetime
                <th key={i} scope="col" className="num">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableWrap>
  );
}
