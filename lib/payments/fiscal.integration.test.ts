import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '@/lib/admin/staff';
import { type ChequeItem, DEFAULT_FISCAL_CODES, type FiscalConfig, parseAssistConfig } from '@/lib/assist';
import { orderItems, orders } from '@/lib/db/schema';
import { type PaymentsHarness, startPaymentsHarness } from '@/lib/testing/payments-harness';
import { type Actor, type BillActionRequest, performBillAction } from './admin-actions';
import {
  handOverOrder,
  loadOrderItems,
  paymentReceipt,
  receiptsOfOrder,
  recheckReceipts,
  recordPaymentReceipt,
  sendReceipt,
} from './fiscal';
import { fiscalReceipts } from './fiscal-schema';
import { onOrderPaymentStatusChange } from './status-hooks';

let h: PaymentsHarness;
let fiscal: FiscalConfig;
let actor: Actor;
let unsubscribe: () => void;
let seq = 0;

beforeAll(async () => {
  h = await startPaymentsHarness({ fiscal: true });
  if (!h.config.fiscal) throw new Error('fiscal config missing');
  fiscal = h.config.fiscal;
  const admin = await createStaff(h.database.db, { email: 'cashier@shop.test', role: 'admin' });
  if (!admin.ok) throw new Error('staff setup failed');
  actor = { id: admin.staff.id, email: admin.staff.email };
  // What instrumentation registers in the app: paid one-stage orders get their payment receipt recorded.
  unsubscribe = onOrderPaymentStatusChange((change) =>
    recordPaymentReceipt(h.database.db, change, fiscal).then(() => {}),
  );
});

afterAll(async () => {
  unsubscribe?.();
  await h?.close();
});

type Line = { slug: string; name: string; price: number; qty: number; vat?: string; subject?: string };

const LINES: Line[] = [
  { slug: 'samovar', name: 'Самовар тульский, 5 л', price: 1_850_000, qty: 1 },
  { slug: 'lozhka-hohloma', name: 'Ложка хохломская', price: 45_000, qty: 3 },
  { slug: 'pryanik-tula', name: 'Тульский пряник печатный', price: 52_000, qty: 2, vat: '10' },
];

async function orderWith(lines: Line[], twoStage = false) {
  seq++;
  const total = lines.reduce((a, l) => a + l.price * l.qty, 0);
  const [order] = await h.database.db
    .insert(orders)
    .values({
      publicId: `fiscal${seq}${Date.now().toString(36)}`.padEnd(22, 'x').slice(0, 22),
      // The shop's order-number grammar (digits): a notification naming anything else is malformed.
      orderNumber: `${Date.now()}${String(seq).padStart(4, '0')}`,
      subtotalKopecks: total,
      totalKopecks: total,
      twoStage,
      lastName: 'Покупателева',
      firstName: 'Анна',
      email: 'anna@example.ru',
      expiresAt: new Date(Date.now() + 86_400_000),
    })
    .returning();
  if (!order) throw new Error('order insert failed');
  await h.database.db.insert(orderItems).values(
    lines.map((l) => ({
      orderId: order.id,
      productSlug: l.slug,
      name: l.name,
      unitPriceKopecks: l.price,
      quantity: l.qty,
      lineTotalKopecks: l.price * l.qty,
      vatRate: l.vat ?? null,
      paymentSubject: l.subject ?? null,
    })),
  );
  return order;
}

async function paidWithReceipt(order: Awaited<ReturnType<typeof orderWith>>) {
  const cheque = paymentReceipt(order, await loadOrderItems(h.database.db, order.id), fiscal);
  if (!cheque.ok) throw new Error(JSON.stringify(cheque.error));
  const bill = await h.openBill({ ...order, email: order.email }, cheque.items);
  expect((await h.pay(bill)).status).toBe(303);
  await h.waitForDeliveries();
  return { bill, cheque: cheque.items };
}

