import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { isBillNumber } from '../../assist/billnumber';
import { legacyCheckvalue } from '../../assist/checkvalue';
import { encodeForm } from '../../assist/form-body';
import { formatAmount, isAssistAmount, parseAmount } from '../../assist/money';
import { type BillRow, changeBill, expireDueBills, type OperationRow, withOperations } from '../bills';
import { isKnownResponseCode } from '../cards';
import type { SandboxConfig } from '../config';
import { csvLine } from '../csv';
import { formatGmt, readWindow } from '../dates';
import type { SandboxDb } from '../db';
import type { ArmedFault } from '../faults';
import { OPERATION_TYPE } from '../machine';
import type { NotificationBody } from '../notify';
import { checkOrderCore, fieldLimits, newBill, type OrderValidation, refuse } from '../payment';
import { sandboxBills, sandboxOperations } from '../schema';
import type { FormFields } from '../urlencoded';

/**
 * The legacy (2010) protocol over the same bills and state machine (docs/assist-protocol.md §8): the purchase forms,
 * the CSV report, postauth and rvr with their `name:value` replies, and the legacy notification.
 * Errors are `ERROR:<text>` lines with HTTP 200, as the legacy services answered.
 *
 * One file over 300 lines so the sandbox's legacy protocol reads in one place, as §8 describes it: its
 * forms, report and services share the `name:value` reply format and the CSV row writer.
 */

export type LegacyService = 'results' | 'postauth' | 'rvr';

export const LEGACY_SERVICE_PATHS: Record<string, LegacyService> = {
  '/results/results.cfm': 'results',
  '/postauths/postauth.cfm': 'postauth',
  '/rvr/rvr.cfm': 'rvr',
};

export const LEGACY_FORM_PATHS: Record<string, 1 | 2> = {
  '/shops/purchase.cfm': 1,
  '/shops/cardpayment.cfm': 2,
};

const DAY = 86_400_000;

// The legacy Comment takes 255 characters (docs/assist-protocol.md §8); the customer's fields follow the current API's.
const LIMITS = fieldLimits(['comment', 255], 'phone');

const isHttpUrl = (text: string) => /^https?:\/\//i.test(text) && URL.canParse(text);

/**
 * Validates a legacy purchase form (unsigned: the legacy form had no checkvalue). Mode 2
 * (`cardpayment.cfm`) requires the customer's LastName, FirstName and Email.
 */
export function validateLegacyOrder(fields: FormFields, config: SandboxConfig, mode: 1 | 2): OrderValidation {
  const get = (name: string) => fields.get(name) ?? '';
  // The legacy gateway tolerated spaces around Shop_IDP.
  const checked = checkOrderCore(
    (name) => (name === 'shop_idp' ? get(name).trim() : get(name)),
    { merchant: 'Shop_IDP', order: 'Order_IDP', amount: 'Subtotal_P', currency: 'Currency' },
    config,
    'unknown shop',
  );
  if (!checked.ok) return checked;
  const delay = get('delay');
  if (delay !== '' && delay !== '0' && delay !== '1') return refuse(4, 0, 'Delay must be 0 or 1');
  const language = get('language').trim().toUpperCase();
  if (!['', '0', '1', 'RU', 'EN'].includes(language)) return refuse(4, 0, 'Language must be 0 or 1');
  for (const [name, max] of LIMITS) {
    if (get(name).length > max) return refuse(4, 0, `${name} is longer than ${max} characters`);
  }
  for (const name of ['url_return', 'url_return_ok', 'url_return_no']) {
    const v = get(name);
    if (v !== '' && !isHttpUrl(v)) return refuse(4, 0, `${name} is not an http(s) URL`);
  }
  if (mode === 2) {
    for (const name of ['lastname', 'firstname', 'email']) {
      if (get(name).trim() === '') return refuse(3, 0, `${name} is required on cardpayment.cfm`);
    }
  }
  const demoResult = get('demoresult').trim().toUpperCase();
  if (demoResult !== '' && !isKnownResponseCode(demoResult))
    return refuse(4, 0, `DemoResult ${demoResult} is unknown`);
  const opt = (name: string) => {
    const v = get(name).trim();
    return v === '' ? undefined : v;
  };
  const customer = Object.fromEntries(
    (
      [
        ['lastname', opt('lastname')],
        ['firstname', opt('firstname')],
        ['middlename', opt('middlename')],
        ['email', opt('email')],
        ['mobilephone', opt('phone')],
        ['address', opt('address')],
        ['country', opt('country')],
        ['state', opt('state')],
        ['city', opt('city')],
        ['zip', opt('zip')],
      ] as const
    ).filter(([, v]) => v !== undefined),
  );
  return {
    ok: true,
    bill: newBill(checked.core, get, {
      commentField: 'comment',
      customer,
      demoResult,
      extra: { protocol: 'legacy' },
    }),
  };
}

