import {
  type ActionVerdict,
  type BillActions,
  type CancelReason,
  checkActionAmount,
  type GatewayError,
} from '@/lib/assist';
import type { AdminActionKind, adminActions } from './admin-actions-schema';

export type AdminAction = typeof adminActions.$inferSelect;

/**
 * Every way a staff charge or refund can end unfinished, listed once: the error type below, the bill
 * page's flash codes and its messages (one per code in the dictionaries) all follow this list.
 */
export const BILL_ACTION_ERROR_KINDS = [
  'bill_not_found',
  'action_not_found',
  'not_allowed',
  'amount_invalid',
  'amount_exceeds_limit',
  'reason_required',
  'another_action_in_progress',
  'idempotency_conflict',
  'gateway_refused',
  'outcome_unknown',
  'reread_failed',
  'not_unsettled',
] as const;
export type BillActionErrorKind = (typeof BILL_ACTION_ERROR_KINDS)[number];

export type RefusalReason = Extract<ActionVerdict, { allowed: false }>['reason'];

/** What an error carries besides its kind (a kind not named here carries nothing). */
type ErrorDetails = {
  not_allowed: { reason: RefusalReason };
  amount_exceeds_limit: { maxKopecks: number; currency: string };
  another_action_in_progress: { actionId: number };
  /** The key was already used for a different request (another bill, kind or amount). */
  idempotency_conflict: { actionId: number };
  /** The gateway refused: nothing happened. */
  gateway_refused: { action: AdminAction; error: GatewayError };
  /** The request may or may not have taken effect; the bill is blocked until a re-read settles it. */
  outcome_unknown: { action: AdminAction; error: GatewayError };
  /** Settling needs the gateway, which did not answer; the action stays unknown. */
  reread_failed: { error: GatewayError };
  not_unsettled: { action: AdminAction };
};

export type BillActionError = {
  [K in BillActionErrorKind]: { kind: K } & (K extends keyof ErrorDetails ? ErrorDetails[K] : unknown);
}[BillActionErrorKind];

export type BillActionResult =
  | { ok: true; action: AdminAction; replayed: boolean }
  | { ok: false; error: BillActionError };

export type BillActionAsk = {
  kind: AdminActionKind;
  /** Null: everything still held (charge) or still returnable (cancel). */
  amountKopecks: number | null;
  reason: CancelReason | null;
};

/**
 * A request against what the bill allows. The confirm step and the reservation both ask this, so the
 * page never shows a panel the action would then refuse, nor refuses what the action would take.
 */
export function checkBillAction(
  actions: BillActions,
  ask: BillActionAsk,
  currency: string,
): { ok: true; maxKopecks: number } | { ok: false; error: BillActionError } {
  if (ask.kind === 'cancel' && !ask.reason) return { ok: false, error: { kind: 'reason_required' } };
  const verdict = actions[ask.kind];
  if (!verdict.allowed) return { ok: false, error: { kind: 'not_allowed', reason: verdict.reason } };
  const check = checkActionAmount(verdict, ask.amountKopecks ?? verdict.maxKopecks);
  if (check.ok) return { ok: true, maxKopecks: verdict.maxKopecks };
  return {
    ok: false,
    error:
      check.error === 'amount_exceeds_limit'
        ? { kind: 'amount_exceeds_limit', maxKopecks: verdict.maxKopecks, currency }
        : { kind: 'amount_invalid' },
  };
}
