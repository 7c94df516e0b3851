/**
 * 54-FZ receipts as the shop records them (docs/fiscal.md): the receipt that goes with a payment form or
 * a charge, refund receipts for the refunded lines, the full-calculation receipt at hand-over, sending
 * and re-sending through the gateway, and the cron's re-check of unanswered ones. Building the items is
 * pure and lives in `@/lib/assist` (cheque.ts). One file over 300 lines because every path writes the
 * same `fiscal_receipts` row under the same one-receipt-per-operation key and reads the same held items.
 */
import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import {
  type AssistGateway,
  buildCheque,
  type ChequeItem,
  type ChequeLine,
  type ChequeResult,
  chequeForAmount,
  chequeTotal,
  type FiscalConfig,
  type FiscalPaymentMethod,
  type FiscalReceiptKind,
  type PaymentSubject,
  remainingItems,
  type VatRate,
} from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { orderItems, orders } from '@/lib/db/schema';
import { type FiscalGatewayReply, type FiscalKind, type FiscalState, fiscalReceipts } from './fiscal-schema';
import { assistBills, assistOperations } from './schema';
import { type OrderPaymentStatusChange, onOrderPaymentStatusChange } from './status-hooks';

export type FiscalReceipt = typeof fiscalReceipts.$inferSelect;
type OrderRow = typeof orders.$inferSelect;
type OrderItemRow = typeof orderItems.$inferSelect;

/** Made-to-order (two-stage) goods are paid in advance; everything else is paid in full. */
function fiscalMethod(order: Pick<OrderRow, 'twoStage'>): FiscalPaymentMethod {
  return order.twoStage ? 'full_prepayment' : 'full_payment';
}

/** The stored order lines as receipt lines, each product's own tax data or the shop's defaults. */
function chequeLines(items: OrderItemRow[], fiscal: FiscalConfig): ChequeLine[] {
  return items.map((item) => ({
    ref: item.id,
    product: item.productSlug.slice(0, 50),
    name: item.name,
    unitPriceKopecks: item.unitPriceKopecks,
    quantityMilli: item.quantity * 1000,
    vat: (item.vatRate as VatRate | null) ?? fiscal.defaultVat,
    subject: (item.paymentSubject as PaymentSubject | null) ?? fiscal.defaultSubject,
    markingCode: item.markingCode,
  }));
}

/** The receipt that rides with the payment form: the whole order, paid in full or prepaid. */
export function paymentReceipt(
  order: Pick<OrderRow, 'twoStage' | 'totalKopecks'>,
  items: OrderItemRow[],
  fiscal: FiscalConfig,
): ChequeResult {
  return buildCheque(chequeLines(items, fiscal), {
    amountKopecks: order.totalKopecks,
    method: fiscalMethod(order),
  });
}

/** The receipt for an order's payment form, or null when fiscalisation is off. */
export async function orderReceipt(
  db: Db,
  order: Pick<OrderRow, 'id' | 'twoStage' | 'totalKopecks'>,
  fiscal: FiscalConfig | undefined,
): Promise<ChequeResult | null> {
  if (!fiscal) return null;
  return paymentReceipt(order, await loadOrderItems(db, order.id), fiscal);
}

export async function loadOrderItems(db: Db, orderId: number): Promise<OrderItemRow[]> {
  return db.select().from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.id));
}

type NewReceipt = {
  order: Pick<OrderRow, 'id' | 'orderNumber' | 'email'>;
  billNumber: string;
  operationId: string | null;
  kind: FiscalKind;
  items: ChequeItem[];
  state: FiscalState;
};

/** The operation's one receipt: its key makes a second record of the same operation a no-op. */
function receiptKey(kind: FiscalKind, billNumber: string, operationId: string | null): string {
  return `${kind}:${operationId ?? billNumber}`;
}

