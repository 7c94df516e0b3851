import { type GatewayError, gatewayErrorSchema } from '@/lib/assist';
import { type FormOutcome, INVALID_FIELDS, type InvalidField } from '@/lib/payments/admin-action-input';
import { BILL_ACTION_ERROR_KINDS, type BillActionError } from '@/lib/payments/admin-action-outcomes';

/**
 * The outcome of a bill form, carried to the bill page in its URL (post/redirect/get): a reload shows
 * the message again but never repeats the action. The codes follow the outcome lists of lib/payments;
 * each has its message in the dictionaries.
 */
export const FLASH_CODES = [
  'succeeded',
  'pending',
  ...BILL_ACTION_ERROR_KINDS,
  'forbidden',
  ...INVALID_FIELDS.map((field) => `invalid_${field}` as const),
] as const;
export type FlashCode = (typeof FLASH_CODES)[number];

export type Flash = {
  code: FlashCode;
  actionId: number | null;
  maxKopecks: number | null;
  currency: string | null;
  refusal: string | null;
  gatewayError: GatewayError | null;
};

function flash(code: FlashCode, details: Partial<Omit<Flash, 'code'>> = {}): Flash {
  return {
    code,
    actionId: null,
    maxKopecks: null,
    currency: null,
    refusal: null,
    gatewayError: null,
    ...details,
  };
}

const invalid = (field: InvalidField) => flash(`invalid_${field}`);

/** Every way a bill action can fail, one switch: a new error kind does not compile until it is mapped here. */
export function errorFlash(error: BillActionError | { kind: 'invalid'; field: InvalidField }): Flash {
  switch (error.kind) {
    case 'invalid':
      return invalid(error.field);
    case 'bill_not_found':
    case 'action_not_found':
    case 'amount_invalid':
    case 'reason_required':
      return flash(error.kind);
    case 'not_allowed':
      return flash(error.kind, { refusal: error.reason });
    case 'amount_exceeds_limit':
      return flash(error.kind, { maxKopecks: error.maxKopecks, currency: error.currency });
    case 'another_action_in_progress':
    case 'idempotency_conflict':
      return flash(error.kind, { actionId: error.actionId });
    case 'gateway_refused':
    case 'outcome_unknown':
    case 'not_unsettled':
      return flash(error.kind, { actionId: error.action.id });
    case 'reread_failed':
      return flash(error.kind, { gatewayError: error.error });
    default: {
      const unhandled: never = error;
      return unhandled;
    }
  }
}

/** The flash of a submitted form. */
export function outcomeFlash(outcome: Exclude<FormOutcome, { kind: 'signed_out' }>): Flash {
  switch (outcome.kind) {
    case 'forbidden':
      return flash('forbidden');
    case 'invalid':
      return errorFlash(outcome);
    case 'done': {
      const { result } = outcome;
      if (!result.ok) return errorFlash(result.error);
      return flash(result.action.state === 'succeeded' ? 'succeeded' : 'pending', {
        actionId: result.action.id,
      });
    }
  }
}

export function flashParams(f: Flash): URLSearchParams {
  const params = new URLSearchParams({ done: f.code });
  if (f.actionId !== null) params.set('action', String(f.actionId));
  if (f.maxKopecks !== null) params.set('max', String(f.maxKopecks));
  if (f.currency !== null) params.set('currency', f.currency);
  if (f.refusal !== null) params.set('refusal', f.refusal);
  if (f.gatewayError !== null) params.set('gerr', JSON.stringify(f.gatewayError));
  return params;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function int(value: string | undefined): number | null {
  return value && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/** A hand-edited URL is not an error of ours: anything that is not a gateway error shows none. */
function gatewayError(value: string | undefined): GatewayError | null {
  if (!value || value.length > 2000) return null;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = gatewayErrorSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

function isFlashCode(value: string | undefined): value is FlashCode {
  return (FLASH_CODES as readonly (string | undefined)[]).includes(value);
}

export function readFlash(search: Record<string, string | string[] | undefined>): Flash | null {
  const code = one(search.done);
  if (!isFlashCode(code)) return null;
  const currency = one(search.currency);
  return flash(code, {
    actionId: int(one(search.action)),
    maxKopecks: int(one(search.max)),
    currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : null,
    refusal: one(search.refusal) ?? null,
    gatewayError: gatewayError(one(search.gerr)),
  });
}
