import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  checkvalue,
  checkvaluesEqual,
  formCheckvalueInput,
  replyCheckvalueInput,
} from '../assist/checkvalue';
import { handleSandboxRequest } from './http';
import { type SandboxServer, startSandboxServer } from './standalone';
import {
  APPROVE,
  CREDENTIALS,
  codes,
  openBill,
  orderForm,
  paidBill,
  postForm,
  SECRET,
  submitCard,
  ws,
} from './test-helpers';

let server: SandboxServer;
let base: string;
let receiver: Server;
const received: Array<Record<string, string>> = [];
let clockOffsetMs = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const fields = Object.fromEntries(new URLSearchParams(body));
      received.push(fields);
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><pushpaymentresult firstcode="0" secondcode="0"><order><billnumber>${fields.billnumber}</billnumber><packetdate>${fields.packetdate}</packetdate></order></pushpaymentresult>`,
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const port = (receiver.address() as AddressInfo).port;
  server = await startSandboxServer({
    dataDir: 'memory',
    config: { notifyUrl: `http://127.0.0.1:${port}/notify`, notifyIntervalMs: 50, faultsEnabled: true },
    now: () => new Date(Date.now() + clockOffsetMs),
  });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

beforeEach(async () => {
  await server.gateway.clearFaults();
});

const billOf = async (billnumber: string) => {
  const bill = (await server.gateway.listBills()).find((b) => b.billnumber === billnumber);
  if (!bill) throw new Error(`no bill ${billnumber}`);
  return bill;
};