function request(billNumber: string, over: Partial<BillActionRequest>): BillActionRequest {
  seq++;
  return {
    billNumber,
    kind: 'cancel',
    amountKopecks: null,
    reason: 'customer',
    comment: '',
    actor,
    idempotencyKey: `fiscal-${seq}-${Math.random().toString(36).slice(2)}`,
    holdWarningDays: 14,
    testPaymentsCount: true,
    fiscal,
    ...over,
  };
}

/** The receipts both sides hold, in one shape: the gateway's log must equal the shop's records. */
const shape = (r: {
  billnumber: string;
  type: string;
  amount: number;
  items: Array<{ name: string; price: number; quantity: number; amount: number; tax: string }>;
}) => r;

async function sandboxReceipts(orderNumber: string) {
  const logged = await h.sandbox.gateway.listReceipts();
  return logged
    .filter((r) => r.orderNumber === orderNumber)
    .map((r) =>
      shape({
        billnumber: r.billnumber,
        type: r.type,
        amount: r.amount,
        items: r.items.map((i) => ({
          name: i.name,
          price: i.price,
          quantity: i.quantity,
          amount: i.amount,
          tax: i.tax,
        })),
      }),
    );
}

async function shopReceipts(orderId: number) {
  return (await receiptsOfOrder(h.database.db, orderId))
    .filter((r) => r.state === 'registered')
    .map((r) =>
      shape({
        billnumber: r.operationId ?? r.billNumber,
        type: r.kind,
        amount: r.amountKopecks,
        items: r.items.map((i: ChequeItem) => ({
          name: i.name,
          price: i.priceKopecks,
          quantity: i.quantityMilli,
          amount: i.amountKopecks,
          tax: DEFAULT_FISCAL_CODES.tax[i.vat],
        })),
      }),
    );
}

async function expectBothSidesEqual(order: { id: number; orderNumber: string }, count: number) {
  const gateway = await sandboxReceipts(order.orderNumber);
  expect(gateway).toHaveLength(count);
  expect(await shopReceipts(order.id)).toEqual(gateway);
}

