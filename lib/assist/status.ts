import type { OperationKind, OperationOutcome, PaymentStatus } from './types';

/** Current-API order states (docs/assist-protocol.md §6) → the app's status model. */
const ORDER_STATES: Record<string, PaymentStatus> = {
  'in process': 'in_process',
  delayed: 'held',
  approved: 'paid',
  // Both partial states mean "charged in part" (docs/assist-protocol.md §6); nothing more can be charged afterwards.
  partialapproved: 'partially_charged',
  partialdelayed: 'partially_charged',
  canceled: 'refunded',
  partialcanceled: 'partially_refunded',
  declined: 'declined',
  timeout: 'expired',
};

/** Whether `raw` is one of the documented order states (case-insensitive, no padding). */
export function isDocumentedOrderState(raw: string): boolean {
  return Object.hasOwn(ORDER_STATES, raw.toLowerCase());
}

/**
 * Remembers a mapping of state spellings, the first `size` seen: a report repeats a few spellings in
 * every row, and mapping one lower-cases a new string each time.
 */
function remembered<T>(map: (raw: string) => T, size = 64): (raw: string) => T {
  const seen = new Map<string, T>();
  return (raw) => {
    const known = seen.get(raw);
    if (known !== undefined || seen.has(raw)) return known as T;
    const value = map(raw);
    if (seen.size < size) seen.set(raw, value);
    return value;
  };
}

/** Maps an `orderstate` string; unrecognised states become `unknown` (the caller keeps the raw string). */
export const mapOrderState: (raw: string) => PaymentStatus = remembered(
  (raw) => ORDER_STATES[raw.trim().toLowerCase()] ?? 'unknown',
);

const OPERATION_TYPES: Record<string, OperationKind> = { '100': 'payment', '200': 'charge', '300': 'cancel' };

/** Maps an `operationtype` code (100 payment, 200 charge, 300 cancel). */
export function mapOperationType(raw: string): OperationKind {
  return OPERATION_TYPES[raw.trim()] ?? 'unknown';
}

/**
 * Maps an `operationstate`. The report filter documents single letters (N P S F T); replies spell
 * words (`Success`, `In Process`, `Declined`, `Timeout`). A state outside these is null: the caller
 * treats the reply as not understood rather than guessing whether money moved.
 */
export const mapOperationState: (raw: string) => OperationOutcome | null = remembered((raw) => {
  const s = raw.trim().toLowerCase();
  if (s === 's' || s === 'success' || s === 'approved' || s === 'completed') return 'success';
  if (s === 'n' || s === 'p' || s === 'in process' || s === 'inprocess' || s === 'new' || s === '')
    return 'pending';
  if (s === 'f' || s === 't' || s === 'declined' || s === 'timeout' || s === 'failed' || s === 'failure')
    return 'failed';
  return null;
});

/** States in which the bill took money at some point (held, charged, refunded afterwards). */
export function isPositive(status: PaymentStatus): boolean {
  return (
    status === 'held' ||
    status === 'paid' ||
    status === 'partially_charged' ||
    status === 'partially_refunded' ||
    status === 'refunded'
  );
}

/** States in which the bill holds or keeps at least part of the customer's money right now. */
export function holdsMoney(status: PaymentStatus): boolean {
  return (
    status === 'held' ||
    status === 'paid' ||
    status === 'partially_charged' ||
    status === 'partially_refunded'
  );
}

/**
 * Lifecycle rank for the merge rule: in process → held/declined/expired → paid/charged in part →
 * refunded in part → refunded. `unknown` ranks with `in_process`: it may replace a pending state (and is
 * then visible to staff) but never hides a known outcome.
 */
export function statusRank(status: PaymentStatus): number {
  switch (status) {
    case 'in_process':
    case 'unknown':
      return 0;
    case 'declined':
    case 'expired':
    case 'held':
      return 1;
    case 'paid':
    case 'partially_charged':
      return 2;
    case 'partially_refunded':
      return 3;
    case 'refunded':
      return 4;
  }
}
