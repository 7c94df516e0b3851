import { isBillNumber } from '../billnumber';
import { parseAssistDate } from '../dates';
import { parseAmount } from '../money';
import type { GatewayBill, GatewayOperation, OperationKind, OperationOutcome, PaymentStatus } from '../types';

/**
 * The legacy (2010) protocol's records and statuses (docs/assist-protocol.md §8) mapped into the shared model.
 *
 * A legacy report row is one transaction of the bill `Payment No.`: the payment itself (card payment or
 * pre-authorization), a post-authorization (charge), a refund, void or reversal. Its `Order State` is the
 * outcome of that transaction, in positive/negative pairs: `Captured` / `Not captured` and so on. A
 * negative never undoes what a positive did — a refused refund leaves the money where it was — so a
 * bill's status is found by replaying its rows in date order, where a negative only decides a bill that
 * nothing else has decided yet. The same pairing across the bills of one order is what the shared
 * `actualStatus` already does once mapped: any positive bill hides the declined ones.
 *
 * One file over 300 lines because the state table and the replay that reads it are one rule.
 */

/** What one legacy `Order State` says about its transaction. */
interface LegacyState {
  kind: OperationKind;
  outcome: OperationOutcome;
  effect:
    | 'pending'
    | 'paid'
    | 'held'
    | 'declined'
    | 'captured'
    | 'returned_whole'
    | 'refunded'
    | 'failed_charge'
    | 'failed_cancel';
}

const STATES: Record<string, LegacyState> = {
  'in process': { kind: 'payment', outcome: 'pending', effect: 'pending' },
  authorized: { kind: 'payment', outcome: 'success', effect: 'paid' },
  'not authorized': { kind: 'payment', outcome: 'failed', effect: 'declined' },
  preauthorized: { kind: 'payment', outcome: 'success', effect: 'held' },
  'not preauthorized': { kind: 'payment', outcome: 'failed', effect: 'declined' },
  captured: { kind: 'charge', outcome: 'success', effect: 'captured' },
  'not captured': { kind: 'charge', outcome: 'failed', effect: 'failed_charge' },
  // A void releases a hold and a reversal cancels an authorization: both act on the whole transaction.
  voided: { kind: 'cancel', outcome: 'success', effect: 'returned_whole' },
  'not voided': { kind: 'cancel', outcome: 'failed', effect: 'failed_cancel' },
  reversaled: { kind: 'cancel', outcome: 'success', effect: 'returned_whole' },
  'not reversaled': { kind: 'cancel', outcome: 'failed', effect: 'failed_cancel' },
  refunded: { kind: 'cancel', outcome: 'success', effect: 'refunded' },
  'not refunded': { kind: 'cancel', outcome: 'failed', effect: 'failed_cancel' },
};

/** Every legacy state string, exactly as the gateway spells it. */
export const LEGACY_STATES = [
  'Authorized',
  'Not authorized',
  'Preauthorized',
  'Not preauthorized',
  'Captured',
  'Not captured',
  'Voided',
  'Not Voided',
  'Refunded',
  'Not Refunded',
  'Reversaled',
  'Not Reversaled',
  'in process',
] as const;

function stateOf(raw: string): LegacyState | undefined {
  return STATES[raw.trim().toLowerCase().replace(/\s+/g, ' ')];
}

/** Payment types (docs/assist-protocol.md §8) → kind, used when the state is not one we know. */
const PAYMENT_TYPES: Record<string, OperationKind> = {
  '1': 'payment',
  '2': 'payment',
  '3': 'charge',
  '4': 'cancel',
  '6': 'cancel',
  '7': 'cancel',
  '9': 'cancel',
  '10': 'payment',
  '20': 'payment',
  '24': 'payment',
};

/** One report row (or notification, or action reply) in our names; null = the cell had no value. */
export interface LegacyRow {
  billNumber: string;
  orderNumber: string;
  state: string;
  paymentType: string | null;
  amountKopecks: number | null;
  currency: string | null;
  /** The transaction's time: `Paket date`, else `Order Date`. */
  at: Date | null;
  responseCode: string | null;
  message: string | null;
  maskedCard: string | null;
  approvalCode: string | null;
  raw: Record<string, string>;
}

