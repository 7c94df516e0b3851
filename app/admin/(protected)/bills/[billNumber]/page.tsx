import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { authorize, requireStaff } from '@/lib/admin/auth';
import { isBillNumber } from '@/lib/assist';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import type { SearchParams } from '@/lib/http/search-params';
import { type Dictionary, fill, type Locale } from '@/lib/i18n';
import { getLocale, getT } from '@/lib/i18n/server';
import { billActionPanel } from '@/lib/payments/admin-action-input';
import { type BillDetail, getBillDetail } from '@/lib/payments/bill-queries/detail';
import { receiptsOfBill } from '@/lib/payments/fiscal';
import { BillActionForms, ConfirmPanel } from '../../_components/BillActionForms';
import {
  AdminNav,
  FlagBadges,
  formatDateTime,
  gatewayErrorText,
  money,
  responseText,
  StatusBadge,
} from '../../_components/display';
import { FiscalReceiptsTable } from '../../_components/FiscalReceipts';
import { ActionsTable, HistoryTable, OperationsTable, OrderBillsTable } from '../../_components/tables';
import { recheckBillAction } from './actions';
import { errorFlash, type Flash, type FlashCode, readFlash } from './flash';

type T = Dictionary['admin'];
type Params = { billNumber: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const [{ billNumber }, t] = await Promise.all([params, getT()]);
  return { title: `${t.admin.bill.title}${billNumber}` };
}

function flashMessage(flash: Flash, detail: BillDetail, t: T, locale: Locale): string {
  const r = t.bill.results;
  const error =
    flash.gatewayError ?? detail.actions.find((a) => a.id === flash.actionId)?.gatewayError ?? null;
  const text = error ? gatewayErrorText(error, t, locale) : '—';
  if (flash.code === 'pending' && error?.kind === 'in_process') return fill(r.in_process, { text });
  const refusals = t.bill.refusals;
  if (flash.code === 'not_allowed' && flash.refusal !== null && Object.hasOwn(refusals, flash.refusal))
    return refusals[flash.refusal as keyof typeof refusals];
  const max = flash.maxKopecks === null ? '—' : money(flash.maxKopecks, flash.currency);
  return fill(r[flash.code], { text, max });
}

const GOOD: FlashCode[] = ['succeeded'];
const NEUTRAL: FlashCode[] = ['pending', 'outcome_unknown', 'not_unsettled'];

function FlashMessage({
  flash,
  detail,
  t,
  locale,
}: {
  flash: Flash;
  detail: BillDetail;
  t: T;
  locale: Locale;
}) {
  const good = GOOD.includes(flash.code);
  return (
    <p
      className={good ? 'admin-success' : NEUTRAL.includes(flash.code) ? 'admin-notice' : 'admin-error'}
      role={good ? 'status' : 'alert'}
      data-testid="action-result"
    >
      {flashMessage(flash, detail, t, locale)}
    </p>
  );
}