describe('fiscal receipts against the sandbox', () => {
  it('a one-stage payment carries its receipt; refunding one item and then the rest each get theirs', async () => {
    const order = await orderWith(LINES);
    const { bill, cheque } = await paidWithReceipt(order);
    expect(cheque.map((i) => i.method)).toEqual(['full_payment', 'full_payment', 'full_payment']);
    await expectBothSidesEqual(order, 1);

    // Staff refund one spoon: the refund receipt holds exactly that one unit.
    const one = await performBillAction(h.database.db, h.gateway, request(bill, { amountKopecks: 45_000 }));
    expect(one.ok).toBe(true);
    await expectBothSidesEqual(order, 2);
    const [, refund] = await receiptsOfOrder(h.database.db, order.id);
    expect(refund?.kind).toBe('sell_refund');
    expect(refund?.operationId).toMatch(new RegExp(`^${bill}\\.\\d+$`));
    expect(refund?.items).toMatchObject([
      { name: 'Ложка хохломская', quantityMilli: 1000, amountKopecks: 45_000 },
    ]);

    // The rest: what the sale still holds after the first refund, line by line.
    const rest = await performBillAction(h.database.db, h.gateway, request(bill, { amountKopecks: null }));
    expect(rest.ok).toBe(true);
    await expectBothSidesEqual(order, 3);
    const last = (await receiptsOfOrder(h.database.db, order.id))[2];
    expect(last?.amountKopecks).toBe(order.totalKopecks - 45_000);
    expect(last?.items.map((i) => [i.name, i.quantityMilli])).toEqual([
      ['Самовар тульский, 5 л', 1000],
      ['Ложка хохломская', 2000],
      ['Тульский пряник печатный', 2000],
    ]);
  });

  it('a partial charge of a prepaid hold prints the charged part; handing over prints the full calculation', async () => {
    const order = await orderWith(
      [
        { slug: 'gusli', name: 'Гусли звончатые (на заказ)', price: 1_590_000, qty: 1 },
        { slug: 'ivan-chai', name: 'Иван-чай ферментированный, 100 г', price: 39_900, qty: 2 },
      ],
      true,
    );
    const { bill, cheque } = await paidWithReceipt(order);
    expect(cheque.every((i) => i.method === 'full_prepayment')).toBe(true);
    // A hold takes no money: nothing printed yet.
    await expectBothSidesEqual(order, 0);

    // Staff charge without the tea: the receipt holds the gusli only.
    const charge = await performBillAction(
      h.database.db,
      h.gateway,
      request(bill, { kind: 'charge', reason: null, amountKopecks: 1_590_000 }),
    );
    expect(charge.ok).toBe(true);
    await expectBothSidesEqual(order, 1);
    const [sale] = await receiptsOfOrder(h.database.db, order.id);
    expect(sale?.items).toMatchObject([{ name: 'Гусли звончатые (на заказ)', method: 'full_prepayment' }]);

    const handed = await handOverOrder(h.database.db, h.gateway, order.id, fiscal);
    expect(handed.ok && handed.order.status).toBe('handed_over');
    expect(handed.ok && handed.receipt?.state).toBe('registered');
    await expectBothSidesEqual(order, 2);
    const full = (await receiptsOfOrder(h.database.db, order.id))[1];
    expect(full?.kind).toBe('full_calculation');
    expect(full?.items.map((i) => [i.name, i.method, i.amountKopecks])).toEqual([
      ['Гусли звончатые (на заказ)', 'full_payment', 1_590_000],
    ]);
    // Handing over again asks for nothing new.
    const again = await handOverOrder(h.database.db, h.gateway, order.id, fiscal);
    expect(again.ok && again.receipt?.id).toBe(full?.id);
    await expectBothSidesEqual(order, 2);
  });

  it('a full charge prints the receipt the form carried', async () => {
    const order = await orderWith(
      [{ slug: 'gusli', name: 'Гусли звончатые (на заказ)', price: 1_590_000, qty: 1 }],
      true,
    );
    const { bill } = await paidWithReceipt(order);
    const charge = await performBillAction(
      h.database.db,
      h.gateway,
      request(bill, { kind: 'charge', reason: null }),
    );
    expect(charge.ok).toBe(true);
    await expectBothSidesEqual(order, 1);
  });

  it('nothing is sent twice: a lost reply re-asked is a duplicate the shop counts as registered', async () => {
    const order = await orderWith(LINES);
    const { bill } = await paidWithReceipt(order);
    const refund = await performBillAction(
      h.database.db,
      h.gateway,
      request(bill, { amountKopecks: 52_000 }),
    );
    expect(refund.ok).toBe(true);
    const row = (await receiptsOfOrder(h.database.db, order.id)).find((r) => r.kind === 'sell_refund');
    if (!row) throw new Error('no refund receipt');
    // A registered receipt is not sent again.
    expect(await sendReceipt(h.database.db, h.gateway, row.id)).toEqual({
      ok: false,
      error: { kind: 'not_resendable', state: 'registered' },
    });
    // As if the gateway's reply had been lost: the sync asks again and the gateway says it has it.
    await h.database.db.update(fiscalReceipts).set({ state: 'unknown' }).where(eq(fiscalReceipts.id, row.id));
    const recheck = await recheckReceipts(h.database.db, h.gateway, 10);
    expect(recheck).toEqual({ asked: 1, registered: 1 });
    const [after] = await h.database.db.select().from(fiscalReceipts).where(eq(fiscalReceipts.id, row.id));
    expect(after?.gatewayReply).toMatchObject({ outcome: 'duplicate' });
    await expectBothSidesEqual(order, 2);
  });
});