/** One transaction as the legacy protocol names it. */
export interface LegacyTransaction {
  state: string;
  paymentType: number;
}

/**
 * The legacy state and payment type of every operation of a bill: payment (1 card, 2 pre-authorization)
 * as Authorized/Preauthorized or their negatives, charge as Captured (3), and cancel as Voided (7,
 * releasing a hold that was never charged) or Refunded (4). Timeout has no legacy state: a bill that
 * timed out was not authorized.
 */
export function legacyTransactions(
  bill: BillRow,
  operations: OperationRow[],
): Map<number, LegacyTransaction> {
  const out = new Map<number, LegacyTransaction>();
  let charged = false;
  for (const op of [...operations].sort((a, b) => a.seq - b.seq)) {
    if (op.type === OPERATION_TYPE.payment) {
      const type = bill.delay ? 2 : 1;
      const state =
        op.state === 'In Process'
          ? 'in process'
          : op.state === 'Success'
            ? bill.delay
              ? 'Preauthorized'
              : 'Authorized'
            : bill.delay
              ? 'Not preauthorized'
              : 'Not authorized';
      out.set(op.seq, { state, paymentType: type });
    } else if (op.type === OPERATION_TYPE.charge) {
      out.set(op.seq, { state: op.state === 'Success' ? 'Captured' : 'Not captured', paymentType: 3 });
      if (op.state === 'Success') charged = true;
    } else {
      const voids = bill.delay && !charged;
      const ok = op.state === 'Success';
      out.set(
        op.seq,
        voids
          ? { state: ok ? 'Voided' : 'Not Voided', paymentType: 7 }
          : { state: ok ? 'Refunded' : 'Not Refunded', paymentType: 4 },
      );
    }
  }
  return out;
}

/** The report's columns in the legacy order (docs/assist-protocol.md §8). */
export const LEGACY_COLUMNS = [
  'Order Number',
  'Result Code',
  'Recommendation',
  'Message',
  'Comment',
  'Order Date',
  'Order Total',
  'Currency Code',
  'Card Type',
  'Card Number',
  'Lastname',
  'Firstname',
  'Middlename',
  'Address',
  'E-mail',
  'Country Code',
  'Currency rate',
  'Approval Code',
  'Mean Subtype',
  'CVC2 Exist',
  'Cardholder',
  'IP-address',
  'Protocol Type',
  'Payment No.',
  'Bank issuer',
  'Order State',
  'Processing System Response Code',
  'Processing System Response Code Description',
  'Paket date',
  'Processing System Name',
  'Payment Type',
] as const;

type Column = (typeof LEGACY_COLUMNS)[number];

/**
 * One report row per transaction: `Order Total` is that transaction's amount (the order total on the
 * payment row), `Paket date` when it ended (or started, while in process). Cells the sandbox has no
 * value for say `UNKNOWN`, as the legacy gateway did.
 */
function legacyRow(bill: BillRow, op: OperationRow, t: LegacyTransaction): Record<Column, string> {
  const c = bill.customer;
  const unknown = (v: string | null | undefined) =>
    v === null || v === undefined || v === '' ? 'UNKNOWN' : v;
  return {
    'Order Number': bill.orderNumber,
    'Result Code': op.responseCode ?? '',
    Recommendation: '',
    Message: op.message ?? '',
    Comment: bill.comment ?? '',
    'Order Date': formatGmt(bill.createdAt),
    'Order Total': formatAmount(op.amount),
    'Currency Code': op.currency,
    'Card Type': unknown(bill.meanTypeName),
    'Card Number': unknown(op.meanNumber),
    Lastname: c.lastname ?? '',
    Firstname: c.firstname ?? '',
    Middlename: c.middlename ?? '',
    Address: c.address ?? '',
    'E-mail': c.email ?? '',
    'Country Code': unknown(c.country),
    'Currency rate': '1',
    'Approval Code': op.approvalCode ?? '',
    'Mean Subtype': 'UNKNOWN',
    'CVC2 Exist': 'UNKNOWN',
    Cardholder: unknown(bill.cardholder),
    'IP-address': 'UNKNOWN',
    'Protocol Type': 'HTTPS',
    'Payment No.': bill.billnumber,
    'Bank issuer': 'UNKNOWN',
    'Order State': t.state,
    'Processing System Response Code': '',
    'Processing System Response Code Description': '',
    'Paket date': formatGmt(op.finishedAt ?? op.startedAt),
    'Processing System Name': 'UNKNOWN',
    'Payment Type': String(t.paymentType),
  };
}

