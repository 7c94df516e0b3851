/**
 * The current protocol's web services in the sandbox (orderstate, orderresult, resultbydate, charge,
 * cancel; docs/assist-protocol.md §5–§6): authentication, the reading window, and each bill's operations
 * as reply fields. One file over 300 lines because the five services share those three steps and the
 * row-to-field mapping; each service alone is short.
 */
import { isBillNumber } from '../../assist/billnumber';
import { formatAmount, isAssistAmount, parseAmount } from '../../assist/money';
import {
  type BankOutcome,
  type BillWithOperations,
  changeBill,
  findBills,
  findOperations,
  getBill,
  OPERATION_STATE,
  type OperationRow,
} from '../bills';
import { RESPONSE_MESSAGES } from '../cards';
import type { ReportShape, SandboxConfig } from '../config';
import { formatGmt, readWindow, type Window, windowWidthMs } from '../dates';
import type { SandboxDb } from '../db';
import type { ArmedFault, WebService } from '../faults';
import { OPERATION_TYPE } from '../machine';
import type { SandboxChequeItem, SandboxCustomer } from '../schema';
import type { FormFields } from '../urlencoded';
import { chargeCheque, logReceipt } from './fiscal';
import {
  errorReply,
  type Fields,
  type Format,
  orderCheckvalue,
  type ReplyOrder,
  type ServiceReply,
} from './reply';

export interface ServiceContext {
  db: SandboxDb;
  config: SandboxConfig;
  now: Date;
  /** A charge or cancel's armed outcome (decline, in process) and reply shape, when tests asked for them. */
  outcomeFault?: ArmedFault | null;
  shapeFault?: ArmedFault | null;
  /** How resultbydate shapes its rows; default `payment`. */
  reportShape?: ReportShape;
}

export type ActionReplyShape = 'flat' | 'nested';

/**
 * The documented shape of each service's reply: the charge DTD (and the Ruby SDK's fixtures) give a flat
 * `<orders><order>` carrying the operation's fields; the wscancel page nests `<operation>` sections.
 */
const DOCUMENTED_SHAPE: Record<'charge' | 'cancel', ActionReplyShape> = { charge: 'flat', cancel: 'nested' };

function actionReplyShape(
  service: 'charge' | 'cancel',
  setting: SandboxConfig['actionReply'],
  fault: ArmedFault | null | undefined,
): ActionReplyShape {
  if (fault?.mode === 'flat_reply') return 'flat';
  if (fault?.mode === 'nested_reply') return 'nested';
  return setting === 'documented' ? DOCUMENTED_SHAPE[service] : setting;
}

