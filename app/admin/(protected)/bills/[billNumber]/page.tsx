import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { authorize, requireStaff } from '@/lib/admin/auth';
import {
  type ActionVerdict,
  type BillActions,
  formatAmount,
  type GatewayError,
  isBillNumber,
} from '@/lib/assist';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import type { SearchParams } from '@/lib/http/search-params';
import { type Dictionary, fill, type Locale } from '@/lib/i18n';
import { getLocale, getT } from '@/lib/i18n/server';
import { type BillActionIntent, parseIntent } from '@/lib/payments/admin-action-input';
import { availableBillActions, STALE_PENDING_MS } from '@/lib/payments/admin-actions';
import { type BillDetail, getBillDetail } from '@/lib/payments/bill-queries/detail';
import { receiptsOfBill } from '@/lib/payments/fiscal';
import { isInProcess } from '@/lib/payments/in-process-actions';
import {
  AdminNav,
  FlagBadges,
  formatDateTime,
  gatewayErrorText,
  money,
  responseText,
  StatusBadge,
  TableWrap,
} from '../../_components/display';
import { FiscalReceiptsTable } from '../../_components/FiscalReceipts';
import { ActionsTable, HistoryTable, OrderBillsTable } from '../../_components/tables';
import { confirmBillAction, recheckBillAction } from './actions';
import { type Flash, readFlash } from './flash';

type T = Dictionary['admin'];
type Params = { billNumber: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const [{ billNumber }, t] = await Promise.all([params, getT()]);
  return { title: `${t.admin.bill.title}${billNumber}` };
}

function flashMessage(flash: Flash, detail: BillDetail, t: T, locale: Locale): string {
  const r = t.bill.results;
  const action = detail.actions.find((a) => a.id === flash.actionId);
  const storedError = action?.gatewayError ?? null;
  const errorText = (e: GatewayError | null) => (e ? gatewayErrorText(e, t, locale) : '—');
  switch (flash.code) {
    case 'pending':
      return storedError?.kind === 'in_process'
        ? fill(r.in_process, { text: errorText(storedError) })
        : r.pending;
    case 'succeeded':
    case 'bill_not_found':
    case 'action_not_found':
    case 'amount_invalid':
    case 'reason_required':
    case 'another_action_in_progress':
    case 'idempotency_conflict':
    case 'not_unsettled':
    case 'forbidden':
    case 'invalid_amount':
    case 'invalid_reason':
    case 'invalid_form':
      return r[flash.code];
    case 'not_allowed': {
      const refusals = t.bill.refusals;
      return flash.refusal && flash.refusal in refusals
        ? refusals[flash.refusal as keyof typeof refusals]
        : r.not_allowed;
    }
    case 'amount_exceeds_limit':
      return fill(r.amount_exceeds_limit, { max: money(flash.maxKopecks, flash.currency) });
    case 'gateway_refused':
      return fill(r.gateway_refused, { text: errorText(storedError) });
    case 'outcome_unknown':
      return fill(r.outcome_unknown, { text: errorText(storedError) });
    case 'reread_failed':
      return fill(r.reread_failed, { text: errorText(flash.gatewayError) });
    default: {
      const unhandled: never = flash.code;
      return unhandled;
    }
  }
}

const GOOD: Flash['code'][] = ['succeeded'];
const NEUTRAL: Flash['code'][] = ['pending', 'outcome_unknown', 'not_unsettled'];

/** An action this bill does not allow takes one line, not a form-sized card. */
function Refusal({
  title,
  reason,
  testId,
  t,
}: {
  title: string;
  reason: Extract<ActionVerdict, { allowed: false }>['reason'];
  testId: string;
  t: T;
}) {
  return (
    <p className="admin-refusal" data-testid={testId}>
      <strong>{title}:</strong> {t.bill.refusals[reason]}
    </p>
  );
}

/** Whole amount or a part of it, up to what the gateway would still allow. */
function ScopeAndAmount({
  id,
  maxKopecks,
  currency,
  t,
}: {
  id: string;
  maxKopecks: number;
  currency: string;
  t: T;
}) {
  const b = t.bill;
  return (
    <>
      <fieldset className="admin-radios">
        <label>
          <input type="radio" name="scope" value="full" defaultChecked />{' '}
          {fill(b.scopeFull, { amount: money(maxKopecks, currency) })}
        </label>
        <label>
          <input type="radio" name="scope" value="partial" /> {b.scopePartial}
        </label>
      </fieldset>
      <div className="admin-field">
        <label htmlFor={id}>{fill(b.amountLabel, { amount: money(maxKopecks, currency) })}</label>
        <input id={id} name="amount" inputMode="decimal" maxLength={32} placeholder="1 500,00" />
      </div>
    </>
  );
}

