import { compareBillNumbers, isExtendedBillNumber } from './billnumber';
import { statusRank } from './status';
import type { GatewayBill, GatewayOperation } from './types';

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface MergeResult {
  bill: GatewayBill;
  changes: FieldChange[];
}

/** Descriptive fields: the newest packet's non-empty value wins, an older packet only fills gaps. */
const SCALARS = [
  'orderNumber',
  'amountKopecks',
  'currency',
  'testMode',
  'responseCode',
  'message',
  'maskedCard',
] as const;

function time(d: Date | null): number | null {
  return d === null ? null : d.getTime();
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/** The bill and the number of `<bill>.<n>[.…]`: what comes before its first dot, and up to its second. */
function idPart(id: string, part: 0 | 1): string {
  const dot = id.indexOf('.');
  if (part === 0) return dot === -1 ? id : id.slice(0, dot);
  if (dot === -1) return '';
  const next = id.indexOf('.', dot + 1);
  return id.slice(dot + 1, next === -1 ? id.length : next);
}

/** Whether two ids name the same bill: the operations of one bill are mostly compared with each other. */
function sameBill(x: string, y: string): boolean {
  const dot = x.indexOf('.');
  if (dot !== y.indexOf('.') || (dot === -1 && x.length !== y.length)) return false;
  const end = dot === -1 ? x.length : dot;
  for (let i = 0; i < end; i++) if (x.charCodeAt(i) !== y.charCodeAt(i)) return false;
  return true;
}

function byOperationId(a: GatewayOperation, b: GatewayOperation): number {
  const x = a.operationId;
  const y = b.operationId;
  return (
    (sameBill(x, y) ? 0 : compareBillNumbers(idPart(x, 0), idPart(y, 0))) ||
    compareBillNumbers(idPart(x, 1), idPart(y, 1)) ||
    (x < y ? -1 : 1)
  );
}

/**
 * Operations in id order. A merge appends new operations to ones already in order, which mostly leaves
 * them in order: checking costs nothing, while a sort allocates its work space on every call.
 */
function inIdOrder(ops: GatewayOperation[]): GatewayOperation[] {
  for (let i = 1; i < ops.length; i++)
    if (byOperationId(ops[i - 1] as GatewayOperation, ops[i] as GatewayOperation) > 0)
      return ops.sort(byOperationId);
  return ops;
}

/** What the merge rule reads of an operation to decide whether it is a new fact. */
export type OperationFacts = Pick<GatewayOperation, 'operationId' | 'kind' | 'outcome' | 'amountKopecks'>;

/** An operation named by its extended billnumber `<bill>.<n>`, as every web-service reply names it. */
export function identified(op: Pick<GatewayOperation, 'operationId'>): boolean {
  return isExtendedBillNumber(op.operationId);
}

/**
 * One operation seen once with its extended billnumber and once without (a notification names only the
 * bill): a bill has one payment attempt, and the notification reports only that, so a payment is
 * identity enough.
 */
function sameUnidentifiedFact(a: OperationFacts, b: OperationFacts): boolean {
  return identified(a) !== identified(b) && a.kind === 'payment' && b.kind === 'payment';
}

const CONFIRMED = /@reply-\d+$/;

/**
 * A charge or cancel the gateway confirmed without describing it (the legacy services answer a bare
 * `ERROR:`), recorded at once so that the money is right before the next read; `ref` keeps two such
 * refunds of one amount apart. The read that brings the operation itself replaces it (see `mergeBill`).
 */
export function confirmedOperation(input: {
  billNumber: string;
  kind: 'charge' | 'cancel';
  amountKopecks: number;
  currency: string | null;
  ref: number;
}): GatewayOperation {
  return {
    operationId: `${input.billNumber}.${input.kind}@reply-${input.ref}`,
    kind: input.kind,
    rawKind: '',
    outcome: 'success',
    rawOutcome: '',
    amountKopecks: input.amountKopecks,
    currency: input.currency,
    at: null,
    responseCode: null,
    message: null,
    maskedCard: null,
    approvalCode: null,
  };
}

/** A read operation that is the confirmed one: a bill is charged once; a cancel is told by its amount. */
function readsConfirmed(stored: OperationFacts, incoming: OperationFacts): boolean {
  return (
    CONFIRMED.test(stored.operationId) &&
    !CONFIRMED.test(incoming.operationId) &&
    stored.kind === incoming.kind &&
    (stored.kind === 'charge' || stored.amountKopecks === incoming.amountKopecks)
  );
}

/**
 * The one monotonic merge rule (docs/adr/0001-assist-adapter.md) for every source: the state only moves forward in the
 * lifecycle (equal rank: the newer packet decides), an older packet never overwrites a newer one, and
 * operations are facts keyed by extended billnumber: added, never rewritten. Returns the changed fields
 * so that the caller can write history rows; identical information yields no changes.
 */
export function mergeBill(stored: GatewayBill | null, incoming: GatewayBill): MergeResult {
  if (stored === null) {
    const bill = { ...incoming, operations: inIdOrder([...incoming.operations]) };
    return {
      bill,
      changes: [{ field: 'billNumber', old: null, new: incoming.billNumber }],
    };
  }
  const merged: GatewayBill = { ...stored };
  const changes: FieldChange[] = [];
  fold(merged, stored, incoming, changes);
  return { bill: merged, changes };
}

/**
 * Folds `incoming` into `stored` in place by the same rule, for a caller that owns `stored` and keeps no
 * history: the bill collector of one reply, which folds every further row of a bill into it and would
 * otherwise copy the bill and list its changes once per row. `stored` keeps `incoming`'s values (its
 * operations, dates, strings), never `incoming` itself, its operations array or its raw fields object.
 */
export function foldBill(stored: GatewayBill, incoming: GatewayBill): void {
  fold(stored, stored, incoming, null);
}

/**
 * The rule itself: writes into `merged` (a copy of `stored`, or `stored` itself: every field of `stored`
 * is read before the step that may write it) and lists the changes in `changes` when given.
 */
function fold(
  merged: GatewayBill,
  stored: GatewayBill,
  incoming: GatewayBill,
  changes: FieldChange[] | null,
): void {
  if (stored.billNumber !== incoming.billNumber) {
    throw new Error(`mergeBill: billnumbers differ (${stored.billNumber} vs ${incoming.billNumber})`);
  }
  const storedAt = time(stored.packetDate);
  const incomingAt = time(incoming.packetDate);
  const older = storedAt !== null && incomingAt !== null && incomingAt < storedAt;
  const newer = incomingAt !== null && (storedAt === null || incomingAt > storedAt);

  if (!older) {
    const up = statusRank(incoming.status) - statusRank(stored.status);
    if (up > 0 || (up === 0 && newer)) {
      setField(merged, changes, 'status', incoming.status);
      setField(merged, changes, 'rawStatus', incoming.rawStatus);
    }
  }
  if (newer) setField(merged, changes, 'packetDate', incoming.packetDate);
  for (const field of SCALARS) {
    const value = incoming[field];
    if (value === null) continue;
    if (merged[field] === null || newer) setField(merged, changes, field, value);
  }
  if (newer) merged.raw = { ...stored.raw, ...incoming.raw };
  else if (fillsGaps(stored.raw, incoming.raw)) {
    const gaps: Record<string, string> = {};
    for (const k of Object.keys(incoming.raw)) if (!(k in stored.raw)) gaps[k] = incoming.raw[k] as string;
    merged.raw = { ...stored.raw, ...gaps };
  }

  const added: Added<GatewayOperation> | null = changes === null ? null : [];
  const known = mergeOperations(stored.operations, incoming.operations, added);
  if (known !== null) merged.operations = inIdOrder(known);
  if (changes !== null && added !== null)
    for (const o of added) changes.push({ field: `operation ${o.new.operationId}`, old: o.old, new: o.new });
}

type Added<T> = Array<{ old: T | null; new: T }>;

function setField<K extends keyof GatewayBill>(
  merged: GatewayBill,
  changes: FieldChange[] | null,
  field: K,
  value: GatewayBill[K],
): void {
  if (same(merged[field], value)) return;
  changes?.push({ field, old: merged[field], new: value });
  merged[field] = value;
}

/** Whether `incoming` has a field `stored` lacks; asked per merged row, so it allocates nothing. */
function fillsGaps(stored: Record<string, string>, incoming: Record<string, string>): boolean {
  for (const k in incoming) if (Object.hasOwn(incoming, k) && !(k in stored)) return true;
  return false;
}

/**
 * The merge rule's operation step. A finished operation is a fact and never rewritten; one still in
 * process is not yet a fact, and its outcome must be taken when it finishes, or a payment first seen in
 * process never counts as taken. An operation known only from a notification (no extended billnumber)
 * is the same fact as the report's identified operation of the same kind: the identified one takes its
 * place, and a late notification repeating an identified operation adds nothing. A confirmed operation
 * is replaced by the first read operation that is not yet known and answers to it.
 * Returns the operations, in a new array, when any was added (null when none was), and lists what was
 * added in `added` when given: the bill collector folds a row per call and has no use for the list.
 */
function mergeOperations<T extends OperationFacts>(
  stored: readonly T[],
  incoming: readonly T[],
  added: Added<T> | null,
): T[] | null {
  // The known operations in the order a map keyed by id keeps (a known id keeps its place, a new one
  // goes last), in one array sized for all of them: a bill has a few operations, and searching them
  // costs less than a map built per merge.
  const known = new Array<T>(stored.length + incoming.length);
  let n = 0;
  for (const o of stored) {
    const i = indexOfId(known, n, o.operationId);
    if (i === -1) known[n++] = o;
    else known[i] = o;
  }
  let any = false;
  for (const o of incoming) {
    const isKnown = indexOfId(known, n, o.operationId) !== -1;
    let t = -1;
    for (let i = 0; i < n && t === -1; i++) {
      const k = known[i] as T;
      if (sameUnidentifiedFact(k, o) || (!isKnown && readsConfirmed(k, o))) t = i;
    }
    const twin = t === -1 ? undefined : (known[t] as T);
    if (twin !== undefined && !identified(o) && !readsConfirmed(twin, o)) continue;
    if (twin !== undefined) {
      known.copyWithin(t, t + 1, n);
      n--;
    }
    const at = indexOfId(known, n, o.operationId);
    const prev = at === -1 ? twin : (known[at] as T);
    if (twin === undefined && prev !== undefined && !(prev.outcome === 'pending' && o.outcome !== 'pending'))
      continue;
    if (at === -1) known[n++] = o;
    else known[at] = o;
    any = true;
    added?.push({ old: prev ?? null, new: o });
  }
  if (!any) return null;
  known.length = n;
  return known;
}

function indexOfId(ops: readonly OperationFacts[], n: number, id: string): number {
  for (let i = 0; i < n; i++) if ((ops[i] as OperationFacts).operationId === id) return i;
  return -1;
}

/**
 * Whether merging `incoming` into the stored operations would add or settle nothing: the merge rule's
 * own answer, from the facts that decide it, so a caller can tell a repeat without loading whole rows.
 */
export function addsNoOperation(
  stored: readonly OperationFacts[],
  incoming: readonly OperationFacts[],
): boolean {
  return mergeOperations(stored, incoming, null) === null;
}