function renderLegacyCsv(rows: Array<Record<Column, string>>): string {
  const lines = [LEGACY_COLUMNS.join(';'), ...rows.map((r) => csvLine(LEGACY_COLUMNS.map((c) => r[c])))];
  return `${lines.join('\n')}\n`;
}

export interface LegacyReply {
  body: string;
}

const errorLine = (text: string): LegacyReply => ({ body: `ERROR:${text}\n` });

/** Shop_ID / Login / PASSWORD, checked before anything else. */
function authenticate(fields: FormFields, config: SandboxConfig): LegacyReply | null {
  const checks: Array<[string, string, string]> = [
    ['shop_id', config.merchantId, 'Shop_ID'],
    ['login', config.login, 'Login'],
    ['password', config.password, 'PASSWORD'],
  ];
  for (const [name, expected, label] of checks) {
    const given = (fields.get(name) ?? '').trim();
    if (given === '') return errorLine(`${label} is required`);
    if (given !== expected) return errorLine(`wrong ${label}`);
  }
  return null;
}

export interface LegacyContext {
  db: SandboxDb;
  config: SandboxConfig;
  now: Date;
  /** A `decline` fault armed on the counterpart service (charge for postauth, cancel for rvr). */
  outcomeFault?: ArmedFault | null;
}

export async function runLegacyService(
  service: LegacyService,
  fields: FormFields,
  ctx: LegacyContext,
): Promise<LegacyReply> {
  const denied = authenticate(fields, ctx.config);
  if (denied) return denied;
  return service === 'results' ? results(fields, ctx) : change(service, fields, ctx);
}

/**
 * The report: every transaction whose date (end, or start while in process) is in the window
 * (`Start*`/`End*` as in the current API, default the last 3 days; no width limit).
 */
async function results(fields: FormFields, ctx: LegacyContext): Promise<LegacyReply> {
  const w = readWindow(fields, ctx.now, 3 * DAY);
  if (!w.ok) return errorLine(w.error);
  await expireDueBills(ctx.db, ctx.now);
  const when = sql`coalesce(${sandboxOperations.finishedAt}, ${sandboxOperations.startedAt})`;
  const hits = await ctx.db
    .select({ billnumber: sandboxOperations.billnumber, seq: sandboxOperations.seq })
    .from(sandboxOperations)
    .innerJoin(sandboxBills, eq(sandboxBills.billnumber, sandboxOperations.billnumber))
    .where(
      and(
        eq(sandboxBills.merchantId, ctx.config.merchantId),
        gte(when, w.window.start),
        lte(when, w.window.end),
      ),
    );
  const wanted = new Set(hits.map((h) => `${h.billnumber}.${h.seq}`));
  const billNumbers = [...new Set(hits.map((h) => h.billnumber))];
  const bills =
    billNumbers.length === 0
      ? []
      : await withOperations(
          ctx.db,
          await ctx.db.select().from(sandboxBills).where(inArray(sandboxBills.billnumber, billNumbers)),
        );
  const rows: Array<Record<Column, string>> = [];
  for (const { bill, operations } of bills.sort((a, b) =>
    BigInt(a.bill.billnumber) < BigInt(b.bill.billnumber) ? -1 : 1,
  )) {
    // Void or refund depends on the bill's whole history, so every operation is classified first.
    const transactions = legacyTransactions(bill, operations);
    for (const op of operations) {
      const t = transactions.get(op.seq);
      if (t && wanted.has(`${op.billnumber}.${op.seq}`)) rows.push(legacyRow(bill, op, t));
    }
  }
  return { body: renderLegacyCsv(rows) };
}

