import { baseBillNumber, isBillNumber, isExtendedBillNumber } from '../billnumber';
import { codeOutcome } from '../codes';
import { parseAssistDate } from '../dates';
import { foldBill } from '../merge';
import { readAmount } from '../money';
import { mapOperationState, mapOperationType, mapOrderState } from '../status';
import type { GatewayBill, GatewayOperation, OperationOutcome } from '../types';
import { createInterner } from './intern';

/** zod's wording for a missing string, kept so that replies are refused in the same words as before. */
const MISSING = 'Invalid input: expected string, received undefined';

/**
 * Reads one record's fields in a fixed order and keeps the first problem, naming its field. Written by
 * hand rather than as a schema: a report maps tens of thousands of records, and a schema's intermediate
 * objects cost more time and memory than the parse of the reply itself.
 */
class FieldReader {
  problem: string | null = null;

  /**
   * `fields` is the record read: a reader goes on to the records of a bill's operations, and a
   * collector's to the next row.
   */
  constructor(
    public fields: Record<string, string>,
    private readonly parseDate: DateParser,
  ) {}

  private raw(key: string): string | undefined {
    return Object.hasOwn(this.fields, key) ? this.fields[key] : undefined;
  }

  /**
   * The bill number of a billnumber or extended billnumber: the one of the record before when it is the
   * same bill (a report's rows of one bill mostly come together), rather than a new string cut from it.
   */
  billNumber(billnumber: string): string {
    const last = this.lastBill;
    const same =
      billnumber.startsWith(last) &&
      (billnumber.length === last.length || billnumber.charCodeAt(last.length) === 0x2e);
    if (!same) this.lastBill = baseBillNumber(billnumber);
    return this.lastBill;
  }

  private lastBill = '';

  private fail(key: string, message: string): null {
    this.problem ??= `${key}: ${message}`;
    return null;
  }

  /** A field that must be there: an empty value is refused with `emptyMessage`. */
  required(key: string, valid: (v: string) => boolean, invalidMessage: string): string {
    const v = this.raw(key);
    if (v === undefined) this.fail(key, MISSING);
    else if (!valid(v)) this.fail(key, invalidMessage);
    return v ?? '';
  }

  /** An optional field: missing or empty is null. */
  optional(key: string): string | null {
    const v = this.raw(key);
    return v === undefined || v === '' ? null : v;
  }

  amount(key: string): number | null {
    const v = this.optional(key);
    if (v === null) return null;
    const r = readAmount(v);
    return typeof r === 'number' ? r : this.fail(key, r);
  }

  date(key: string): Date | null {
    const v = this.optional(key);
    if (v === null) return null;
    return (
      this.parseDate(v) ??
      this.fail(key, `not a dd.mm.yyyy hh:mm[:ss] date: ${JSON.stringify(v.slice(0, 40))}`)
    );
  }

  currency(key: string): string | null {
    const v = this.optional(key);
    return v === null || isCurrencyCode(v) ? v : this.fail(key, 'not a currency code');
  }

  testMode(key: string): boolean | null {
    const v = this.optional(key);
    if (v === null) return null;
    if (v === '1') return true;
    if (v === '0') return false;
    return this.fail(key, 'testmode must be 0 or 1');
  }
}

const isLatinLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Three Latin letters, checked without a regular expression: every row has up to three codes. */
function isCurrencyCode(v: string): boolean {
  return (
    v.length === 3 &&
    isLatinLetter(v.charCodeAt(0)) &&
    isLatinLetter(v.charCodeAt(1)) &&
    isLatinLetter(v.charCodeAt(2))
  );
}

/** Reads an ASSIST date; a collector passes one that shares equal dates (see `createDateSharer`). */
export type DateParser = (text: string) => Date | null;

const nonEmpty = (v: string) => v !== '';
const anyBillNumber = (v: string) => isBillNumber(v) || isExtendedBillNumber(v);

export type RecordResult<T> = { ok: true; value: T } | { ok: false; error: string };

function outcomeOf(state: string | null, responseCode: string | null): OperationOutcome | null {
  if (state !== null) return mapOperationState(state);
  if (responseCode !== null) return codeOutcome(responseCode);
  return 'pending';
}

/**
 * Maps one `<operation>` (or a flat report row) of bill `bill` to a GatewayOperation, or says why not
 * (a string, where `toBill` wraps its own result: this one is unwrapped once per row).
 */