export type RowResult = { ok: true; row: LegacyRow } | { ok: false; error: string };

/** `UNKNOWN` and empty cells mean "no value" in legacy replies. */
export function cell(value: string | undefined): string | null {
  const v = value?.trim();
  return v === undefined || v === '' || v.toUpperCase() === 'UNKNOWN' ? null : v;
}

/** Builds a row from values already picked by name; checks the ones we interpret. */
export function toRow(
  v: {
    billNumber?: string;
    orderNumber?: string;
    state?: string;
    paymentType?: string;
    amount?: string;
    currency?: string;
    paketDate?: string;
    orderDate?: string;
    responseCode?: string;
    message?: string;
    maskedCard?: string;
    approvalCode?: string;
  },
  raw: Record<string, string>,
): RowResult {
  const billNumber = cell(v.billNumber);
  if (billNumber === null || !isBillNumber(billNumber))
    return { ok: false, error: 'Payment No. must be digits' };
  const orderNumber = cell(v.orderNumber);
  if (orderNumber === null) return { ok: false, error: 'Order Number is empty' };
  const state = cell(v.state);
  if (state === null) return { ok: false, error: 'Order State is empty' };
  const amountText = cell(v.amount);
  let amountKopecks: number | null = null;
  if (amountText !== null) {
    const a = parseAmount(amountText);
    if (!a.ok) return { ok: false, error: `Order Total: ${a.error}` };
    amountKopecks = a.kopecks;
  }
  const currency = cell(v.currency);
  if (currency !== null && !/^[A-Za-z]{3}$/.test(currency))
    return { ok: false, error: 'Currency Code is not a currency code' };
  let at: Date | null = null;
  for (const [name, text] of [
    ['Paket date', cell(v.paketDate)],
    ['Order Date', cell(v.orderDate)],
  ] as const) {
    if (text === null) continue;
    const d = parseAssistDate(text);
    if (d === null) return { ok: false, error: `${name}: not a dd.mm.yyyy hh:mm:ss date` };
    at ??= d;
  }
  return {
    ok: true,
    row: {
      billNumber,
      orderNumber,
      state,
      paymentType: cell(v.paymentType),
      amountKopecks,
      currency: currency === null ? null : currency.toUpperCase(),
      at,
      responseCode: cell(v.responseCode),
      message: cell(v.message),
      maskedCard: cell(v.maskedCard),
      approvalCode: cell(v.approvalCode),
      raw,
    },
  };
}

function operationOf(row: LegacyRow, timeKey: string): GatewayOperation {
  const s = stateOf(row.state);
  const kind = s?.kind ?? PAYMENT_TYPES[row.paymentType ?? ''] ?? 'unknown';
  // Legacy rows carry no operation id: type, time and amount are the only stable identity they offer,
  // and the same row read twice must land on the same operation (operations are facts, never doubled).
  const operationId = `${row.billNumber}.${row.paymentType ?? kind}@${timeKey}/${row.amountKopecks ?? '-'}`;
  return {
    operationId,
    kind,
    rawKind: row.paymentType ?? '',
    // An unrecognised state never counts as money moved.
    outcome: s?.outcome ?? 'failed',
    rawOutcome: row.state,
    amountKopecks: row.amountKopecks,
    currency: row.currency,
    at: row.at,
    responseCode: row.responseCode,
    message: row.message,
    maskedCard: row.maskedCard,
    approvalCode: row.approvalCode,
  };
}

