import { type GatewayError, gatewayErrorSchema } from '@/lib/assist';
import type { FormOutcome } from '@/lib/payments/admin-action-input';
import type { BillActionError } from '@/lib/payments/admin-actions';

/**
 * The outcome of a bill form, carried to the bill page in its URL (post/redirect/get): a reload shows
 * the message again but never repeats the action.
 */
export type FlashCode =
  | 'succeeded'
  | 'pending'
  | BillActionError['kind']
  | 'forbidden'
  | 'invalid_amount'
  | 'invalid_reason'
  | 'invalid_form';

const CODES: readonly FlashCode[] = [
  'succeeded',
  'pending',
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
  'forbidden',
  'invalid_amount',
  'invalid_reason',
  'invalid_form',
];

export type Flash = {
  code: FlashCode;
  actionId: number | null;
  maxKopecks: number | null;
  currency: string | null;
  refusal: string | null;
  gatewayError: GatewayError | null;
};

function params(code: FlashCode, extra: Record<string, string | number> = {}): URLSearchParams {
  return new URLSearchParams({
    done: code,
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])),
  });
}

/** Every outcome of a form, one switch: a new error kind does not compile until it is mapped here. */
export function flashParams(outcome: Exclude<FormOutcome, { kind: 'signed_out' }>): URLSearchParams {
  switch (outcome.kind) {
    case 'forbidden':
      return params('forbidden');
    case 'invalid':
      return params(`invalid_${outcome.field}`);
    case 'done': {
      const { result } = outcome;
      if (result.ok)
        return params(result.action.state === 'succeeded' ? 'succeeded' : 'pending', {
          action: result.action.id,
        });
      const error = result.error;
      switch (error.kind) {
        case 'bill_not_found':
        case 'action_not_found':
        case 'amount_invalid':
        case 'reason_required':
          return params(error.kind);
        case 'not_allowed':
          return params(error.kind, { refusal: error.reason });
        case 'amount_exceeds_limit':
          return params(error.kind, { max: error.maxKopecks, currency: error.currency });
        case 'another_action_in_progress':
        case 'idempotency_conflict':
          return params(error.kind, { action: error.actionId });
        case 'gateway_refused':
        case 'outcome_unknown':
        case 'not_unsettled':
          return params(error.kind, { action: error.action.id });
        case 'reread_failed':
          return params(error.kind, { gerr: JSON.stringify(error.error) });
        default: {
          const unhandled: never = error;
          return unhandled;
        }
      }
    }
  }
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

export function readFlash(search: Record<string, string | string[] | undefined>): Flash | null {
  const code = one(search.done);
  if (!code || !(CODES as readonly string[]).includes(code)) return null;
  const currency = one(search.currency);
  return {
    code: code as FlashCode,
    actionId: int(one(search.action)),
    maxKopecks: int(one(search.max)),
    currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : null,
    refusal: one(search.refusal) ?? null,
    gatewayError: gatewayError(one(search.gerr)),
  };
}