/** One `name:value` line; an empty `ERROR` item closes a success. */
function itemsLine(items: Array<[string, string]>): string {
  return `${items.map(([k, v]) => `${k}:${v.replace(/[;\r\n]/g, ' ')}`).join(';')}\n`;
}

async function change(
  service: 'postauth' | 'rvr',
  fields: FormFields,
  ctx: LegacyContext,
): Promise<LegacyReply> {
  const get = (name: string) => fields.get(name)?.trim() ?? '';
  const billnumber = get('billnumber');
  if (billnumber === '') return errorLine('Billnumber is required');
  if (!isBillNumber(billnumber)) return errorLine('Billnumber must be digits');
  const amountText = get('subtotal_p');
  const currency = get('currency');
  if (amountText !== '' && currency === '') return errorLine('Currency is required with Subtotal_P');
  let amount: number | undefined;
  if (amountText !== '') {
    const parsed = parseAmount(amountText);
    if (!isAssistAmount(amountText) || !parsed.ok) return errorLine('Subtotal_P must look like 1500.00');
    if (!/^[A-Z]{3}$/.test(currency)) return errorLine('Currency must be 3 letters');
    amount = parsed.kopecks;
  }
  let reason: number | null = null;
  if (service === 'rvr') {
    const r = get('rvrreason');
    if (r !== '' && !/^[123]$/.test(r)) return errorLine('RVRReason must be 1, 2 or 3');
    reason = r === '' ? null : Number(r);
  }
  const declined = ctx.outcomeFault?.mode === 'decline' ? (ctx.outcomeFault.responseCode ?? 'AS100') : null;
  const result = await changeBill(
    ctx.db,
    ctx.config.merchantId,
    billnumber,
    {
      type: service === 'postauth' ? 'charge' : 'cancel',
      amount,
      currency: amount === undefined ? undefined : currency,
    },
    reason,
    ctx.now,
    declined === null ? undefined : { kind: 'declined', responseCode: declined },
  );
  if (!result.ok)
    return errorLine(`${result.error.message} (${result.error.firstcode}/${result.error.secondcode})`);
  // The legacy services name no response code in a refusal: the decline is error text like any other.
  if (declined !== null) return errorLine(`Declined (${declined})`);
  // django-assist-ru (assist/api.py) found only error text in these replies: an empty one is success.
  if (ctx.config.legacyActionReply === 'bare') return errorLine('');
  const [view] = await withOperations(ctx.db, [result.bill]);
  const t = legacyTransactions(result.bill, view?.operations ?? [result.operation]).get(result.operation.seq);
  return {
    body: itemsLine([
      ['Billnumber', result.bill.billnumber],
      ['OrderNumber', result.bill.orderNumber],
      ['Subtotal_P', formatAmount(result.operation.amount)],
      ['Currency', result.operation.currency],
      ['Status', t?.state ?? ''],
      ['PaymentType', String(t?.paymentType ?? '')],
      ['Response_Code', result.operation.responseCode ?? ''],
      ['PacketDate', formatGmt(result.operation.finishedAt ?? ctx.now)],
      ['ERROR', ''],
    ]),
  };
}

/**
 * The legacy notification of a finished payment attempt (docs/assist-protocol.md §8), form-encoded in windows-1251.
 * CheckValue = UPPER(md5hex(Shop_IDP + OrderNumber + Total + Currency + SECRET)); empty without a secret.
 */
export function legacyNotification(
  config: SandboxConfig,
  bill: BillRow,
  operation: OperationRow,
  packetDate: Date,
): NotificationBody {
  const total = formatAmount(operation.amount);
  const t = legacyTransactions(bill, [operation]).get(operation.seq);
  const fields: Record<string, string> = {
    Shop_IDP: bill.merchantId,
    OrderNumber: bill.orderNumber,
    Response_Code: operation.responseCode ?? '',
    Total: total,
    Currency: operation.currency,
    BillNumber: bill.billnumber,
    Status: t?.state ?? '',
    PacketDate: formatGmt(packetDate),
    CheckValue:
      config.secret === ''
        ? ''
        : legacyCheckvalue(config.secret, {
            shopIdp: bill.merchantId,
            orderNumber: bill.orderNumber,
            total,
            currency: operation.currency,
          }),
  };
  return { body: encodeForm(fields, 'windows-1251'), charset: 'windows-1251' };
}
