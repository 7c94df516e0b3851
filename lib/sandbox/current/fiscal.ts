import { and, asc, eq } from 'drizzle-orm';
import { isBillNumber, isExtendedBillNumber } from '../../assist/billnumber';
import { formatAmount, isAssistAmount, parseAmount } from '../../assist/money';
import type { BillRow } from '../bills';
import type { SandboxDb, SandboxTx } from '../db';
import { OPERATION_TYPE } from '../machine';
import { type SandboxChequeItem, sandboxBills, sandboxFiscalReceipts, sandboxOperations } from '../schema';
import type { FormFields } from '../urlencoded';
import { errorReply, type ServiceReply } from './reply';

/**
 * The sandbox's fiscal side (54-FZ): it reads `ChequeItems` the way the public "Чек в заказе" page
 * describes them and refuses what that page rules out (unreadable JSON, an item without price, quantity,
 * amount or tax, an amount that is not price × quantity, items that do not add up to the amount), then
 * keeps a log of every receipt it "prints". The refusal codes are the general ones (3 missing, 4 format,
 * 5 value, 11 duplicate); which ones ASSIST itself uses for receipts is not published.
 */

export type ChequeRefusal = { firstcode: number; secondcode: number; message: string };
export type ChequeParse = { ok: true; items: SandboxChequeItem[] } | { ok: false; error: ChequeRefusal };

const refuse = (firstcode: number, secondcode: number, message: string) =>
  ({ ok: false, error: { firstcode, secondcode, message } }) as const;

/** A JSON number with at most `decimals` places → integer units (kopecks or thousandths). */
function units(value: unknown, decimals: 2 | 3): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  const scale = decimals === 2 ? 100 : 1000;
  const n = Math.round(value * scale);
  return Math.abs(n - value * scale) < 1e-6 ? n : null;
}

const text = (v: unknown, max: number): string | null =>
  typeof v === 'string' && v.length <= max ? v : typeof v === 'number' ? String(v) : null;

/**
 * Reads `ChequeItems` for `amountKopecks`. A `Tax` sent with the request stands in for items that name
 * none (the public page allows it); without either, an item has no tax and is refused.
 */
export function parseChequeItems(raw: string, amountKopecks: number | null, requestTax = ''): ChequeParse {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return refuse(4, 0, 'ChequeItems is not valid JSON');
  }
  const list = (doc as { items?: unknown } | null)?.items;
  if (!Array.isArray(list) || list.length === 0) return refuse(3, 0, 'ChequeItems has no items');
  const items: SandboxChequeItem[] = [];
  const ids = new Set<number>();
  for (const [i, entry] of list.entries()) {
    const at = `ChequeItems item ${i + 1}`;
    if (!entry || typeof entry !== 'object') return refuse(4, 0, `${at} is not an object`);
    const e = entry as Record<string, unknown>;
    if (typeof e.id !== 'number' || !Number.isInteger(e.id) || ids.has(e.id))
      return refuse(4, 0, `${at}: id must be a whole number unique in the receipt`);
    ids.add(e.id);
    const name = text(e.name ?? '', 250);
    const product = text(e.product ?? '', 50);
    if (name === null || product === null || (name === '' && product === ''))
      return refuse(3, 0, `${at}: name or product is required`);
    const price = units(e.price, 2);
    const quantity = units(e.quantity, 3);
    const amount = units(e.amount, 2);
    if (price === null) return refuse(4, 108, `${at}: price must be an amount with two decimals`);
    if (quantity === null || quantity === 0) return refuse(4, 0, `${at}: quantity must be positive`);
    if (amount === null) return refuse(4, 108, `${at}: amount must be an amount with two decimals`);
    if (Number((BigInt(price) * BigInt(quantity) + 500n) / 1000n) !== amount)
      return refuse(5, 108, `${at}: amount is not price × quantity`);
    const tax = typeof e.tax === 'string' && e.tax.trim() !== '' ? e.tax.trim() : requestTax;
    if (tax === '') return refuse(3, 0, `${at}: tax is required`);
    if (tax.length > 10) return refuse(4, 0, `${at}: tax is longer than 10 characters`);
    const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null);
    items.push({
      id: e.id,
      product,
      name,
      price,
      quantity,
      amount,
      tax,
      fpmode: int(e.fpmode),
      subjtype: int(e.subjtype),
      gs1code: typeof e.gs1code === 'string' ? e.gs1code : null,
    });
  }
  const total = items.reduce((a, i) => a + i.amount, 0);
  if (amountKopecks !== null && total !== amountKopecks)
    return refuse(
      5,
      108,
      `ChequeItems sum to ${formatAmount(total)}, not ${formatAmount(amountKopecks ?? 0)}`,
    );
  return { ok: true, items };
}

type Db = SandboxDb | SandboxTx;

export type ReceiptType = 'sell' | 'sell_refund' | 'full_calculation';

/** Logs a receipt once per operation and type; a second one is a duplicate and changes nothing. */
export async function logReceipt(
  db: Db,
  r: {
    billnumber: string;
    orderNumber: string;
    type: ReceiptType;
    items: SandboxChequeItem[];
    email: string | null;
  },
  now: Date,
): Promise<boolean> {
  const rows = await db
    .insert(sandboxFiscalReceipts)
    .values({ ...r, amount: r.items.reduce((a, i) => a + i.amount, 0), createdAt: now })
    .onConflictDoNothing()
    .returning({ id: sandboxFiscalReceipts.id });
  return rows.length > 0;
}