function ActionForms({
  billNumber,
  actions,
  currency,
  t,
}: {
  billNumber: string;
  actions: BillActions;
  currency: string;
  t: T;
}) {
  const b = t.bill;
  const { charge, cancel } = actions;
  return (
    <div className="admin-action-forms">
      {charge.allowed ? (
        <form
          method="get"
          action={`/admin/bills/${billNumber}`}
          className="admin-form admin-card"
          data-testid="charge-form"
        >
          <h3>{b.chargeTitle}</h3>
          <input type="hidden" name="step" value="confirm" />
          <input type="hidden" name="kind" value="charge" />
          <ScopeAndAmount id="charge-amount" maxKopecks={charge.maxKopecks} currency={currency} t={t} />
          <div className="admin-field">
            <label htmlFor="charge-comment">{b.comment}</label>
            <input id="charge-comment" name="comment" maxLength={500} />
          </div>
          <button type="submit" className="button">
            {b.continue}
          </button>
        </form>
      ) : (
        <Refusal title={b.chargeTitle} reason={charge.reason} testId="charge-form" t={t} />
      )}
      {cancel.allowed ? (
        <form
          method="get"
          action={`/admin/bills/${billNumber}`}
          className="admin-form admin-card"
          data-testid="cancel-form"
        >
          <h3>{b.cancelTitle}</h3>
          <input type="hidden" name="step" value="confirm" />
          <input type="hidden" name="kind" value="cancel" />
          <ScopeAndAmount id="cancel-amount" maxKopecks={cancel.maxKopecks} currency={currency} t={t} />
          <div className="admin-field">
            <label htmlFor="cancel-reason">{b.reason}</label>
            <select id="cancel-reason" name="reason" required defaultValue="">
              <option value="" disabled>
                —
              </option>
              {(['shop', 'customer', 'fraud'] as const).map((r) => (
                <option key={r} value={r}>
                  {b.reasons[r]}
                </option>
              ))}
            </select>
          </div>
          <div className="admin-field">
            <label htmlFor="cancel-comment">{b.comment}</label>
            <input id="cancel-comment" name="comment" maxLength={500} />
          </div>
          <button type="submit" className="button">
            {b.continue}
          </button>
        </form>
      ) : (
        <Refusal title={b.cancelTitle} reason={cancel.reason} testId="cancel-form" t={t} />
      )}
    </div>
  );
}

