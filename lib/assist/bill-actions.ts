import type { GatewayBill } from './types';

export type BillForActions = Pick<GatewayBill, 'status' | 'amountKopecks' | 'operations'>;

/** An admin action already sent (or about to be) whose outcome is not yet recorded on the bill. */
export interface InFlightAction {
  kind: 'charge' | 'cancel';
  amountKopecks: number;
}

export type ActionVerdict =
  | { allowed: true; maxKopecks: number }
  | {
      allowed: false;
      reason: 'not_held' | 'already_charged' | 'nothing_left' | 'amount_unknown' | 'action_in_flight';
    };

export interface BillActions {
  charge: ActionVerdict;
  /** Cancel a hold or refund a charge: ASSIST picks which from the bill's state. */
  cancel: ActionVerdict;
  warnings: Array<{ kind: 'hold_aging'; heldSince: Date; ageDays: number }>;
}

export interface BillActionsInput {
  bill: BillForActions;
  inFlight: InFlightAction[];
  /** When the hold started; null when unknown (then no age warning can be given). */
  heldSince: Date | null;
  now: Date;
  holdWarningDays: number;
}

const DAY_MS = 86_400_000;

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** What can still be returned, or null when the operations needed to know it are missing. */
function returnableKopecks(
  status: BillForActions['status'],
  amount: number | null,
  charged: number | null,
  returned: number,
  finishedOperations: number,
): number | null {
  switch (status) {
    case 'held':
      return amount === null ? null : amount - returned;
    case 'paid':
    case 'partially_charged':
    case 'partially_refunded':
      if (charged !== null) return charged - returned;
      // Without a charge operation only a one-stage payment explains the state: the payment took the
      // money. A partial charge or an earlier refund without its operations is unknown: refuse to guess.
      if (status === 'partially_charged' || (status === 'partially_refunded' && finishedOperations === 0))
        return null;
      return amount === null ? null : amount - returned;
    default:
      return 0;
  }
}

/**
 * Charges and refunds still in process at the bank (AS300): their money is spoken for until they end.
 * One that settled as a separate operation (a later finished one of its kind and amount) is over.
 */
function runningOperations(operations: BillForActions['operations']): InFlightAction[] {
  const running: InFlightAction[] = [];
  operations.forEach((o, i) => {
    if (o.outcome !== 'pending' || (o.kind !== 'charge' && o.kind !== 'cancel')) return;
    const settled = operations
      .slice(i + 1)
      .some((l) => l.kind === o.kind && l.outcome !== 'pending' && l.amountKopecks === o.amountKopecks);
    if (!settled) running.push({ kind: o.kind, amountKopecks: o.amountKopecks ?? Number.MAX_SAFE_INTEGER });
  });
  return running;
}

/**
 * What staff may do to a bill (docs/assist-protocol.md §5, §7). Charge: only from held, once, up to the held amount.
 * Cancel: up to what can still be returned (held amount, or charged minus already returned), minus what
 * in-flight actions may take. An old hold is a warning: the gateway's answer is final, not our clock.
 */
export function billActions(input: BillActionsInput): BillActions {
  const { bill } = input;
  const inFlight = [...input.inFlight, ...runningOperations(bill.operations)];
  const done = bill.operations.filter((o) => o.outcome === 'success');
  const charges = done.filter((o) => o.kind === 'charge');
  const chargedOps = sum(charges.map((o) => o.amountKopecks ?? 0));
  const returned = sum(done.filter((o) => o.kind === 'cancel').map((o) => o.amountKopecks ?? 0));
  const pendingCharge = inFlight.some((a) => a.kind === 'charge');
  const pendingCancel = sum(inFlight.filter((a) => a.kind === 'cancel').map((a) => a.amountKopecks));
  const amount = bill.amountKopecks;

  let charge: ActionVerdict;
  if (bill.status !== 'held') charge = { allowed: false, reason: 'not_held' };
  else if (charges.length > 0) charge = { allowed: false, reason: 'already_charged' };
  else if (pendingCharge) charge = { allowed: false, reason: 'action_in_flight' };
  else if (amount === null) charge = { allowed: false, reason: 'amount_unknown' };
  else {
    const left = amount - returned - pendingCancel;
    charge = left > 0 ? { allowed: true, maxKopecks: left } : { allowed: false, reason: 'nothing_left' };
  }

  const returnable = returnableKopecks(
    bill.status,
    amount,
    charges.length > 0 ? chargedOps : null,
    returned,
    done.length,
  );
  let cancel: ActionVerdict;
  if (returnable === null) cancel = { allowed: false, reason: 'amount_unknown' };
  else if (pendingCharge) cancel = { allowed: false, reason: 'action_in_flight' };
  else {
    const left = returnable - pendingCancel;
    cancel = left > 0 ? { allowed: true, maxKopecks: left } : { allowed: false, reason: 'nothing_left' };
  }

  const warnings: BillActions['warnings'] = [];
  if (bill.status === 'held' && input.heldSince) {
    const ageDays = Math.floor((input.now.getTime() - input.heldSince.getTime()) / DAY_MS);
    if (ageDays >= input.holdWarningDays)
      warnings.push({ kind: 'hold_aging', heldSince: input.heldSince, ageDays });
  }
  return { charge, cancel, warnings };
}

/** Checks a requested amount against a verdict: a typed refusal instead of a gateway error later. */
export function checkActionAmount(
  verdict: ActionVerdict,
  amountKopecks: number,
): { ok: true } | { ok: false; error: string } {
  if (!verdict.allowed) return { ok: false, error: verdict.reason };
  if (!Number.isSafeInteger(amountKopecks) || amountKopecks <= 0)
    return { ok: false, error: 'amount_invalid' };
  if (amountKopecks > verdict.maxKopecks) return { ok: false, error: 'amount_exceeds_limit' };
  return { ok: true };
}