const waitFor = async <T>(probe: () => T | undefined | Promise<T | undefined>, ms = 5_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('payment page (order.cfm)', () => {
  it('creates an In Process bill per visit and shows a real payment page', async () => {
    // ASSIST strips < > " from both (see below); what is left is still escaped on the page.
    const form = orderForm({ OrderNumber: 'A<b>&"1', Language: 'EN', OrderComment: 'Gift <wrap> & bow' });
    const first = await openBill(base, form);
    const second = await openBill(base, form);
    expect(first.billnumber).not.toBe(second.billnumber);
    expect(first.billnumber).toMatch(/^\d{15,16}$/);
    const html = first.html;
    expect(html).toContain('Ab&amp;1');
    expect(html).not.toContain('A<b>');
    expect(html).toContain('Gift wrap &amp; bow');
    expect(html).toContain('Card number');
    expect(html).toContain('<label for="card_number">');
    expect(html).toContain('4111 1111 1111 1111');
    expect(html).toContain('AS108');
    expect(html).not.toMatch(/<(script|link|img)\b/);
    expect(await billOf(first.billnumber)).toMatchObject({
      state: 'In Process',
      orderAmount: 150_000,
      testmode: 1,
    });
  });

  it('speaks Russian by default and accepts GET', async () => {
    const res = await fetch(`${base}/pay/order.cfm?${new URLSearchParams(orderForm())}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Номер карты');
    expect(html).toContain('lang="ru"');
  });

  it('decodes a windows-1251 submission by its _charset_ field', async () => {
    const orderNumber = 'Заказ-1';
    const enc = (s: string) =>
      [...iconv.encode(s, 'win1251')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const cv = checkvalue(
      SECRET,
      formCheckvalueInput({
        merchantId: CREDENTIALS.Merchant_ID,
        orderNumber,
        orderAmount: '10.00',
        orderCurrency: 'RUB',
      }),
    );
    const body =
      `_charset_=windows-1251&Merchant_ID=${CREDENTIALS.Merchant_ID}&OrderNumber=${enc(orderNumber)}` +
      `&OrderAmount=10.00&OrderCurrency=RUB&Checkvalue=${cv}&OrderComment=${enc('Доставка к подъезду №2')}`;
    const res = await fetch(`${base}/pay/order.cfm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Доставка к подъезду №2');
    const r = await ws(base, '/orderresult/orderresult.cfm', { Ordernumber: orderNumber });
    expect(codes(r)).toBe('0/0');
    expect(r.order?.[0]?.ordercomment).toBe('Доставка к подъезду №2');
  });

  it.each([
    ['missing Merchant_ID', { Merchant_ID: undefined }, '3/100'],
    ['unknown merchant', { Merchant_ID: '999' }, '10/200'],
    ['missing OrderNumber', { OrderNumber: '' }, '3/107'],
    ['OrderNumber over 128', { OrderNumber: 'x'.repeat(129) }, '4/107'],
    ['missing OrderAmount', { OrderAmount: undefined }, '3/108'],
    ['amount with one decimal', { OrderAmount: '100.0' }, '4/108'],
    ['zero amount', { OrderAmount: '0.00' }, '5/108'],
    ['bad currency', { OrderCurrency: 'rub' }, '4/105'],
    ['missing checkvalue', { Checkvalue: undefined }, '3/158'],
    ['wrong checkvalue', { Checkvalue: 'DBE8D1AB4F19A27D161999DC53293881' }, '5/158'],
    ['Lastname over 70', { Lastname: 'x'.repeat(71) }, '4/0'],
    ['non-http return URL', { URL_RETURN_OK: 'javascript:alert(1)' }, '4/0'],
    ['Delay not 0/1', { Delay: '2' }, '4/0'],
  ])('refuses %s with HTTP 400 and creates nothing', async (_name, overrides, expected) => {
    const before = (await server.gateway.listBills()).length;
    const res = await postForm(`${base}/pay/order.cfm`, orderForm(overrides));
    const html = await res.text();
    expect(res.status).toBe(400);
    const [first, second] = expected.split('/');
    expect(html).toContain(`<strong id="firstcode">${first}</strong>`);
    expect(html).toContain(`<strong id="secondcode">${second}</strong>`);
    expect((await server.gateway.listBills()).length).toBe(before);
  });

  it('signs with the amount exactly as sent', async () => {
    const form = orderForm({ OrderAmount: '100.00' });
    form.Checkvalue = checkvalue(
      SECRET,
      formCheckvalueInput({
        merchantId: form.Merchant_ID ?? '',
        orderNumber: form.OrderNumber ?? '',
        orderAmount: '100.0',
        orderCurrency: 'RUB',
      }),
    );
    expect((await postForm(`${base}/pay/order.cfm`, form)).status).toBe(400);
  });
});

describe('card form, return and notification', () => {
  it('approves, redirects to URL_RETURN_OK keeping its query, and notifies', async () => {
    const bill = await openBill(base, orderForm({ Email: 'a@b.ru', Firstname: 'Иван' }));
    const res = await submitCard(base, bill.billnumber);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://shop.example/pay/ok');
    expect(location.searchParams.get('x')).toBe('1');
    expect(location.searchParams.get('billnumber')).toBe(bill.billnumber);
    expect(location.searchParams.get('ordernumber')).toBe(bill.orderNumber);
    expect(await billOf(bill.billnumber)).toMatchObject({
      state: 'Approved',
      captured: 150_000,
      meanNumber: '411111****1111',
    });

    const n = await waitFor(() => received.find((f) => f.billnumber === bill.billnumber));
    expect(n).toMatchObject({
      merchant_id: CREDENTIALS.Merchant_ID,
      ordernumber: bill.orderNumber,
      testmode: '1',
      orderamount: '1500.00',
      ordercurrency: 'RUB',
      amount: '1500.00',
      currency: 'RUB',
      orderstate: 'Approved',
      responsecode: 'AS000',
      meannumber: '411111****1111',
      meantypename: 'VISA',
      cardholder: 'IVAN IVANOV',
      firstname: 'Иван',
      email: 'a@b.ru',
      operationtype: '100',
    });
    expect(n.approvalcode).toMatch(/^\d{6}$/);
    expect(n.packetdate).toMatch(/^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d$/);
    const x = replyCheckvalueInput({
      merchantId: n.merchant_id ?? '',
      orderNumber: n.ordernumber ?? '',
      amount: n.amount ?? '',
      currency: n.currency ?? '',
      orderState: n.orderstate ?? '',
    });
    expect(checkvaluesEqual(checkvalue(SECRET, x), n.checkvalue ?? '')).toBe(true);
    const d = await waitFor(async () =>
      (await server.gateway.listDeliveries()).find(
        (e) => e.billnumber === bill.billnumber && e.status === 'delivered',
      ),
    );
    expect(d.attempts).toHaveLength(1);
    const deliveries = await server.gateway.listDeliveries();
    expect(JSON.stringify(deliveries)).not.toContain('4111111111111111');
  });

  it('declines a decline card, redirects to URL_RETURN_NO and notifies Declined', async () => {
    const bill = await openBill(base, orderForm());
    const res = await submitCard(base, bill.billnumber, { card_number: '4000000000009995' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(
      /^https:\/\/shop\.example\/pay\/no\?billnumber=\d+&ordernumber=/,
    );
    expect(await billOf(bill.billnumber)).toMatchObject({ state: 'Declined', responseCode: 'AS102' });
    const n = await waitFor(() => received.find((f) => f.billnumber === bill.billnumber));
    expect(n).toMatchObject({ orderstate: 'Declined', responsecode: 'AS102' });
  });

  it('re-shows the form for a card that is not a test card and leaves the bill alone', async () => {
    const bill = await openBill(base, orderForm({ Language: 'EN' }));
    const res = await submitCard(base, bill.billnumber, { card_number: '5105 1051 0510 5100' });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('not a test card');
    expect(html).not.toContain('5105');
    expect(await billOf(bill.billnumber)).toMatchObject({ state: 'In Process', meanNumber: null });
  });

  it('declines an expired card and a bad CVC', async () => {
    const a = await paidBill(base, {}, { expiry: '01/20' });
    const b = await paidBill(base, {}, { cvc: '12a' });
    expect(await billOf(a.billnumber)).toMatchObject({ state: 'Declined', responseCode: 'AS104' });
    expect(await billOf(b.billnumber)).toMatchObject({ state: 'Declined', responseCode: 'AS107' });
  });

  it('holds the funds with Delay=1', async () => {
    const bill = await paidBill(base, { Delay: '1' });
    expect(await billOf(bill.billnumber)).toMatchObject({ state: 'Delayed', held: 150_000, captured: 0 });
  });

  it('lets the legacy DemoResult force the outcome', async () => {
    const bill = await openBill(base, orderForm({ DemoResult: 'AS105' }));
    const res = await submitCard(base, bill.billnumber);
    expect(res.headers.get('location')).toContain('/pay/no');
    expect(await billOf(bill.billnumber)).toMatchObject({ state: 'Declined', responseCode: 'AS105' });
  });

  it('falls back to URL_RETURN, then to its own result page', async () => {
    const viaReturn = await openBill(
      base,
      orderForm({ URL_RETURN_OK: undefined, URL_RETURN: 'https://shop.example/back' }),
    );
    const r1 = await submitCard(base, viaReturn.billnumber);
    expect(r1.headers.get('location')).toMatch(/^https:\/\/shop\.example\/back\?billnumber=/);
    const noUrls = await openBill(base, orderForm({ URL_RETURN_OK: undefined, URL_RETURN_NO: undefined }));
    const r2 = await submitCard(base, noUrls.billnumber);
    expect(r2.status).toBe(200);
    expect(await r2.text()).toContain('Approved');
  });

  it('refuses a second attempt on a finished bill', async () => {
    const bill = await paidBill(base);
    const again = await submitCard(base, bill.billnumber, { card_number: '4000000000000002' });
    expect(again.status).toBe(409);
    expect(await billOf(bill.billnumber)).toMatchObject({ state: 'Approved' });
  });
});

describe('web services', () => {
  it.each([
    [{ Login: '' }, '3/101'],
    [{ Merchant_ID: '1' }, '7/100'],
    [{ Login: 'nobody' }, '7/101'],
    [{ Password: 'wrong' }, '7/102'],
    [{ Format: '9' }, '4/103'],
  ])('rejects bad credentials or format %o', async (fields, expected) => {
    expect(codes(await ws(base, '/orderstate/orderstate.cfm', { Ordernumber: 'x', ...fields }))).toBe(
      expected,
    );
  });

  it('orderstate returns every bill of the order with a checkvalue, or 10/201', async () => {
    const form = orderForm();
    await openBill(base, form);
    await paidBill(base, { OrderNumber: form.OrderNumber });
    const r = await ws(base, '/orderstate/orderstate.cfm', { Ordernumber: form.OrderNumber ?? '' });
    expect(r.count).toBe('2');
    expect(r.order?.map((o) => o.orderstate)).toEqual(['In Process', 'Approved']);
    for (const o of r.order ?? []) {
      const x = replyCheckvalueInput({
        merchantId: CREDENTIALS.Merchant_ID,
        orderNumber: o.ordernumber ?? '',
        amount: o.orderamount ?? '',
        currency: o.ordercurrency ?? '',
        orderState: o.orderstate ?? '',
      });
      expect(o.checkvalue).toBe(checkvalue(SECRET, x));
      expect(o.packetdate).toMatch(/^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d$/);
    }
    expect(codes(await ws(base, '/orderstate/orderstate.cfm', { Ordernumber: 'no-such-order' }))).toBe(
      '10/201',
    );
    expect(codes(await ws(base, '/orderstate/orderstate.cfm', {}))).toBe('3/107');
    const old = await ws(base, '/orderstate/orderstate.cfm', {
      Ordernumber: form.OrderNumber ?? '',
      StartYear: '2020',
      StartMonth: '1',
      StartDay: '1',
      EndYear: '2020',
      EndMonth: '1',
      EndDay: '2',
    });
    expect(codes(old)).toBe('10/201');
  });

  it('charges a held bill fully once, never twice', async () => {
    const bill = await paidBill(base, { Delay: '1' });
    const r = await ws(base, '/charge/charge.cfm', { Billnumber: bill.billnumber });
    expect(codes(r)).toBe('0/0');
    // The charge DTD's flat order: the operation's fields on the order, its extended billnumber, no
    // operationdate and no checkvalue.
    const order = r.orders?.order[0];
    expect(order).toMatchObject({
      billnumber: `${bill.billnumber}.2`,
      orderstate: 'Approved',
      operationtype: '200',
      amount: '1500.00',
      responsecode: 'AS000',
    });
    expect(order?.operation).toBeUndefined();
    expect(order).not.toHaveProperty('operationdate');
    expect(order).not.toHaveProperty('checkvalue');
    expect(codes(await ws(base, '/charge/charge.cfm', { Billnumber: bill.billnumber }))).toBe('11/0');
    expect(await billOf(bill.billnumber)).toMatchObject({ state: 'Approved', captured: 150_000 });
  });

  it('lets only one of several concurrent charges or refunds through', async () => {
    const held = await paidBill(base, { Delay: '1' });
    const charges = await Promise.all(
      Array.from({ length: 5 }, () =>
        ws(base, '/charge/charge.cfm', { Billnumber: held.billnumber }).then(codes),
      ),
    );
    expect(charges.sort()).toEqual(['0/0', '11/0', '11/0', '11/0', '11/0']);
    const refunds = await Promise.all(
      Array.from({ length: 4 }, () =>
        ws(base, '/cancel/wscancel.cfm', {
          Billnumber: held.billnumber,
          Amount: '1000.00',
          Currency: 'RUB',
        }).then(codes),
      ),
    );
    expect(refunds.sort()).toEqual(['0/0', '5/108', '5/108', '5/108']);
    expect(await billOf(held.billnumber)).toMatchObject({ state: 'PartialCanceled', captured: 50_000 });
  });

  it('charges part of a hold into PartialDelayed and refuses the rest later', async () => {
    const bill = await paidBill(base, { Delay: '1' });
    const partial = await ws(base, '/charge/charge.cfm', {
      Billnumber: bill.billnumber,
      Amount: '500.00',
      Currency: 'RUB',
    });
    expect(partial.orders?.order[0]?.orderstate).toBe('PartialDelayed');
    const more = await ws(base, '/charge/charge.cfm', {
      Billnumber: bill.billnumber,
      Amount: '1000.00',
      Currency: 'RUB',
    });
    expect(codes(more)).toBe('11/0');
    expect(await billOf(bill.billnumber)).toMatchObject({
      state: 'PartialDelayed',
      captured: 50_000,
      held: 0,
    });
  });

  it('refuses over-charge, charges of bills that hold nothing, and bad parameters', async () => {
    const held = await paidBill(base, { Delay: '1' });
    const paid = await paidBill(base);
    const charge = (f: Record<string, string>) => ws(base, '/charge/charge.cfm', f).then(codes);
    expect(await charge({ Billnumber: held.billnumber, Amount: '1500.01', Currency: 'RUB' })).toBe('5/108');
    expect(await charge({ Billnumber: held.billnumber, Amount: '10.00', Currency: 'USD' })).toBe('5/105');
    expect(await charge({ Billnumber: held.billnumber, Amount: '10.00' })).toBe('3/105');
    expect(await charge({ Billnumber: held.billnumber, Amount: '10', Currency: 'RUB' })).toBe('4/108');
    expect(await charge({ Billnumber: paid.billnumber })).toBe('15/0');
    expect(await charge({ Billnumber: '1234567890123456' })).toBe('10/143');
    expect(await charge({})).toBe('3/143');
    expect(await billOf(held.billnumber)).toMatchObject({ state: 'Delayed', held: 150_000 });
  });

  it('refunds in parts, never more than remains, with CancelReason', async () => {
    const bill = await paidBill(base);
    const cancel = (f: Record<string, string>) =>
      ws(base, '/cancel/wscancel.cfm', { Billnumber: bill.billnumber, ...f });
    const first = await cancel({ Amount: '400.00', Currency: 'RUB', CancelReason: '2' });
    expect(first.orders?.order[0]).toMatchObject({ orderstate: 'PartialCanceled' });
    expect(first.orders?.order[0]?.operation?.[0]).toMatchObject({
      operationtype: '300',
      amount: '400.00',
      cancelreason: '2',
    });
    expect(codes(await cancel({ Amount: '1100.01', Currency: 'RUB' }))).toBe('5/108');
    expect(codes(await cancel({ CancelReason: '7' }))).toBe('4/0');
    const rest = await cancel({});
    expect(rest.orders?.order[0]).toMatchObject({ orderstate: 'Canceled' });
    expect(rest.orders?.order[0]?.operation?.[0]?.amount).toBe('1100.00');
    expect(codes(await cancel({}))).toBe('15/0');
    expect(await billOf(bill.billnumber)).toMatchObject({ state: 'Canceled', captured: 0 });
  });

  it('voids a hold through the older cancel.cfm path and refuses to cancel a declined bill', async () => {
    const held = await paidBill(base, { Delay: '1' });
    const r = await ws(base, '/cancel/cancel.cfm', { Billnumber: held.billnumber });
    expect(r.orders?.order[0]?.orderstate).toBe('Canceled');
    expect(await billOf(held.billnumber)).toMatchObject({ held: 0, captured: 0 });
    const declined = await paidBill(base, {}, { card_number: '4000000000000002' });
    expect(codes(await ws(base, '/cancel/wscancel.cfm', { Billnumber: declined.billnumber }))).toBe('15/0');
  });

  it("strips what ASSIST strips from the form's text (eng.docs.belassist.by page 26641290)", async () => {
    const bill = await paidBill(base, {
      OrderNumber: `S<'"1;>-${Math.random().toString(36).slice(2, 8)}`,
      Lastname: `O'Brien (jr); a=b/c <x>`,
      OrderComment: 'note "quoted"',
    });
    const r = await ws(base, '/orderresult/orderresult.cfm', { Billnumber: bill.billnumber });
    const order = r.order?.[0];
    expect(order?.ordernumber).toMatch(/^S1-\w+$/);
    expect(order).toMatchObject({ lastname: 'OBrien jr abc x', ordercomment: 'note quoted' });
  });

  it('orderresult lists the operations with extended billnumbers', async () => {
    const bill = await paidBill(base, { Delay: '1' });
    await ws(base, '/charge/charge.cfm', { Billnumber: bill.billnumber, Amount: '1000.00', Currency: 'RUB' });
    await ws(base, '/cancel/wscancel.cfm', {
      Billnumber: bill.billnumber,
      Amount: '300.00',
      Currency: 'RUB',
    });
    const r = await ws(base, '/orderresult/orderresult.cfm', { Billnumber: bill.billnumber });
    const order = r.order?.[0];
    expect(order).toMatchObject({
      billnumber: bill.billnumber,
      orderstate: 'PartialCanceled',
      testmode: '1',
    });
    expect(order?.operation?.map((o) => [o.billnumber, o.operationtype, o.operationstate, o.amount])).toEqual(
      [
        [`${bill.billnumber}.1`, '100', 'Success', '1500.00'],
        [`${bill.billnumber}.2`, '200', 'Success', '1000.00'],
        [`${bill.billnumber}.3`, '300', 'Success', '300.00'],
      ],
    );
    expect(order?.operation?.[0]?.meannumber).toBe('411111****1111');
    expect(codes(await ws(base, '/orderresult/orderresult.cfm', {}))).toBe('3/107');
    expect(codes(await ws(base, '/orderresult/orderresult.cfm', { Billnumber: '42' }))).toBe('10/201');
  });

  it('resultbydate reports operations in CSV and XML, by operation date, with filters', async () => {
    const bill = await paidBill(base, { Delay: '1' });
    await ws(base, '/charge/charge.cfm', { Billnumber: bill.billnumber });
    const csvRes = await postForm(`${base}/resultbydate/resultbydate.cfm`, {
      ...CREDENTIALS,
      Format: '1',
      DateTimeMode: '2',
    });
    const csv = await csvRes.text();
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toContain('ordernumber;billnumber;testmode;orderdate');
    expect(header).toContain(';checkvalue;operationtype;operationstate;amount;');
    expect(
      rows.some((r) => r.includes(`;${bill.billnumber}.2;`) && r.includes(';200;Success;1500.00;')),
    ).toBe(true);

    const charges = await ws(base, '/resultbydate/resultbydate.cfm', {
      DateTimeMode: '1',
      Operationtype: 'C',
    });
    expect(charges.order).toBeUndefined();
    const ours = charges.payment?.filter((p) => p.billnumber?.startsWith(`${bill.billnumber}.`));
    expect(ours?.map((p) => [p.billnumber, p.operationtype, p.ordernumber, p.orderstate])).toEqual([
      [`${bill.billnumber}.2`, '200', bill.orderNumber, 'Approved'],
    ]);
    expect(charges.count).toBe(String(charges.payment?.length ?? 0));
    const declinedOnly = await ws(base, '/resultbydate/resultbydate.cfm', { Operationstate: 'F' });
    expect(declinedOnly.payment?.find((p) => p.billnumber?.startsWith(bill.billnumber))).toBeUndefined();
  });

  it('resultbydate answers a window of a day or more (End minute included) for the last 3 hours instead', async () => {
    const bill = await paidBill(base);
    const paidAt = new Date(Number(bill.billnumber.slice(0, 13)));
    const at = (d: Date, prefix: 'Start' | 'End') => ({
      [`${prefix}Year`]: String(d.getUTCFullYear()),
      [`${prefix}Month`]: String(d.getUTCMonth() + 1),
      [`${prefix}Day`]: String(d.getUTCDate()),
      [`${prefix}Hour`]: String(d.getUTCHours()),
      [`${prefix}Min`]: String(d.getUTCMinutes()),
    });
    const sees = (r: Awaited<ReturnType<typeof ws>>) =>
      (r.payment ?? []).some((p) => p.billnumber?.startsWith(`${bill.billnumber}.`));
    // A window 30 hours back that ends before the payment: answered as "the last 3 hours", which hold it.
    const old = new Date(paidAt.getTime() - 30 * 3_600_000);
    const dayAndMinute = { ...at(old, 'Start'), ...at(new Date(old.getTime() + 86_400_000), 'End') };
    expect(codes(await ws(base, '/resultbydate/resultbydate.cfm', dayAndMinute))).toBe('0/0');
    expect(sees(await ws(base, '/resultbydate/resultbydate.cfm', dayAndMinute))).toBe(true);
    // One minute shorter fits a day: the window is honoured, and it does not hold the payment.
    const underADay = { ...at(old, 'Start'), ...at(new Date(old.getTime() + 86_400_000 - 60_000), 'End') };
    expect(sees(await ws(base, '/resultbydate/resultbydate.cfm', underADay))).toBe(false);
    // An invalid window falls back the same way, with no error.
    const invalid = { ...underADay, StartMonth: '13' };
    expect(sees(await ws(base, '/resultbydate/resultbydate.cfm', invalid))).toBe(true);
    expect(codes(await ws(base, '/resultbydate/resultbydate.cfm', { DateTimeMode: '3' }))).toBe('4/0');
    const res = await postForm(`${base}/resultbydate/resultbydate.cfm`, {
      ...CREDENTIALS,
      Format: '1',
      DateTimeMode: '3',
    });
    expect(await res.text()).toBe('error;4;0;\n');
  });

  it('serves each documented report shape on /__reply-shape, and re-reads by billnumber look back 3 days', async () => {
    const bill = await paidBill(base);
    const shape = (report: string) =>
      fetch(`${base}/__reply-shape`, {
        method: 'POST',
        body: JSON.stringify({ report }),
        headers: { 'Content-Type': 'application/json' },
      });
    const report = () => ws(base, '/resultbydate/resultbydate.cfm', { DateTimeMode: '2' });
    try {
      expect((await shape('order')).status).toBe(200);
      const asOrders = await report();
      expect(asOrders.payment).toBeUndefined();
      expect(
        asOrders.order?.find((o) => o.billnumber === bill.billnumber)?.operation?.[0]?.operationtype,
      ).toBe('100');
      await shape('orders');
      expect((await report()).orders?.order.some((o) => o.billnumber === bill.billnumber)).toBe(true);
      await shape('csv');
      const csv = await (
        await postForm(`${base}/resultbydate/resultbydate.cfm`, { ...CREDENTIALS, Format: '3' })
      ).text();
      expect(csv.split('\n')[0]).toContain('ordernumber;billnumber;');
      expect((await shape('table')).status).toBe(400);
    } finally {
      await shape('payment');
    }
    expect(await (await fetch(`${base}/__reply-shape`)).json()).toEqual({ report: 'payment' });

    // Four days later, a re-read by billnumber without Start* looks back 3 days and finds nothing; one
    // whose window covers the bill's creation finds it.
    const created = new Date(Number(bill.billnumber.slice(0, 13)) - 60_000);
    clockOffsetMs = 4 * 86_400_000;
    try {
      const byBill = { Billnumber: bill.billnumber };
      expect(codes(await ws(base, '/orderresult/orderresult.cfm', byBill))).toBe('10/201');
      expect(codes(await ws(base, '/orderstate/orderstate.cfm', { Ordernumber: bill.orderNumber }))).toBe(
        '10/201',
      );
      const since = {
        StartYear: String(created.getUTCFullYear()),
        StartMonth: String(created.getUTCMonth() + 1),
        StartDay: String(created.getUTCDate()),
        StartHour: String(created.getUTCHours()),
        StartMin: String(created.getUTCMinutes()),
      };
      const found = await ws(base, '/orderresult/orderresult.cfm', { ...byBill, ...since });
      expect(found.order?.[0]?.billnumber).toBe(bill.billnumber);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('answers JSON with Format=5', async () => {
    const bill = await paidBill(base);
    const res = await postForm(`${base}/orderresult/orderresult.cfm`, {
      ...CREDENTIALS,
      Format: '5',
      Billnumber: bill.billnumber,
    });
    const body = (await res.json()) as {
      result: { firstcode: number; order: Array<{ orderstate: string }> };
    };
    expect(body.result.firstcode).toBe(0);
    expect(body.result.order[0]?.orderstate).toBe('Approved');
  });

  it('only accepts POST for services', async () => {
    expect((await fetch(`${base}/orderstate/orderstate.cfm`)).status).toBe(405);
  });
});

describe('timeout', () => {
  it('turns an abandoned bill into Timeout dated when its time ran out, visible in reports', async () => {
    const bill = await openBill(base, orderForm());
    const created = new Date(Number(bill.billnumber.slice(0, 13)));
    clockOffsetMs = 1_201_000;
    try {
      const r = await ws(base, '/orderstate/orderstate.cfm', { Ordernumber: bill.orderNumber });
      const order = r.order?.[0];
      expect(order?.orderstate).toBe('Timeout');
      const expiry = new Date(created.getTime() + 1_200_000);
      const [d, m, rest] = (order?.packetdate ?? '').split('.');
      const [y, time] = (rest ?? '').split(' ');
      const packet = new Date(`${y}-${m}-${d}T${time}Z`);
      expect(Math.abs(packet.getTime() - expiry.getTime())).toBeLessThan(2_000);
      const report = await ws(base, '/resultbydate/resultbydate.cfm', {
        DateTimeMode: '2',
        Operationstate: 'T',
      });
      expect(report.payment?.some((p) => p.billnumber?.startsWith(`${bill.billnumber}.`))).toBe(true);
      const late = await submitCard(base, bill.billnumber);
      expect(late.status).toBe(409);
    } finally {
      clockOffsetMs = 0;
    }
  });
});

describe('fault injection', () => {
  const arm = (spec: object) =>
    fetch(`${base}/__faults`, {
      method: 'POST',
      body: JSON.stringify(spec),
      headers: { 'Content-Type': 'application/json' },
    });

  it('answers HTTP 500 for the next N calls, then normally', async () => {
    expect((await arm({ service: 'orderstate', mode: '500', count: 2 })).status).toBe(201);
    const call = () =>
      postForm(`${base}/orderstate/orderstate.cfm`, { ...CREDENTIALS, Format: '3', Ordernumber: 'x' });
    expect((await call()).status).toBe(500);
    expect((await call()).status).toBe(500);
    expect((await call()).status).toBe(200);
  });

  it('returns malformed XML and "request frequency exceeded"', async () => {
    await server.gateway.armFault({ service: 'orderresult', mode: 'malformed' });
    await server.gateway.armFault({ service: 'charge', mode: 'frequency' });
    const bad = await postForm(`${base}/orderresult/orderresult.cfm`, {
      ...CREDENTIALS,
      Format: '3',
      Billnumber: '1',
    });
    expect(await bad.text()).toMatch(/<ordernumber>$/);
    expect(codes(await ws(base, '/charge/charge.cfm', { Billnumber: '1' }))).toBe('17/3');
  });

  it('hangs past the client timeout and then drops the connection', async () => {
    await server.gateway.armFault({ service: 'resultbydate', mode: 'hang', count: 2, delayMs: 400 });
    const call = (signal?: AbortSignal) =>
      fetch(`${base}/resultbydate/resultbydate.cfm`, {
        method: 'POST',
        body: new URLSearchParams(CREDENTIALS),
        signal,
      });
    await expect(call(AbortSignal.timeout(100))).rejects.toThrow(/timeout|aborted/i);
    const started = Date.now();
    await expect(call()).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect((await call()).status).toBe(200);
  });

  it('delays a service answer', async () => {
    await server.gateway.armFault({ service: 'cancel', mode: 'delay', delayMs: 200 });
    const started = Date.now();
    expect(codes(await ws(base, '/cancel/wscancel.cfm', { Billnumber: '1' }))).toBe('10/143');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('validates fault requests, lists and clears them', async () => {
    expect((await arm({ service: 'notify', mode: '500' })).status).toBe(400);
    expect((await arm({ service: 'nope', mode: '500' })).status).toBe(400);
    await arm({ service: 'charge', mode: '500', count: 3 });
    const listed = (await (await fetch(`${base}/__faults`)).json()) as {
      faults: Array<{ remaining: number }>;
    };
    expect(listed.faults).toMatchObject([{ remaining: 3 }]);
    expect((await fetch(`${base}/__faults`, { method: 'DELETE' })).status).toBe(204);
    expect(await server.gateway.listFaults()).toEqual([]);
  });

  it('drops a notification', async () => {
    await server.gateway.armFault({ service: 'notify', mode: 'drop' });
    const bill = await paidBill(base);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.find((f) => f.billnumber === bill.billnumber)).toBeUndefined();
    const d = (await server.gateway.listDeliveries()).find((e) => e.billnumber === bill.billnumber);
    expect(d).toMatchObject({ status: 'dropped', attempts: [{ outcome: 'dropped' }] });
  });

  it('lists all bills on the introspection endpoint', async () => {
    const bill = await paidBill(base);
    const body = (await (await fetch(`${base}/__bills`)).json()) as {
      bills: Array<{ billnumber: string; state: string }>;
    };
    expect(body.bills.find((b) => b.billnumber === bill.billnumber)?.state).toBe('Approved');
  });

  it('hides the control endpoints when fault injection is off', async () => {
    const gateway = { ...server.gateway, config: { ...server.gateway.config, faultsEnabled: false } };
    for (const path of ['/__faults', '/__bills', '/__deliveries']) {
      const res = await handleSandboxRequest(new Request(`http://sandbox${path}`), { gateway });
      expect(res.status).toBe(404);
    }
  });

  it('mounts under a prefix', async () => {
    const res = await handleSandboxRequest(
      new Request(`http://shop/sandbox/assist/orderstate/orderstate.cfm`, {
        method: 'POST',
        body: new URLSearchParams({ ...CREDENTIALS, Ordernumber: 'none' }),
      }),
      { gateway: server.gateway, prefix: '/sandbox/assist' },
    );
    expect(await res.text()).toContain('firstcode="10" secondcode="201"');
  });
});

describe('card data', () => {
  it('never stores a full card number', async () => {
    const bill = await paidBill(base, {}, { card_number: APPROVE.card_number });
    const rows = await server.gateway.db.$client.query<{ dump: string }>(
      `select (select json_agg(b)::text from sandbox_bills b) || (select json_agg(o)::text from sandbox_operations o) || (select json_agg(d)::text from sandbox_deliveries d) as dump`,
    );
    const dump = rows.rows[0]?.dump ?? '';
    expect(dump).toContain(bill.billnumber);
    expect(dump).not.toMatch(/4111\s?1111\s?1111\s?1111/);
  });
});
