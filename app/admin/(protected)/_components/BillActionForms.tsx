import { randomUUID } from 'node:crypto';
import { type ActionVerdict, type BillActions, formatAmount } from '@/lib/assist';
import { type Dictionary, fill } from '@/lib/i18n';
import type { BillActionIntent } from '@/lib/payments/admin-action-input';
import { confirmBillAction } from '../bills/[billNumber]/actions';
import { money } from './display';

type T = Dictionary['admin'];
type Kind = BillActionIntent['kind'];

/**
 * Charge and cancel/refund in two steps: a form per kind (a GET to the bill page's confirm step), then
 * the confirm panel, the only form that reaches the gateway.
 */
export function BillActionForms({
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
  return (
    <div className="admin-action-forms">
      <ActionForm kind="charge" billNumber={billNumber} verdict={actions.charge} currency={currency} t={t} />
      <ActionForm kind="cancel" billNumber={billNumber} verdict={actions.cancel} currency={currency} t={t} />
    </div>
  );
}

function ActionForm({
  kind,
  billNumber,
  verdict,
  currency,
  t,
}: {
  kind: Kind;
  billNumber: string;
  verdict: ActionVerdict;
  currency: string;
  t: T;
}) {
  const b = t.bill;
  const title = kind === 'charge' ? b.chargeTitle : b.cancelTitle;
  // An action this bill does not allow takes one line, not a form-sized card.
  if (!verdict.allowed)
    return (
      <p className="admin-refusal" data-testid={`${kind}-form`}>
        <strong>{title}:</strong> {b.refusals[verdict.reason]}
      </p>
    );
  const max = money(verdict.maxKopecks, currency);
  return (
    <form
      method="get"
      action={`/admin/bills/${billNumber}`}
      className="admin-form admin-card"
      data-testid={`${kind}-form`}
    >
      <h3>{title}</h3>
      <input type="hidden" name="step" value="confirm" />
      <input type="hidden" name="kind" value={kind} />
      <fieldset className="admin-radios">
        <label>
          <input type="radio" name="scope" value="full" defaultChecked /> {fill(b.scopeFull, { amount: max })}
        </label>
        <label>
          <input type="radio" name="scope" value="partial" /> {b.scopePartial}
        </label>
      </fieldset>
      <div className="admin-field">
        <label htmlFor={`${kind}-amount`}>{fill(b.amountLabel, { amount: max })}</label>
        <input
          id={`${kind}-amount`}
          name="amount"
          inputMode="decimal"
          maxLength={32}
          placeholder="1 500,00"
        />
      </div>
      {kind === 'cancel' ? (
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
      ) : null}
      <div className="admin-field">
        <label htmlFor={`${kind}-comment`}>{b.comment}</label>
        <input id={`${kind}-comment`} name="comment" maxLength={500} />
      </div>
      <button type="submit" className="button">
        {b.continue}
      </button>
    </form>
  );
}

/** Step two: exactly what will happen, and the only form that reaches the gateway. */
export function ConfirmPanel({
  intent,
  bill,
  maxKopecks,
  t,
}: {
  intent: BillActionIntent;
  bill: { billNumber: string; status: string; currency: string };
  maxKopecks: number;
  t: T;
}) {
  const c = t.bill.confirm;
  const cur = bill.currency;
  const amount = intent.amountKopecks ?? maxKopecks;
  const vars = { bill: bill.billNumber, amount: money(amount, cur), max: money(maxKopecks, cur) };
  const lines: string[] = [];
  if (intent.kind === 'charge') {
    if (intent.amountKopecks === null) lines.push(fill(c.chargeFull, vars));
    else {
      lines.push(fill(c.chargePartial, vars));
      if (amount < maxKopecks) lines.push(fill(c.chargeReleases, { rest: money(maxKopecks - amount, cur) }));
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