function timeKey(d: Date | null): string {
  return d === null ? '-' : d.toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

/**
 * Folds the rows of one bill (any order) into a GatewayBill by replaying them in date order:
 * - `Authorized` → paid, `Preauthorized` → held (their total is the bill's amount);
 * - `Captured` → paid, or partially_charged when less than the hold was captured;
 * - `Voided`, `Reversaled` → refunded (whole-transaction operations), partially_refunded only when the
 *   amounts show less was returned than taken; `Refunded` → refunded or partially_refunded by amounts,
 *   and partially_refunded when the amount taken is not among the rows (never overstate a return);
 * - `Not authorized` / `Not preauthorized` → declined, unless the bill already took money;
 * - `Not captured` / `Not Voided` / `Not Refunded` / `Not Reversaled` keep the previous state (the
 *   money stayed where it was); alone they give held (a capture is only tried on a hold) or unknown;
 * - `in process` only decides a bill nothing else decided; an unknown state gives unknown, raw kept.
 * `withOperations: false` maps a notification, whose transaction has no identity to be stored by.
 */
export function foldRows(rows: LegacyRow[], testMode: boolean, withOperations = true): GatewayBill {
  const sorted = rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => (a.row.at?.getTime() ?? 0) - (b.row.at?.getTime() ?? 0) || a.i - b.i)
    .map((x) => x.row);
  const first = sorted[0];
  if (first === undefined) throw new Error('foldRows: no rows');

  // One object rather than two lets: the state is written from a helper, which defeats narrowing.
  const st: { status: PaymentStatus | null; raw: string } = { status: null, raw: first.state };
  let base: number | null = null;
  let currency: string | null = null;
  let captured: number | null = null;
  let returned = 0;
  let returnedKnown = true;
  let packetDate: Date | null = null;
  const set = (next: PaymentStatus, row: LegacyRow) => {
    st.status = next;
    st.raw = row.state;
  };

  for (const row of sorted) {
    if (row.at !== null && (packetDate === null || row.at > packetDate)) packetDate = row.at;
    const s = stateOf(row.state);
    const undecided = st.status === null || st.status === 'in_process' || st.status === 'unknown';
    switch (s?.effect) {
      case 'pending':
        if (st.status === null) set('in_process', row);
        break;
      case 'paid':
      case 'held':
        base = row.amountKopecks;
        currency = row.currency;
        set(s.effect, row);
        break;
      case 'declined':
        base ??= row.amountKopecks;
        currency ??= row.currency;
        if (undecided) set('declined', row);
        break;
      case 'captured': {
        const amount = row.amountKopecks;
        captured = (captured ?? 0) + (amount ?? 0);
        set(base !== null && amount !== null && amount < base ? 'partially_charged' : 'paid', row);
        break;
      }
      case 'returned_whole':
      case 'refunded': {
        if (row.amountKopecks === null) returnedKnown = false;
        returned += row.amountKopecks ?? 0;
        const taken = captured ?? base;
        const comparable = taken !== null && returnedKnown;
        const full = comparable ? returned >= taken : s.effect === 'returned_whole';
        set(full ? 'refunded' : 'partially_refunded', row);
        break;
      }
      case 'failed_charge':
        if (undecided) set('held', row);
        break;
      default:
        // failed_cancel and unrecognised states: the money stayed where the earlier rows put it.
        if (undecided) set('unknown', row);
    }
  }
  const last = sorted[sorted.length - 1] ?? first;
  const pick = <K extends 'responseCode' | 'message' | 'maskedCard'>(k: K) =>
    [...sorted].reverse().find((r) => r[k] !== null)?.[k] ?? null;
  return {
    billNumber: first.billNumber,
    orderNumber: last.orderNumber,
    status: st.status ?? 'unknown',
    rawStatus: st.raw,
    amountKopecks: base,
    currency: currency ?? sorted.find((r) => r.currency !== null)?.currency ?? null,
    // The legacy protocol marks no payment as a test: the test host (test.assist.ru) only takes test
    // payments and the production host none, so the configured mode says what every bill is.
    testMode,
    packetDate,
    responseCode: pick('responseCode'),
    message: pick('message'),
    maskedCard: pick('maskedCard'),
    operations: withOperations ? sorted.map((r) => operationOf(r, timeKey(r.at))) : [],
    raw: Object.assign({}, ...sorted.map((r) => r.raw)) as Record<string, string>,
  };
}

/** Groups rows by `Payment No.` and folds each group: one GatewayBill per bill. */
export function billsFromRows(rows: LegacyRow[], testMode: boolean): GatewayBill[] {
  const groups = new Map<string, LegacyRow[]>();
  for (const row of rows) {
    const g = groups.get(row.billNumber);
    if (g) g.push(row);
    else groups.set(row.billNumber, [row]);
  }
  return [...groups.values()].map((g) => foldRows(g, testMode));
}