function toOperation(bill: string, r: FieldReader): GatewayOperation | string {
  const fields = r.fields;
  const billnumber = r.optional('billnumber');
  const operationtype = r.required('operationtype', nonEmpty, 'operationtype is empty');
  const operationstate = r.optional('operationstate');
  const amount = r.amount('amount');
  const currency = r.currency('currency');
  const operationdate = r.date('operationdate');
  const responsecode = r.optional('responsecode');
  const message = r.optional('message');
  const meannumber = r.optional('meannumber');
  const approvalcode = r.optional('approvalcode');
  if (r.problem !== null) return r.problem;
  // Unknown means loud: a type or state we cannot name may be money moving, so the reply is refused.
  const kind = mapOperationType(operationtype);
  if (kind === 'unknown') return `operationtype "${clip(operationtype)}" is not a known type`;
  const outcome = outcomeOf(operationstate, responsecode);
  if (outcome === null) return `operationstate "${clip(operationstate ?? '')}" is not a known state`;
  const ext = billnumber?.includes('.') ? billnumber : null;
  // Without an extended billnumber the type and time are the only stable identity the reply offers.
  const operationId = ext ?? `${bill}.${operationtype}@${fields.operationdate ?? ''}`;
  return {
    operationId,
    kind,
    rawKind: operationtype,
    outcome,
    rawOutcome: operationstate ?? '',
    amountKopecks: amount,
    currency: currency === null ? null : currency.toUpperCase(),
    at: operationdate,
    responseCode: responsecode,
    message,
    maskedCard: meannumber,
    approvalCode: approvalcode,
  };
}

const clip = (text: string) => text.slice(0, 40);

/**
 * Maps one order record to a GatewayBill. A record without nested operations but with an
 * `operationtype` is a flat row describing one operation of its bill: a report row, or a notification,
 * whose operation has no extended billnumber (the merge rule swaps it for the identified one later).
 */
export function toBill(
  fields: Record<string, string>,
  operations: ReadonlyArray<Record<string, string>>,
  parseDate: DateParser = parseAssistDate,
): RecordResult<GatewayBill> {
  const bill = mapBill(new FieldReader(fields, parseDate), fields, operations);
  return typeof bill === 'string' ? { ok: false, error: bill } : { ok: true, value: bill };
}

const NO_OPERATIONS: GatewayOperation[] = [];
const NO_FIELDS: Record<string, string> = {};

/** A bill with every field in place, for `mapBill` to fill. */
function blankBill(): GatewayBill {
  return {
    billNumber: '',
    orderNumber: '',
    status: 'unknown',
    rawStatus: '',
    amountKopecks: null,
    currency: null,
    testMode: null,
    packetDate: null,
    responseCode: null,
    message: null,
    maskedCard: null,
    operations: NO_OPERATIONS,
    raw: NO_FIELDS,
  };
}

/**
 * `toBill` unwrapped, as the bill collector calls it once per row, with its one reader: the bill, or
 * why not. The bill is `into` when given (a bill nothing refers to any more), with its operations array
 * when that has the length needed.
 */
function mapBill(
  r: FieldReader,
  fields: Record<string, string>,
  operations: ReadonlyArray<Record<string, string>>,
  into: GatewayBill | null = null,
): GatewayBill | string {
  r.fields = fields;
  r.problem = null;
  const billnumber = r.required('billnumber', anyBillNumber, 'billnumber must be digits');
  const ordernumber = r.required('ordernumber', nonEmpty, 'ordernumber is empty');
  const orderstate = r.required('orderstate', nonEmpty, 'orderstate is empty');
  const orderamount = r.amount('orderamount');
  const ordercurrency = r.currency('ordercurrency');
  const amount = r.amount('amount');
  const currency = r.currency('currency');
  const testmode = r.testMode('testmode');
  const packetdate = r.date('packetdate');
  const responsecode = r.optional('responsecode');
  const message = r.optional('message');
  const meannumber = r.optional('meannumber');
  if (r.problem !== null) return r.problem;
  const billNumber = r.billNumber(billnumber);
  const status = mapOrderState(orderstate);
  if (status === 'unknown') return `orderstate "${clip(orderstate)}" is not a known state`;
  const flat = operations.length === 0 && Boolean(fields.operationtype);
  const count = flat ? 1 : operations.length;
  // Sized once: every bill keeps this array, and one grown by pushes keeps room for 17 operations.
  const ops = into?.operations.length === count ? into.operations : new Array<GatewayOperation>(count);
  for (let i = 0; i < ops.length; i++) {
    // The bill's fields are read without a problem: the reader goes on to the operation's record.
    r.fields = flat ? fields : (operations[i] as Record<string, string>);
    const op = toOperation(billNumber, r);
    if (typeof op === 'string') return `operation ${i + 1}: ${op}`;
    ops[i] = op;
  }
  const ccy = ordercurrency ?? currency;
  const bill = into ?? blankBill();
  bill.billNumber = billNumber;
  bill.orderNumber = ordernumber;
  bill.status = status;
  bill.rawStatus = orderstate;
  bill.amountKopecks = orderamount ?? (flat ? null : amount);
  bill.currency = ccy === null ? null : ccy.toUpperCase();
  bill.testMode = testmode;
  bill.packetDate = packetdate;
  bill.responseCode = responsecode;
  bill.message = message;
  bill.maskedCard = meannumber;
  bill.operations = ops;
  bill.raw = fields;
  return bill;
}