/** When money is taken with a receipt (a one-stage payment, or a full charge of a hold), it is printed. */
export async function logBillReceipt(db: Db, bill: BillRow, now: Date): Promise<void> {
  if (!bill.cheque) return;
  await logReceipt(
    db,
    {
      billnumber: bill.billnumber,
      orderNumber: bill.orderNumber,
      type: 'sell',
      items: bill.cheque,
      email: bill.customer.email ?? null,
    },
    now,
  );
}

/**
 * The charge's receipt rule: a bill paid with a receipt must be charged in part with the receipt for that
 * part (the held bill's own receipt is for the whole). Returns the items to print, or a refusal.
 */
export function chargeCheque(
  bill: BillRow,
  fields: FormFields,
  amountKopecks: number | undefined,
): { ok: true; items: SandboxChequeItem[] | null } | { ok: false; error: ChequeRefusal } {
  const raw = fields.get('chequeitems')?.trim() ?? '';
  if (!bill.cheque) return { ok: true, items: null };
  if (raw === '') {
    if (amountKopecks === undefined || amountKopecks === bill.orderAmount)
      return { ok: true, items: bill.cheque };
    return refuse(3, 0, 'a partial charge of a bill with a receipt needs ChequeItems for the charged part');
  }
  const parsed = parseChequeItems(raw, amountKopecks ?? bill.orderAmount, fields.get('tax')?.trim());
  return parsed.ok ? { ok: true, items: parsed.items } : parsed;
}

const field = (fields: FormFields, name: string) => fields.get(name)?.trim() ?? '';

/**
 * `/fiscal/…` services: a refund receipt (`Type=sell_refund`, Billnumber = the refund's extended
 * billnumber, for at most what that refund returned) and the full-calculation receipt (Billnumber = a
 * bill whose receipt was printed, for at most what it still holds). The reply is the services' common
 * `<result>` with one `<order>` describing the receipt: the real reply is not published.
 */
export async function fiscalService(
  kind: 'receipt' | 'fullcalculation',
  fields: FormFields,
  ctx: { db: SandboxDb; merchantId: string; now: Date },
): Promise<ServiceReply> {
  const billnumber = field(fields, 'billnumber');
  if (billnumber === '') return errorReply(3, 143);
  if (!isBillNumber(billnumber) && !isExtendedBillNumber(billnumber)) return errorReply(4, 143);
  const [base = '', seqText = '0'] = billnumber.split('.');
  const [bill] = await ctx.db
    .select()
    .from(sandboxBills)
    .where(and(eq(sandboxBills.billnumber, base), eq(sandboxBills.merchantId, ctx.merchantId)));
  if (!bill) return errorReply(10, 143);
  const type: ReceiptType = kind === 'fullcalculation' ? 'full_calculation' : 'sell_refund';
  if (kind === 'receipt' && field(fields, 'type') !== 'sell_refund') return errorReply(5, 0);
  const amountText = field(fields, 'amount');
  const amount = parseAmount(amountText);
  if (amountText !== '' && (!isAssistAmount(amountText) || !amount.ok)) return errorReply(4, 108);

  let limit: number;
  if (type === 'sell_refund') {
    // The receipt is for one refund: the operation must be a successful cancel that returned money.
    const seq = Number(seqText);
    const [op] = await ctx.db
      .select()
      .from(sandboxOperations)
      .where(and(eq(sandboxOperations.billnumber, bill.billnumber), eq(sandboxOperations.seq, seq)));
    if (!op || op.type !== OPERATION_TYPE.cancel || op.state !== 'Success') return errorReply(10, 143);
    limit = op.amount;
  } else {
    const printed = await ctx.db
      .select()
      .from(sandboxFiscalReceipts)
      .where(eq(sandboxFiscalReceipts.orderNumber, bill.orderNumber))
      .orderBy(asc(sandboxFiscalReceipts.id));
    if (!printed.some((r) => r.billnumber === bill.billnumber && r.type === 'sell')) return errorReply(15, 0);
    limit = bill.captured;
  }
  const parsed = parseChequeItems(
    field(fields, 'chequeitems'),
    amountText !== '' && amount.ok ? amount.kopecks : null,
    field(fields, 'tax'),
  );
  if (!parsed.ok) return errorReply(parsed.error.firstcode, parsed.error.secondcode);
  const total = parsed.items.reduce((a, i) => a + i.amount, 0);
  if (total > limit) return errorReply(5, 108);
  const logged = await logReceipt(
    ctx.db,
    {
      billnumber,
      orderNumber: bill.orderNumber,
      type,
      items: parsed.items,
      email: field(fields, 'email') || (bill.customer.email ?? null),
    },
    ctx.now,
  );
  if (!logged) return errorReply(11, 0);
  return {
    firstcode: 0,
    secondcode: 0,
    rows: 'order',
    orders: [
      {
        fields: [
          ['billnumber', billnumber],
          ['ordernumber', bill.orderNumber],
          ['type', type],
          ['amount', formatAmount(total)],
          ['receiptstate', 'registered'],
        ],
        operations: [],
      },
    ],
  };
}