describe('the sandbox refuses what ASSIST refuses', () => {
  async function post(fields: Record<string, string>) {
    const res = await fetch(`${h.sandbox.url}/pay/order.cfm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    const html = await res.text();
    return { status: res.status, first: /id="firstcode">(\d+)/.exec(html)?.[1], html };
  }
  const base = (cheque: string) => {
    const form = h.gateway.paymentForm({
      orderNumber: `R${Date.now()}`,
      amountKopecks: 100_00,
      currency: 'RUB',
      twoStage: false,
      language: 'RU',
    });
    if (!form.ok) throw new Error('form');
    return { ...Object.fromEntries(form.form.fields), ChequeItems: cheque };
  };
  const item = (extra: string) =>
    `{"items":[{"id":1,"name":"Товар","price":100.00,"quantity":1,"amount":100.00${extra}}]}`;

  it('bad JSON, a sum that is not the amount, a missing tax, an amount that is not price × quantity', async () => {
    expect(await post(base('{"items":['))).toMatchObject({ status: 400, first: '4' });
    expect(
      await post(
        base(
          item(',"tax":"vat22"').replace('100.00}', '99.99}').replace('"amount":100.00', '"amount":99.99'),
        ),
      ),
    ).toMatchObject({ status: 400, first: '5' });
    expect(await post(base(item('')))).toMatchObject({ status: 400, first: '3' });
    expect(await post(base(item(',"tax":"vat22"').replace('"quantity":1', '"quantity":2')))).toMatchObject({
      status: 400,
      first: '5',
    });
    const ok = await post(base(item(',"tax":"vat22"')));
    expect(ok.status).toBe(200);
    expect(ok.html).toContain('Кассовый чек');
  });

  it('a Cyrillic receipt posted in UTF-8 arrives byte for byte', async () => {
    const order = await orderWith([
      { slug: 'platok', name: 'Павловопосадский платок «Зимний вечер»', price: 640_000, qty: 1 },
    ]);
    const { bill } = await paidWithReceipt(order);
    const [logged] = await sandboxReceipts(order.orderNumber);
    expect(logged?.billnumber).toBe(bill);
    expect(logged?.items[0]?.name).toBe('Павловопосадский платок «Зимний вечер»');
  });
});

describe('configuration', () => {
  it('refuses ASSIST_FISCAL with the legacy protocol, with a clear message', () => {
    const r = parseAssistConfig({
      ASSIST_MERCHANT_ID: '1',
      ASSIST_LOGIN: 'l',
      ASSIST_PASSWORD: 'p',
      ASSIST_PROTOCOL: 'legacy',
      ASSIST_FISCAL: '1',
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.join('\n')).toMatch(
        /ASSIST_FISCAL: fiscal receipts \(54-FZ\) need the current protocol/,
      );
  });

  it('checks the rates against the taxation system and reads code overrides', () => {
    const env = { ASSIST_MERCHANT_ID: '1', ASSIST_LOGIN: 'l', ASSIST_PASSWORD: 'p', ASSIST_FISCAL: '1' };
    const usn = parseAssistConfig({
      ...env,
      ASSIST_FISCAL_TAXATION: 'usn_income',
      ASSIST_FISCAL_DEFAULT_VAT: '22',
    });
    expect(usn.ok === false && usn.errors[0]).toMatch(/ASSIST_FISCAL_DEFAULT_VAT/);
    const custom = parseAssistConfig({
      ...env,
      ASSIST_FISCAL_TAX_CODES: '{"22":"vat22new"}',
      ASSIST_FISCAL_FPMODES: '{"full_payment":7}',
    });
    expect(custom.ok && custom.config.fiscal?.codes.tax['22']).toBe('vat22new');
    expect(custom.ok && custom.config.fiscal?.codes.fpmode.full_payment).toBe(7);
    const bad = parseAssistConfig({ ...env, ASSIST_FISCAL_TAX_CODES: '[1]' });
    expect(bad.ok === false && bad.errors[0]).toMatch(/ASSIST_FISCAL_TAX_CODES/);
  });
});