async function insertReceipt(db: Db, r: NewReceipt): Promise<FiscalReceipt> {
  const key = receiptKey(r.kind, r.billNumber, r.operationId);
  const now = new Date();
  const [row] = await db
    .insert(fiscalReceipts)
    .values({
      orderId: r.order.id,
      orderNumber: r.order.orderNumber,
      billNumber: r.billNumber,
      operationId: r.operationId,
      kind: r.kind,
      idempotencyKey: key,
      items: r.items,
      amountKopecks: chequeTotal(r.items),
      email: r.order.email,
      state: r.state,
      registeredAt: r.state === 'registered' ? now : null,
    })
    .onConflictDoNothing({ target: fiscalReceipts.idempotencyKey })
    .returning();
  if (row) return row;
  const [existing] = await db.select().from(fiscalReceipts).where(eq(fiscalReceipts.idempotencyKey, key));
  if (!existing) throw new Error(`fiscal receipt ${key} neither inserted nor found`);
  return existing;
}

async function orderOfBill(db: Db, billNumber: string): Promise<OrderRow | undefined> {
  const [row] = await db
    .select({ order: orders })
    .from(assistBills)
    .innerJoin(orders, eq(orders.id, assistBills.orderId))
    .where(eq(assistBills.billNumber, billNumber));
  return row?.order;
}

/**
 * A one-stage order became paid: its receipt rode with the payment form, so it is recorded as the
 * gateway's (the same items the form carried, rebuilt from the same stored lines).
 */
export async function recordPaymentReceipt(
  db: Db,
  change: Pick<OrderPaymentStatusChange, 'orderId' | 'to' | 'billNumber'>,
  fiscal: FiscalConfig,
): Promise<FiscalReceipt | null> {
  if (change.to !== 'paid' || !change.billNumber) return null;
  const [order] = await db.select().from(orders).where(eq(orders.id, change.orderId));
  if (!order || order.twoStage) return null;
  const cheque = paymentReceipt(order, await loadOrderItems(db, order.id), fiscal);
  if (!cheque.ok) return null;
  return insertReceipt(db, {
    order,
    billNumber: change.billNumber,
    operationId: null,
    kind: 'sell',
    items: cheque.items,
    state: 'registered',
  });
}

/** Records one-stage payment receipts as orders become paid (registered once, at start-up). */
export function registerFiscalReceipts(
  getDb: () => Promise<Db>,
  fiscal: () => FiscalConfig | undefined,
): () => void {
  return onOrderPaymentStatusChange(async (change) => {
    const config = fiscal();
    if (config) await recordPaymentReceipt(await getDb(), change, config);
  });
}

/**
 * The receipt for charging a held bill: the whole prepaid order, or for part of it the lines (or the
 * share of them) that the amount pays for. Null when the order carries no receipt.
 */
export async function chargeReceipt(
  db: Db,
  billNumber: string,
  amountKopecks: number | null,
  fiscal: FiscalConfig,
): Promise<ChequeResult | null> {
  const order = await orderOfBill(db, billNumber);
  if (!order) return null;
  const whole = paymentReceipt(order, await loadOrderItems(db, order.id), fiscal);
  if (!whole.ok || amountKopecks === null || amountKopecks === order.totalKopecks) return whole;
  return chequeForAmount(whole.items, amountKopecks, fiscalMethod(order));
}

/** After a successful charge: the charged part's receipt, which rode with the charge request. */
export async function recordChargeReceipt(
  db: Db,
  billNumber: string,
  items: ChequeItem[],
): Promise<FiscalReceipt | null> {
  const order = await orderOfBill(db, billNumber);
  if (!order) return null;
  return insertReceipt(db, {
    order,
    billNumber,
    operationId: null,
    kind: 'sell',
    items,
    state: 'registered',
  });
}

async function receiptsOfBill(db: Db, billNumber: string): Promise<FiscalReceipt[]> {
  return db
    .select()
    .from(fiscalReceipts)
    .where(eq(fiscalReceipts.billNumber, billNumber))
    .orderBy(asc(fiscalReceipts.id));
}