/** Step two: exactly what will happen, and the only form that reaches the gateway. */
function ConfirmPanel({
  intent,
  detail,
  verdict,
  t,
}: {
  intent: BillActionIntent;
  detail: BillDetail;
  verdict: Extract<ActionVerdict, { allowed: true }>;
  t: T;
}) {
  const c = t.bill.confirm;
  const { bill } = detail;
  const cur = bill.currency ?? 'RUB';
  const amount = intent.amountKopecks ?? verdict.maxKopecks;
  const vars = { bill: bill.billNumber, amount: money(amount, cur), max: money(verdict.maxKopecks, cur) };
  const lines: string[] = [];
  if (intent.kind === 'charge') {
    if (intent.amountKopecks === null) lines.push(fill(c.chargeFull, vars));
    else {
      lines.push(fill(c.chargePartial, vars));
      if (amount < verdict.maxKopecks)
        lines.push(fill(c.chargeReleases, { rest: money(verdict.maxKopecks - amount, cur) }));
    }
  } else {
    lines.push(fill(intent.amountKopecks === null ? c.cancelFull : c.cancelPartial, vars));
    lines.push(bill.status === 'held' ? c.cancelHeld : c.cancelCharged);
    if (intent.reason) lines.push(fill(c.reason, { reason: t.bill.reasons[intent.reason] }));
  }
  lines.push(c.final);
  return (
    <section className="admin-confirm" aria-labelledby="confirm-title" data-testid="confirm-panel">
      <h2 id="confirm-title">{c.title}</h2>
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
      <form action={confirmBillAction} className="admin-inline-buttons">
        <input type="hidden" name="billNumber" value={bill.billNumber} />
        <input type="hidden" name="kind" value={intent.kind} />
        <input type="hidden" name="scope" value={intent.amountKopecks === null ? 'full' : 'partial'} />
        {intent.amountKopecks === null ? null : (
          <input type="hidden" name="amount" value={formatAmount(intent.amountKopecks)} />
        )}
        {intent.reason ? <input type="hidden" name="reason" value={intent.reason} /> : null}
        <input type="hidden" name="comment" value={intent.comment} />
        <input type="hidden" name="idempotencyKey" value={randomUUID()} />
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" className="button">
          {c.submit}
        </button>
        <a className="button secondary" href={`/admin/bills/${bill.billNumber}`}>
          {c.back}
        </a>
      </form>
    </section>
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
  const [detail, available, receipts] = await Promise.all([
    getBillDetail(db, billNumber, env.assist.testMode),
    availableBillActions(db, billNumber, env.assist.holdWarningDays),
    receiptsOfBill(db, billNumber),
  ]);
  if (!detail || !available) notFound();
  const { bill } = detail;
  const isAdmin = authorize(who, 'admin');
  const flash = readFlash(search);
  const currency = bill.currency ?? 'RUB';

  let confirm: { intent: BillActionIntent; verdict: Extract<ActionVerdict, { allowed: true }> } | null = null;
  let stepError: string | null = null;
  if (isAdmin && search.step === 'confirm') {
    const parsed = parseIntent({ ...search, billNumber });
    if (!parsed.ok) stepError = b.results[`invalid_${parsed.field}`];
    else {
      const verdict = available.actions[parsed.intent.kind];
      if (!verdict.allowed) stepError = b.refusals[verdict.reason];
      else if (parsed.intent.amountKopecks !== null && parsed.intent.amountKopecks > verdict.maxKopecks)
        stepError = fill(b.results.amount_exceeds_limit, { max: money(verdict.maxKopecks, currency) });
      else confirm = { intent: parsed.intent, verdict };
    }
  }
  const unfinished = available.unfinished;
  const settleable =
    unfinished &&
    (unfinished.state === 'unknown' ||
      isInProcess(unfinished) ||
      Date.now() - unfinished.createdAt.getTime() >= STALE_PENDING_MS);

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
        {flash ? (
          <p
            className={
              GOOD.includes(flash.code)
                ? 'admin-success'
                : NEUTRAL.includes(flash.code)
                  ? 'admin-notice'
                  : 'admin-error'
            }
            role={GOOD.includes(flash.code) ? 'status' : 'alert'}
            data-testid="action-result"
          >
            {flashMessage(flash, detail, t, locale)}
          </p>
        ) : null}
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
              {isInProcess(unfinished)
                ? fill(b.inProcessNotice, {
                    id: unfinished.id,
                    text: unfinished.gatewayError
                      ? gatewayErrorText(unfinished.gatewayError, t, locale)
                      : '—',
                  })
                : fill(b.unknownNotice, { id: unfinished.id })}
            </p>
            {isAdmin && settleable ? (
              <form action={recheckBillAction}>
                <input type="hidden" name="billNumber" value={bill.billNumber} />
                <input type="hidden" name="actionId" value={unfinished.id} />
                <button type="submit" className="button">
                  {b.recheck}
                </button>
              </form>
            ) : null}
          </div>
        ) : null}

        {available.actions.warnings.map((w) => (
          <p key={w.kind} className="admin-warning" role="note" data-testid="hold-warning">
            {fill(b.holdWarning, { days: w.ageDays })}
          </p>
        ))}

        {isAdmin ? (
          <>
            {stepError ? (
              <p className="admin-error" role="alert" data-testid="action-result">
                {stepError}
              </p>
            ) : null}
            {confirm ? (
              <ConfirmPanel intent={confirm.intent} verdict={confirm.verdict} detail={detail} t={t} />
            ) : (
              <ActionForms
                billNumber={bill.billNumber}
                actions={available.actions}
                currency={currency}
                t={t}
              />
            )}
          </>
        ) : (
          <p className="admin-muted">{b.viewerNote}</p>
        )}

        <h2>{b.operations}</h2>
        {detail.operations.length === 0 ? (
          <p>{b.noOperations}</p>
        ) : (
          <TableWrap label={b.operations}>
            <table className="admin-table" data-testid="operations">
              <thead>
                <tr>
                  <th scope="col">{b.operation}</th>
                  <th scope="col">{b.kind}</th>
                  <th scope="col">{b.outcome}</th>
                  <th scope="col" className="num">
                    {b.amount}
                  </th>
                  <th scope="col">{b.at}</th>
                  <th scope="col">{b.code}</th>
                </tr>
              </thead>
              <tbody>
                {detail.operations.map((o) => (
                  <tr key={o.id}>
                    <td>{o.operationId}</td>
                    <td>{o.kind in b.opKinds ? b.opKinds[o.kind as keyof typeof b.opKinds] : o.rawKind}</td>
                    <td>
                      {o.outcome in b.opOutcomes
                        ? b.opOutcomes[o.outcome as keyof typeof b.opOutcomes]
                        : o.rawOutcome}
                    </td>
                    <td className="num">{money(o.amountKopecks, o.currency)}</td>
                    <td>{formatDateTime(o.at, locale)}</td>
                    <td>{responseText(o.responseCode, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}

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
