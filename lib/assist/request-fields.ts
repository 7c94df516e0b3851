import type { ChargeRequest, GatewayError } from './gateway';
import { formatAmount, MAX_KOPECKS } from './money';

/**
 * A posted form's fields by lower-cased name (ASSIST's ColdFusion names are case-insensitive), values
 * trimmed. When a name repeats, the first value wins, so a second copy cannot override a signed one.
 */
export function lowercasedFields(
  fields: URLSearchParams | Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = fields instanceof URLSearchParams ? [...fields.entries()] : Object.entries(fields);
  for (const [k, v] of entries) {
    const key = k.toLowerCase();
    if (v !== undefined && !(key in out)) out[key] = v.trim();
  }
  return out;
}

/**
 * A partial charge's or cancel's amount fields, named as the protocol names them (`Amount` in the
 * current API, `Subtotal_P` in the legacy one); none for a full one. Invalid amounts never leave.
 */
export function amountFields(
  amount: ChargeRequest['amount'],
  amountField: 'Amount' | 'Subtotal_P',
): Array<[string, string]> | GatewayError {
  if (amount === undefined) return [];
  if (!Number.isSafeInteger(amount.kopecks) || amount.kopecks <= 0 || amount.kopecks > MAX_KOPECKS) {
    return {
      kind: 'invalid_request',
      field: 'amount.kopecks',
      message: 'must be a positive whole number of kopecks',
    };
  }
  if (!/^[A-Z]{3}$/.test(amount.currency)) {
    return { kind: 'invalid_request', field: 'amount.currency', message: 'must be 3 capital letters' };
  }
  return [
    [amountField, formatAmount(amount.kopecks)],
    ['Currency', amount.currency],
  ];
}