/** What a bill's receipts still hold: its sale minus its refund receipts (any state: they are owed). */
function heldItems(receipts: FiscalReceipt[]): { sale: FiscalReceipt; items: ChequeItem[] } | null {
  const sale = receipts.find((r) => r.kind === 'sell');
  if (!sale) return null;
  const refunds = receipts.filter((r) => r.kind === 'sell_refund').map((r) => r.items);
  return { sale, items: remainingItems(sale.items, refunds) };
}

export type SendOutcome =
  | { ok: true; receipt: FiscalReceipt }
  | { ok: false; error: { kind: 'not_found' } | { kind: 'not_resendable'; state: FiscalState } };

const RESEND_AFTER_MS = 60_000;

/**
 * Sends a receipt to the gateway's fiscal service and records the answer. The row is claimed first (a
 * conditional update), so two staff or a sync at once make one request; the gateway keys receipts by the
 * operation, so even a request repeated after a lost reply makes no second receipt.
 */
export async function sendReceipt(
  db: Db,
  gateway: AssistGateway,
  id: number,
  now: Date = new Date(),
): Promise<SendOutcome> {
  const [claimed] = await db
    .update(fiscalReceipts)
    .set({ attempts: sql`${fiscalReceipts.attempts} + 1`, sentAt: now, state: 'pending' })
    .where(
      and(
        eq(fiscalReceipts.id, id),
        inArray(fiscalReceipts.kind, ['sell_refund', 'full_calculation']),
        or(
          inArray(fiscalReceipts.state, ['failed', 'unknown']),
          and(
            eq(fiscalReceipts.state, 'pending'),
            or(
              sql`${fiscalReceipts.sentAt} is null`,
              lt(fiscalReceipts.sentAt, new Date(now.getTime() - RESEND_AFTER_MS)),
            ),
          ),
        ),
      ),
    )
    .returning();
  if (!claimed) {
    const [row] = await db.select().from(fiscalReceipts).where(eq(fiscalReceipts.id, id));
    return row
      ? { ok: false, error: { kind: 'not_resendable', state: row.state } }
      : { ok: false, error: { kind: 'not_found' } };
  }
  const result = await gateway.fiscalReceipt({
    kind: claimed.kind as FiscalReceiptKind,
    billNumber: claimed.operationId ?? claimed.billNumber,
    items: claimed.items,
    email: claimed.email ?? undefined,
  });
  const state: FiscalState = result.ok ? 'registered' : result.outcome === 'failed' ? 'failed' : 'unknown';
  const reply: FiscalGatewayReply = result.ok
    ? { ...result.reply, outcome: result.outcome }
    : { outcome: result.outcome, error: result.error };
  const [done] = await db
    .update(fiscalReceipts)
    .set({ state, gatewayReply: reply, registeredAt: state === 'registered' ? new Date() : null })
    .where(eq(fiscalReceipts.id, id))
    .returning();
  return { ok: true, receipt: done ?? claimed };
}

/**
 * After staff refunded money from a bill: a `sell_refund` receipt for each new refund operation, for
 * exactly the refunded lines (or their share of the amount). A void of a hold that was never charged
 * has no sale receipt, and so no refund receipt.
 */
export async function refundReceipts(
  db: Db,
  gateway: AssistGateway,
  billNumber: string,
  knownOperations: string[],
): Promise<FiscalReceipt[]> {
  const known = new Set(knownOperations);
  const refunds = (
    await db
      .select()
      .from(assistOperations)
      .where(and(eq(assistOperations.billNumber, billNumber), eq(assistOperations.kind, 'cancel')))
      .orderBy(asc(assistOperations.id))
  ).filter((o) => !known.has(o.operationId) && o.outcome === 'success' && (o.amountKopecks ?? 0) > 0);
  const out: FiscalReceipt[] = [];
  for (const op of refunds) {
    const held = heldItems(await receiptsOfBill(db, billNumber));
    if (!held) break;
    const order = await orderOfBill(db, billNumber);
    if (!order) break;
    const items = chequeForAmount(
      held.items,
      op.amountKopecks ?? 0,
      held.sale.items[0]?.method ?? 'full_payment',
    );
    if (!items.ok) continue;
    const row = await insertReceipt(db, {
      order,
      billNumber,
      operationId: op.operationId,
      kind: 'sell_refund',
      items: items.items,
      state: 'pending',
    });
    const sent =
      row.state === 'pending' && row.sentAt === null ? await sendReceipt(db, gateway, row.id) : null;
    out.push(sent?.ok ? sent.receipt : row);
  }
  return out;
}