export default async function BillPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<SearchParams>;
}) {
  const [{ billNumber }, search] = await Promise.all([params, searchParams]);
  if (!isBillNumber(billNumber)) notFound();
  const [who, tAll, locale, db] = await Promise.all([
    requireStaff('viewer', `/admin/bills/${billNumber}`),
    getT(),
    getLocale(),
    getDb(),
  ]);
  const env = getEnv();
  const t = tAll.admin;
  const b = t.bill;
  const isAdmin = authorize(who, 'admin');
  const [detail, panel, receipts] = await Promise.all([
    getBillDetail(db, billNumber, env.assist.testMode),
    billActionPanel(db, {
      billNumber,
      holdWarningDays: env.assist.holdWarningDays,
      confirm: isAdmin && search.step === 'confirm' ? search : null,
    }),
    receiptsOfBill(db, billNumber),
  ]);
  if (!detail || !panel) notFound();
  const { bill } = detail;
  const flash = readFlash(search);
  const { unfinished, confirm } = panel;

  return (
    <>
      <AdminNav t={t} current="bills" role={who.role} />
      <section className="admin-panel" aria-labelledby="bill-title">
        <p>
          <a href="/admin/bills">← {b.back}</a>
        </p>
        <h1 id="bill-title">
          {b.title}
          {bill.billNumber} <StatusBadge status={bill.status} t={t} />
        </h1>
        {flash ? <FlashMessage flash={flash} detail={detail} t={t} locale={locale} /> : null}
        <dl className="admin-facts" data-testid="bill-facts">
          <dt>{b.order}</dt>
          <dd>
            <a href={`/admin/orders/${encodeURIComponent(bill.orderNumber)}`}>{bill.orderNumber}</a>
          </dd>
          <dt>{b.amount}</dt>
          <dd>{money(bill.amountKopecks, bill.currency)}</dd>
          <dt>{b.charged}</dt>
          <dd data-testid="bill-charged">{money(bill.chargedKopecks, bill.currency)}</dd>
          <dt>{b.returned}</dt>
          <dd data-testid="bill-returned">{money(bill.returnedKopecks, bill.currency)}</dd>
          <dt>{b.status}</dt>
          <dd data-testid="bill-status">
            <StatusBadge status={bill.status} t={t} /> <FlagBadges flags={bill.flags} t={t} />
          </dd>
          <dt>{b.rawStatus}</dt>
          <dd>{bill.rawStatus}</dd>
          <dt>{b.code}</dt>
          <dd>{responseText(bill.responseCode, locale)}</dd>
          <dt>{b.message}</dt>
          <dd>{bill.message ?? '—'}</dd>
          <dt>{b.card}</dt>
          <dd>{bill.maskedCard ?? '—'}</dd>
          <dt>{b.testMode}</dt>
          <dd>{bill.testMode ? b.yes : b.no}</dd>
          <dt>{b.firstSeen}</dt>
          <dd>{formatDateTime(bill.firstSeenAt, locale)}</dd>
          <dt>{b.packetDate}</dt>
          <dd>{formatDateTime(bill.packetDate, locale)}</dd>
          {bill.heldSince ? (
            <>
              <dt>{b.heldSince}</dt>
              <dd>{formatDateTime(bill.heldSince, locale)}</dd>
            </>
          ) : null}
        </dl>

        {unfinished ? (
          <div className="admin-notice" role="status" data-testid="unknown-notice">
            <p>
              {unfinished.inProcess
                ? fill(b.inProcessNotice, {
                    id: unfinished.action.id,
                    text: unfinished.action.gatewayError
                      ? gatewayErrorText(unfinished.action.gatewayError, t, locale)
                      : '—',
                  })
                : fill(b.unknownNotice, { id: unfinished.action.id })}
            </p>
            {isAdmin && unfinished.settleable ? (
              <form action={recheckBillAction}>
                <input type="hidden" name="billNumber" value={bill.billNumber} />
                <input type="hidden" name="actionId" value={unfinished.action.id} />
                <button type="submit" className="button">
                  {b.recheck}
                </button>
              </form>
            ) : null}
          </div>
        ) : null}

        {panel.actions.warnings.map((w) => (
          <p key={w.kind} className="admin-warning" role="note" data-testid="hold-warning">
            {fill(b.holdWarning, { days: w.ageDays })}
          </p>
        ))}

        {isAdmin ? (
          confirm?.ok ? (
            <ConfirmPanel
              intent={confirm.intent}
              maxKopecks={confirm.maxKopecks}
              bill={{ billNumber: bill.billNumber, status: bill.status, currency: bill.currency ?? 'RUB' }}
              t={t}
            />
          ) : (
            <>
              {confirm ? (
                <FlashMessage flash={errorFlash(confirm.error)} detail={detail} t={t} locale={locale} />
              ) : null}
              <BillActionForms
                billNumber={bill.billNumber}
                actions={panel.actions}
                currency={bill.currency ?? 'RUB'}
                t={t}
              />
            </>
          )
        ) : (
          <p className="admin-muted">{b.viewerNote}</p>
        )}

        <h2>{b.operations}</h2>
        <OperationsTable operations={detail.operations} t={t} locale={locale} />

        <h2>{t.fiscal.title}</h2>
        {typeof search.fiscal === 'string' && Object.hasOwn(t.fiscal.results, search.fiscal) ? (
          <p role="status">{t.fiscal.results[search.fiscal as keyof typeof t.fiscal.results]}</p>
        ) : null}
        <FiscalReceiptsTable
          receipts={receipts}
          t={t}
          locale={locale}
          canResend={isAdmin}
          back={`/admin/bills/${billNumber}`}
          enabled={Boolean(env.assist.fiscal)}
        />

        <h2>{b.orderBills}</h2>
        <OrderBillsTable detail={detail.order} current={bill.billNumber} t={t} locale={locale} />

        <h2>{b.actions}</h2>
        <ActionsTable actions={detail.actions} t={t} locale={locale} />
        {who.role === 'admin' ? (
          <p>
            <a href={`/admin/audit?bill=${detail.bill.billNumber}`}>{t.audit.billTrail}</a>
          </p>
        ) : null}

        <h2>{b.history}</h2>
        <HistoryTable changes={detail.changes} t={t} locale={locale} showBill={false} />
      </section>
    </>
  );
}