/** The bank's answer a fault asks for; without one the sandbox approves. */
function bankOutcome(fault: ArmedFault | null | undefined, now: Date): BankOutcome {
  if (fault?.mode === 'decline') return { kind: 'declined', responseCode: fault.responseCode ?? 'AS100' };
  if (fault?.mode === 'in_process')
    return {
      kind: 'in_process',
      settlesAt: new Date(now.getTime() + (fault.delayMs ?? 0)),
      settleCode: fault.responseCode ?? 'AS000',
    };
  return { kind: 'approved' };
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** When `Format` is omitted: the authorization report answers CSV, the others XML (sandbox convention). */
const DEFAULT_FORMAT: Record<WebService, Format> = {
  orderstate: 3,
  orderresult: 3,
  resultbydate: 1,
  charge: 3,
  cancel: 3,
};

export type FormatResult = { ok: true; format: Format } | { ok: false; format: Format; reply: ServiceReply };

export function readFormat(service: WebService, fields: FormFields): FormatResult {
  const raw = fields.get('format')?.trim() ?? '';
  if (raw === '') return { ok: true, format: DEFAULT_FORMAT[service] };
  if (raw === '1' || raw === '3' || raw === '5') return { ok: true, format: Number(raw) as Format };
  return { ok: false, format: 3, reply: errorReply(4, 103) };
}

/** Merchant_ID/Login/Password: missing → 3/100..102, wrong → 7/100..102 (docs/assist-protocol.md §6 codes). */
export function authenticate(fields: FormFields, config: SandboxConfig): ServiceReply | null {
  const checks: Array<[string, string, number]> = [
    ['merchant_id', config.merchantId, 100],
    ['login', config.login, 101],
    ['password', config.password, 102],
  ];
  for (const [name, expected, code] of checks) {
    const given = fields.get(name) ?? '';
    if (given.trim() === '') return errorReply(3, code);
    if (given.trim() !== expected) return errorReply(7, code);
  }
  return null;
}

export async function runService(
  service: WebService,
  fields: FormFields,
  ctx: ServiceContext,
): Promise<ServiceReply> {
  const denied = authenticate(fields, ctx.config);
  if (denied) return denied;
  switch (service) {
    case 'orderstate':
      return orderState(fields, ctx);
    case 'orderresult':
      return orderResult(fields, ctx);
    case 'resultbydate':
      return resultByDate(fields, ctx);
    case 'charge':
    case 'cancel':
      return change(service, fields, ctx);
  }
}

const field = (fields: FormFields, name: string) => fields.get(name)?.trim() ?? '';

/** The payer's name and email, in the order both the order and the action replies list them. */
const payerFields = (c: SandboxCustomer): Fields => [
  ['lastname', c.lastname ?? ''],
  ['firstname', c.firstname ?? ''],
  ['middlename', c.middlename ?? ''],
  ['email', c.email ?? ''],
];

function billFields(ctx: ServiceContext, { bill }: BillWithOperations, full: boolean): Fields {
  const orderAmount = formatAmount(bill.orderAmount);
  const check = orderCheckvalue(ctx.config.secret, {
    merchantId: bill.merchantId,
    orderNumber: bill.orderNumber,
    amount: orderAmount,
    currency: bill.currency,
    orderState: bill.state,
  });
  const head: Fields = [
    ['ordernumber', bill.orderNumber],
    ['billnumber', bill.billnumber],
    ['testmode', '1'],
  ];
  const tail: Fields = [
    ['packetdate', formatGmt(bill.updatedAt)],
    ['signature', ''],
    ['checkvalue', check],
  ];
  if (!full) {
    return [
      ...head,
      ['orderamount', orderAmount],
      ['ordercurrency', bill.currency],
      ['orderstate', bill.state],
      ...tail,
    ];
  }
  return [
    ...head,
    ['orderdate', formatGmt(bill.createdAt)],
    ['orderamount', orderAmount],
    ['ordercurrency', bill.currency],
    ['orderstate', bill.state],
    ['ordercomment', bill.comment ?? ''],
    ...payerFields(bill.customer),
    ['meantypename', bill.meanTypeName ?? ''],
    ['cardholder', bill.cardholder ?? ''],
    ...tail,
  ];
}

function operationFields(op: OperationRow): Fields {
  return [
    ['billnumber', `${op.billnumber}.${op.seq}`],
    ['operationtype', String(op.type)],
    ['operationstate', op.state],
    ['amount', formatAmount(op.amount)],
    ['currency', op.currency],
    ['operationdate', formatGmt(op.finishedAt ?? op.startedAt)],
    ['responsecode', op.responseCode ?? ''],
    ['message', op.message ?? ''],
    ['customermessage', RESPONSE_MESSAGES[op.responseCode ?? '']?.customer ?? ''],
    ['recommendation', ''],
    ['meannumber', op.meanNumber ?? ''],
    ['approvalcode', op.approvalCode ?? ''],
    ['cancelreason', op.cancelReason === null ? '' : String(op.cancelReason)],
  ];
}

const ok = (orders: ReplyOrder[], rows: ServiceReply['rows'] = 'order'): ServiceReply => ({
  firstcode: 0,
  secondcode: 0,
  orders,
  rows,
});
const NOTHING_FOUND = errorReply(10, 201);

async function orderState(fields: FormFields, ctx: ServiceContext): Promise<ServiceReply> {
  const orderNumber = field(fields, 'ordernumber');
  if (orderNumber === '') return errorReply(3, 107);
  const w = readWindow(fields, ctx.now, 3 * DAY);
  if (!w.ok) return errorReply(4, 0);
  const bills = await findBills(
    ctx.db,
    { merchantId: ctx.config.merchantId, orderNumber, window: w.window },
    ctx.now,
  );
  if (bills.length === 0) return NOTHING_FOUND;
  return ok(bills.map((b) => ({ fields: billFields(ctx, b, false), operations: [] })));
}

async function orderResult(fields: FormFields, ctx: ServiceContext): Promise<ServiceReply> {
  const orderNumber = field(fields, 'ordernumber');
  const billnumber = field(fields, 'billnumber');
  if (orderNumber === '' && billnumber === '') return errorReply(3, 107);
  if (billnumber !== '' && !isBillNumber(billnumber)) return errorReply(4, 143);
  // Without Start* the search looks back 3 days, by billnumber too: an older bill needs a window.
  const w = readWindow(fields, ctx.now, 3 * DAY);
  if (!w.ok) return errorReply(4, 0);
  const bills = await findBills(
    ctx.db,
    {
      merchantId: ctx.config.merchantId,
      orderNumber: orderNumber || undefined,
      billnumber: billnumber || undefined,
      window: w.window,
    },
    ctx.now,
  );
  if (bills.length === 0) return NOTHING_FOUND;
  return ok(
    bills.map((b) => ({ fields: billFields(ctx, b, true), operations: b.operations.map(operationFields) })),
  );
}

const STATE_LETTERS: Record<string, string> = {
  N: OPERATION_STATE.inProcess,
  P: OPERATION_STATE.inProcess,
  S: OPERATION_STATE.success,
  F: OPERATION_STATE.declined,
  T: OPERATION_STATE.timeout,
};
const TYPE_LETTERS: Record<string, number> = {
  A: OPERATION_TYPE.payment,
  C: OPERATION_TYPE.charge,
  R: OPERATION_TYPE.cancel,
};

/** `S`, `SF`, `S,F`, `s f` → mapped values; null when a letter is unknown. */
function readLetters<T>(raw: string, table: Record<string, T>): T[] | null {
  const letters = raw
    .toUpperCase()
    .replace(/[\s,;]/g, '')
    .split('');
  const out: T[] = [];
  for (const l of letters) {
    const v = table[l];
    if (v === undefined) return null;
    out.push(v);
  }
  return out;
}

/**
 * The report's window. A missing, invalid or longer-than-a-day window is not refused: like ASSIST, the
 * sandbox then silently answers for the last 3 hours. A window covers its End minute, so `00:00`–`00:00`
 * the next day is a day and a minute: too long.
 */
function reportWindow(fields: FormFields, now: Date): Window {
  const fallback = { start: new Date(now.getTime() - 3 * HOUR), end: now };
  const w = readWindow(fields, now, 3 * HOUR);
  if (!w.ok) return fallback;
  return windowWidthMs(w.window) + MINUTE > DAY ? fallback : w.window;
}

async function resultByDate(fields: FormFields, ctx: ServiceContext): Promise<ServiceReply> {
  const window = reportWindow(fields, ctx.now);
  const modeText = field(fields, 'datetimemode') || '0';
  if (modeText !== '0' && modeText !== '1' && modeText !== '2') return errorReply(4, 0);
  const statesText = field(fields, 'operationstate');
  const typesText = field(fields, 'operationtype');
  const states = statesText === '' ? undefined : readLetters(statesText, STATE_LETTERS);
  const types = typesText === '' ? undefined : readLetters(typesText, TYPE_LETTERS);
  if (states === null || types === null) return errorReply(4, 0);
  const bills = await findOperations(
    ctx.db,
    {
      merchantId: ctx.config.merchantId,
      window,
      dateTimeMode: Number(modeText) as 0 | 1 | 2,
      operationStates: states,
      operationTypes: types,
    },
    ctx.now,
  );
  // An empty report is a normal answer for a quiet period, not an error.
  const shape = ctx.reportShape ?? 'payment';
  return ok(
    bills.map((b) => ({ fields: billFields(ctx, b, true), operations: b.operations.map(operationFields) })),
    shape === 'csv' ? 'order' : shape,
  );
}

async function change(
  service: 'charge' | 'cancel',
  fields: FormFields,
  ctx: ServiceContext,
): Promise<ServiceReply> {
  const billnumber = field(fields, 'billnumber');
  if (billnumber === '') return errorReply(3, 143);
  if (!isBillNumber(billnumber)) return errorReply(4, 143);
  const amountText = field(fields, 'amount');
  const currency = field(fields, 'currency');
  if (amountText !== '' && currency === '') return errorReply(3, 105);
  if (amountText === '' && currency !== '') return errorReply(3, 108);
  let amount: number | undefined;
  if (amountText !== '') {
    const parsed = parseAmount(amountText);
    if (!isAssistAmount(amountText) || !parsed.ok) return errorReply(4, 108);
    if (!/^[A-Z]{3}$/.test(currency)) return errorReply(4, 105);
    amount = parsed.kopecks;
  }
  let cancelReason: number | null = null;
  if (service === 'cancel') {
    const reason = field(fields, 'cancelreason');
    if (reason !== '' && !/^[123]$/.test(reason)) return errorReply(4, 0);
    cancelReason = reason === '' ? null : Number(reason);
  }
  // A bill paid with a receipt is charged with one: the whole bill's, or the charged part's.
  let chequeItems: SandboxChequeItem[] | null = null;
  if (service === 'charge') {
    const bill = await getBill(ctx.db, billnumber, ctx.now);
    if (bill && bill.merchantId === ctx.config.merchantId && bill.state === 'Delayed') {
      const cheque = chargeCheque(bill, fields, amount);
      if (!cheque.ok) return errorReply(cheque.error.firstcode, cheque.error.secondcode);
      chequeItems = cheque.items;
    }
  }
  const result = await changeBill(
    ctx.db,
    ctx.config.merchantId,
    billnumber,
    { type: service, amount, currency: currency || undefined },
    cancelReason,
    ctx.now,
    bankOutcome(ctx.outcomeFault, ctx.now),
  );
  if (!result.ok) return errorReply(result.error.firstcode, result.error.secondcode);
  // Only money that moved gets a receipt: a declined or still running charge prints none.
  if (chequeItems && result.operation.state === OPERATION_STATE.success)
    await logReceipt(
      ctx.db,
      {
        billnumber,
        orderNumber: result.bill.orderNumber,
        type: 'sell',
        items: chequeItems,
        email: result.bill.customer.email ?? null,
      },
      ctx.now,
    );
  const view: BillWithOperations = { bill: result.bill, operations: [result.operation] };
  if (actionReplyShape(service, ctx.config.actionReply, ctx.shapeFault) === 'flat')
    return ok([{ fields: flatActionFields(view.bill, result.operation), operations: [] }], 'orders');
  return ok(
    [{ fields: billFields(ctx, view, true), operations: [operationFields(result.operation)] }],
    'orders',
  );
}

/**
 * One `<order>` describing the bill and the operation together, in the charge DTD's order: the
 * operation's extended billnumber, type, amount and responsecode; no operationdate and no checkvalue.
 */
function flatActionFields(bill: BillWithOperations['bill'], op: OperationRow): Fields {
  return [
    ['ordernumber', bill.orderNumber],
    ['responsecode', op.responseCode ?? ''],
    ['recommendation', ''],
    ['message', op.message ?? ''],
    ['ordercomment', bill.comment ?? ''],
    ['orderdate', formatGmt(bill.createdAt)],
    ['amount', formatAmount(op.amount)],
    ['currency', op.currency],
    ['meantypename', bill.meanTypeName ?? ''],
    ['meannumber', op.meanNumber ?? ''],
    ...payerFields(bill.customer),
    ['approvalcode', op.approvalCode ?? ''],
    ['cardholder', bill.cardholder ?? ''],
    ['testmode', '1'],
    ['customermessage', RESPONSE_MESSAGES[op.responseCode ?? '']?.customer ?? ''],
    ['orderstate', bill.state],
    ['operationtype', String(op.type)],
    ['billnumber', `${op.billnumber}.${op.seq}`],
    ['orderamount', formatAmount(bill.orderAmount)],
    ['ordercurrency', bill.currency],
    ['packetdate', formatGmt(bill.updatedAt)],
    ['signature', ''],
  ];
}