export type HandOverResult =
  | { ok: true; order: OrderRow; receipt: FiscalReceipt | null }
  | { ok: false; error: 'order_not_found' | 'not_prepaid' | 'nothing_to_settle' };

/**
 * Staff hand over a prepaid made-to-order order: it becomes `handed_over`, and (fiscalisation on) the
 * full-calculation receipt settles the 100 % prepayment for what was kept (charged and not refunded).
 */
export async function handOverOrder(
  db: Db,
  gateway: AssistGateway,
  orderId: number,
  fiscal: FiscalConfig | undefined,
): Promise<HandOverResult> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return { ok: false, error: 'order_not_found' };
  if (!order.twoStage || !['paid', 'partially_charged', 'partially_refunded'].includes(order.paymentStatus))
    return { ok: false, error: 'not_prepaid' };
  let receipt: FiscalReceipt | null = null;
  if (fiscal) {
    const sales = await db
      .select()
      .from(fiscalReceipts)
      .where(and(eq(fiscalReceipts.orderId, order.id), eq(fiscalReceipts.kind, 'sell')))
      .orderBy(asc(fiscalReceipts.id));
    const sale = sales[0];
    if (!sale) return { ok: false, error: 'not_prepaid' };
    const held = heldItems(await receiptsOfBill(db, sale.billNumber));
    if (!held || held.items.length === 0) return { ok: false, error: 'nothing_to_settle' };
    receipt = await insertReceipt(db, {
      order,
      billNumber: sale.billNumber,
      operationId: null,
      kind: 'full_calculation',
      items: held.items.map((i) => ({ ...i, method: 'full_payment' as const })),
      state: 'pending',
    });
    if (receipt.sentAt === null) {
      const sent = await sendReceipt(db, gateway, receipt.id);
      if (sent.ok) receipt = sent.receipt;
    }
  }
  const [updated] = await db
    .update(orders)
    .set({ status: 'handed_over', updatedAt: new Date() })
    .where(eq(orders.id, order.id))
    .returning();
  return { ok: true, order: updated ?? order, receipt };
}

/** The sync's part: receipts whose answer never came (or that were never sent) are asked again. */
export async function recheckReceipts(
  db: Db,
  gateway: AssistGateway,
  limit: number,
  now: Date = new Date(),
): Promise<{ asked: number; registered: number }> {
  const open = await db
    .select({ id: fiscalReceipts.id })
    .from(fiscalReceipts)
    .where(
      and(
        inArray(fiscalReceipts.kind, ['sell_refund', 'full_calculation']),
        or(
          eq(fiscalReceipts.state, 'unknown'),
          and(
            eq(fiscalReceipts.state, 'pending'),
            or(
              sql`${fiscalReceipts.sentAt} is null`,
              lt(fiscalReceipts.sentAt, new Date(now.getTime() - RESEND_AFTER_MS)),
            ),
          ),
        ),
      ),
    )
    .orderBy(asc(fiscalReceipts.createdAt))
    .limit(limit);
  let registered = 0;
  for (const { id } of open) {
    const sent = await sendReceipt(db, gateway, id, now);
    if (sent.ok && sent.receipt.state === 'registered') registered++;
  }
  return { asked: open.length, registered };
}

export async function receiptsOfOrder(db: Db, orderId: number): Promise<FiscalReceipt[]> {
  return db
    .select()
    .from(fiscalReceipts)
    .where(eq(fiscalReceipts.orderId, orderId))
    .orderBy(asc(fiscalReceipts.id));
}

export { receiptsOfBill };
