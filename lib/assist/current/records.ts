import { z } from 'zod';
import { baseBillNumber, isBillNumber, isExtendedBillNumber } from '../billnumber';
import { codeOutcome } from '../codes';
import { parseAssistDate } from '../dates';
import { mergeBill } from '../merge';
import { parseAmount } from '../money';
import { mapOperationState, mapOperationType, mapOrderState } from '../status';
import type { GatewayBill, GatewayOperation, OperationOutcome } from '../types';

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : v));

const amount = optional.transform((v, ctx) => {
  if (v === null) return null;
  const r = parseAmount(v);
  if (r.ok) return r.kopecks;
  ctx.addIssue({ code: 'custom', message: r.error });
  return z.NEVER;
});

const date = optional.transform((v, ctx) => {
  if (v === null) return null;
  const d = parseAssistDate(v);
  if (d) return d;
  ctx.addIssue({
    code: 'custom',
    message: `not a dd.mm.yyyy hh:mm[:ss] date: ${JSON.stringify(v.slice(0, 40))}`,
  });
  return z.NEVER;
});

const currency = optional.refine((v) => v === null || /^[A-Za-z]{3}$/.test(v), {
  message: 'not a currency code',
});

const testMode = optional.transform((v, ctx) => {
  if (v === null) return null;
  if (v === '1') return true;
  if (v === '0') return false;
  ctx.addIssue({ code: 'custom', message: 'testmode must be 0 or 1' });
  return z.NEVER;
});

/** The bill-level fields we interpret; every other field stays in `raw`. */
const billFieldsSchema = z.looseObject({
  billnumber: z
    .string()
    .refine((v) => isBillNumber(v) || isExtendedBillNumber(v), { message: 'billnumber must be digits' }),
  ordernumber: z.string().min(1, { message: 'ordernumber is empty' }),
  orderstate: z.string().min(1, { message: 'orderstate is empty' }),
  orderamount: amount,
  ordercurrency: currency,
  amount,
  currency,
  testmode: testMode,
  packetdate: date,
  responsecode: optional,
  message: optional,
  meannumber: optional,
});

const operationFieldsSchema = z.looseObject({
  billnumber: optional,
  operationtype: z.string().min(1, { message: 'operationtype is empty' }),
  operationstate: optional,
  amount,
  currency,
  operationdate: date,
  responsecode: optional,
  message: optional,
  meannumber: optional,
  approvalcode: optional,
});

export type RecordResult<T> = { ok: true; value: T } | { ok: false; error: string };

function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  return i ? `${i.path.join('.') || 'record'}: ${i.message}` : 'invalid record';
}

function outcomeOf(state: string | null, responseCode: string | null): OperationOutcome | null {
  if (state !== null) return mapOperationState(state);
  if (responseCode !== null) return codeOutcome(responseCode);
  return 'pending';
}

/** Maps one `<operation>` (or a flat report row) of bill `bill` to a GatewayOperation. */
function toOperation(bill: string, fields: Record<string, string>): RecordResult<GatewayOperation> {
  const r = operationFieldsSchema.safeParse(fields);
  if (!r.success) return { ok: false, error: firstIssue(r.error) };
  const f = r.data;
  // Unknown means loud: a type or state we cannot name may be money moving, so the reply is refused.
  const kind = mapOperationType(f.operationtype);
  if (kind === 'unknown')
    return { ok: false, error: `operationtype "${clip(f.operationtype)}" is not a known type` };
  const outcome = outcomeOf(f.operationstate, f.responsecode);
  if (outcome === null)
    return { ok: false, error: `operationstate "${clip(f.operationstate ?? '')}" is not a known state` };
  const ext = f.billnumber?.includes('.') ? f.billnumber : null;
  // Without an extended billnumber the type and time are the only stable identity the reply offers.
  const operationId = ext ?? `${bill}.${f.operationtype}@${fields.operationdate ?? ''}`;
  return {
    ok: true,
    value: {
      operationId,
      kind,
      rawKind: f.operationtype,
      outcome,
      rawOutcome: f.operationstate ?? '',
      amountKopecks: f.amount,
      currency: f.currency === null ? null : f.currency.toUpperCase(),
      at: f.operationdate,
      responseCode: f.responsecode,
      message: f.message,
      maskedCard: f.meannumber,
      approvalCode: f.approvalcode,
    },
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
  operations: Array<Record<string, string>>,
): RecordResult<GatewayBill> {
  const r = billFieldsSchema.safeParse(fields);
  if (!r.success) return { ok: false, error: firstIssue(r.error) };
  const f = r.data;
  const billNumber = baseBillNumber(f.billnumber);
  const status = mapOrderState(f.orderstate);
  if (status === 'unknown')
    return { ok: false, error: `orderstate "${clip(f.orderstate)}" is not a known state` };
  const opRecords = operations.length === 0 && fields.operationtype ? [fields] : operations;
  const ops: GatewayOperation[] = [];
  for (const [i, o] of opRecords.entries()) {
    const op = toOperation(billNumber, o);
    if (!op.ok) return { ok: false, error: `operation ${i + 1}: ${op.error}` };
    ops.push(op.value);
  }
  const ccy = f.ordercurrency ?? f.currency;
  return {
    ok: true,
    value: {
      billNumber,
      orderNumber: f.ordernumber,
      status,
      rawStatus: f.orderstate,
      amountKopecks: f.orderamount ?? (opRecords === operations ? f.amount : null),
      currency: ccy === null ? null : ccy.toUpperCase(),
      testMode: f.testmode,
      packetDate: f.packetdate,
      responseCode: f.responsecode,
      message: f.message,
      maskedCard: f.meannumber,
      operations: ops,
      raw: fields,
    },
  };
}

/** Checks one record before mapping; returns an error message or null. */
export type RecordCheck = (fields: Record<string, string>) => string | null;

/** Maps many records, folding rows of the same bill with the merge rule; the first bad record fails all. */
export function toBills(
  records: Array<{ fields: Record<string, string>; operations: Array<Record<string, string>> }>,
  check?: RecordCheck,
): RecordResult<GatewayBill[]> {
  const bills = new Map<string, GatewayBill>();
  for (const [i, rec] of records.entries()) {
    const problem = check?.(rec.fields) ?? null;
    if (problem !== null) return { ok: false, error: `record ${i + 1}: ${problem}` };
    const b = toBill(rec.fields, rec.operations);
    if (!b.ok) return { ok: false, error: `record ${i + 1}: ${b.error}` };
    const prev = bills.get(b.value.billNumber);
    bills.set(b.value.billNumber, prev ? mergeBill(prev, b.value).bill : b.value);
  }
  return { ok: true, value: [...bills.values()] };
}