/** Checks one record before mapping; returns an error message or null. */
export type RecordCheck = (fields: Record<string, string>) => string | null;

/** Maps records one at a time (a streaming reply keeps no row), folding rows of the same bill. */
export interface BillCollector {
  /** Maps the next record; returns an error naming it, or null. */
  add(fields: Record<string, string>, operations: ReadonlyArray<Record<string, string>>): string | null;
  /** The bills, once every record is added (later rows of a bill are folded into the bill in place). */
  bills(): GatewayBill[];
  /**
   * The fields of the record last folded into a known bill, once: the merge rule keeps their values, not
   * the object, so a reader may fill it with its next record.
   */
  spareFields(): Record<string, string> | null;
}

// Fields whose values repeat from row to row; every bill keeps them (raw fields, operations).
const REPEATING_FIELDS = [
  'orderstate',
  'ordercurrency',
  'currency',
  'operationtype',
  'operationstate',
  'responsecode',
  'message',
  'meannumber',
  'meantypename',
  'testmode',
] as const;

function share(fields: Record<string, string>, intern: (s: string) => string): void {
  for (const key of REPEATING_FIELDS) {
    const v = fields[key];
    if (v !== undefined) fields[key] = intern(v);
  }
}

/**
 * Reads dates, handing out one Date for the same text read again soon: a report row gives its packet
 * date and its operation date, the rows of one bill repeat them, and a Date costs about a hundred bytes
 * that every bill keeps. Nothing mutates the Dates of a bill (the merge rule compares their times), so
 * sharing one among bills is safe.
 */
export function createDateSharer(size = 8): DateParser {
  const texts: string[] = new Array(size).fill('');
  const dates: Array<Date | null> = new Array(size).fill(null);
  let next = 0;
  return (text) => {
    for (let i = 0; i < size; i++) if (texts[i] === text) return dates[i] as Date | null;
    const d = parseAssistDate(text);
    if (d === null) return null;
    texts[next] = text;
    dates[next] = d;
    next = (next + 1) % size;
    return d;
  };
}

export function createBillCollector(check?: RecordCheck): BillCollector {
  const bills = new Map<string, GatewayBill>();
  const intern = createInterner();
  const reader = new FieldReader({}, createDateSharer());
  // The bill of the last row folded into a known bill: the merge rule keeps its values, not the bill or
  // its operations array, so the next row is mapped into it instead of a new bill.
  let spare: GatewayBill | null = null;
  let spareFields: Record<string, string> | null = null;
  let n = 0;
  return {
    add(fields, operations) {
      n++;
      share(fields, intern);
      for (const op of operations) share(op, intern);
      const problem = check?.(fields) ?? null;
      if (problem !== null) return `record ${n}: ${problem}`;
      const bill = mapBill(reader, fields, operations, spare);
      if (typeof bill === 'string') return `record ${n}: ${bill}`;
      const prev = bills.get(bill.billNumber);
      if (prev === undefined) bills.set(bill.billNumber, bill);
      else foldBill(prev, bill);
      spare = prev === undefined ? null : bill;
      spareFields = prev === undefined ? null : fields;
      return null;
    },
    bills: () => [...bills.values()],
    spareFields() {
      const fields = spareFields;
      spareFields = null;
      return fields;
    },
  };
}

/** Maps many records, folding rows of the same bill with the merge rule; the first bad record fails all. */
export function toBills(
  records: Array<{ fields: Record<string, string>; operations: ReadonlyArray<Record<string, string>> }>,
  check?: RecordCheck,
): RecordResult<GatewayBill[]> {
  const collector = createBillCollector(check);
  for (const rec of records) {
    const problem = collector.add(rec.fields, rec.operations);
    if (problem !== null) return { ok: false, error: problem };
  }
  return { ok: true, value: collector.bills() };
}
