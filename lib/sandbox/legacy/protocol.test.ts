import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyCheckvalue } from '../../assist/checkvalue';
import { splitCsv } from '../../assist/csv';
import { decodeFormText, encodeForm } from '../../assist/form-body';
import type { BillRow, OperationRow } from '../bills';
import { DEMO_MERCHANT } from '../demo-merchant';
import { type SandboxServer, startSandboxServer } from '../standalone';
import { APPROVE, openBill, orderForm, postForm, submitCard } from '../test-helpers';
import { LEGACY_COLUMNS, legacyTransactions } from './protocol';

/** The legacy (2010) protocol of the sandbox, spoken plainly: cp1251 forms, CSV report, name:value replies. */
let server: SandboxServer;
let base: string;
let receiver: Server;
const received: Array<{ contentType: string; raw: string }> = [];

const CREDENTIALS = {
  Shop_ID: DEMO_MERCHANT.merchantId,
  Login: DEMO_MERCHANT.login,
  PASSWORD: DEMO_MERCHANT.password,
};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      received.push({ contentType: req.headers['content-type'] ?? '', raw });
      const f = decodeFormText(
        raw,
        /1251/.test(req.headers['content-type'] ?? '') ? 'windows-1251' : 'utf-8',
      );
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><pushpaymentresult firstcode="0" secondcode="0"><order><billnumber>${f.BillNumber ?? f.billnumber}</billnumber><packetdate>x</packetdate></order></pushpaymentresult>`,
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  server = await startSandboxServer({
    dataDir: 'memory',
    config: {
      notifyUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`,
      notifyIntervalMs: 50,
      faultsEnabled: true,
      // The `name:value` variant; the default bare `ERROR:` is checked below.
      legacyActionReply: 'items',
    },
  });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

/** Posts a legacy purchase form as a browser does from a windows-1251 page (no `_charset_`). */
async function purchase(fields: Record<string, string>, path = '/shops/purchase.cfm') {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: encodeForm(fields, 'windows-1251'),
  });
}

function legacyOrder(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    Shop_IDP: DEMO_MERCHANT.merchantId,
    Order_IDP: `L-${Math.random().toString(36).slice(2, 10)}`,
    Subtotal_P: '1500.00',
    Currency: 'RUB',
    Language: '0',
    Delay: '0',
    URL_RETURN_OK: 'https://shop.example/ok',
    URL_RETURN_NO: 'https://shop.example/no',
    Comment: 'Заказ №7: чай «Эрл Грей»',
    ...overrides,
  };
}

async function openLegacyBill(fields: Record<string, string>, path?: string) {
  const res = await purchase(fields, path);
  const html = await res.text();
  const billnumber = /name="billnumber" value="(\d+)"/.exec(html)?.[1];
  if (!billnumber) throw new Error(`${res.status} ${html.slice(0, 300)}`);
  return billnumber;
}

async function report() {
  const res = await postForm(`${base}/results/results.cfm`, { ...CREDENTIALS, Header1: '1' });
  const text = await res.text();
  const split = splitCsv(text);
  if (!split.ok) throw new Error(text);
  const [header = [], ...rows] = split.rows;
  return { text, header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

const call = async (path: string, fields: Record<string, string>) =>
  (
    await postForm(`${base}${path}`, { ...CREDENTIALS, Language: '0', Format: '1', S_FIELDS: '*', ...fields })
  ).text();

describe('sandbox: legacy forms', () => {
  it('decodes a windows-1251 purchase form and opens the same payment page', async () => {
    const fields = legacyOrder();
    const billnumber = await openLegacyBill(fields);
    const r = await report();
    const row = r.rows.find((x) => x['Payment No.'] === billnumber);
    expect(row).toMatchObject({
      'Order Number': fields.Order_IDP,
      Comment: 'Заказ №7: чай «Эрл Грей»',
      'Order State': 'in process',
      'Order Total': '1500.00',
      'Payment Type': '1',
    });
  });

  it('refuses what the legacy gateway would', async () => {
    expect((await purchase(legacyOrder({ Shop_IDP: '1' }))).status).toBe(400);
    expect((await purchase(legacyOrder({ Subtotal_P: '15' }))).status).toBe(400);
    expect((await purchase(legacyOrder({ Comment: 'я'.repeat(256) }))).status).toBe(400);
    expect((await purchase(legacyOrder({ Language: 'DE' }))).status).toBe(400);
    // cardpayment.cfm (mode 2) requires LastName, FirstName and Email.
    const m2 = await purchase(
      legacyOrder({ LastName: 'Иванов', FirstName: 'Иван' }),
      '/shops/cardpayment.cfm',
    );
    expect(m2.status).toBe(400);
    expect(
      (
        await purchase(
          legacyOrder({ LastName: 'Иванов', FirstName: 'Иван', Email: 'i@example.ru' }),
          '/shops/cardpayment.cfm',
        )
      ).status,
    ).toBe(200);
  });
});

describe('sandbox: legacy services', () => {
  it('checks Shop_ID, Login and PASSWORD first, answering ERROR lines', async () => {
    const missing = await (await postForm(`${base}/results/results.cfm`, { Login: 'x' })).text();
    expect(missing).toBe('ERROR:Shop_ID is required\n');
    const wrong = await (
      await postForm(`${base}/results/results.cfm`, { ...CREDENTIALS, PASSWORD: 'no' })
    ).text();
    expect(wrong).toBe('ERROR:wrong PASSWORD\n');
  });

  it('reports every legacy column; a payment, its postauth and its refund are rows of one Payment No.', async () => {
    const billnumber = await openLegacyBill(legacyOrder({ Delay: '1', Subtotal_P: '200.00' }));
    expect((await submitCard(base, billnumber)).status).toBe(303);
    const captured = await call('/postauths/postauth.cfm', {
      Billnumber: billnumber,
      Subtotal_P: '150.00',
      Currency: 'RUB',
    });
    expect(captured).toMatch(
      /^Billnumber:\d+;OrderNumber:L-\w+;Subtotal_P:150\.00;Currency:RUB;Status:Captured;PaymentType:3;/,
    );
    expect(captured.trimEnd().endsWith(';ERROR:')).toBe(true);
    expect(await call('/postauths/postauth.cfm', { Billnumber: billnumber })).toMatch(/^ERROR:.*\(11\/0\)/);
    const refunded = await call('/rvr/rvr.cfm', {
      Billnumber: billnumber,
      Subtotal_P: '50.00',
      Currency: 'RUB',
      RVRReason: '2',
    });
    expect(refunded).toContain('Status:Refunded;PaymentType:4');
    expect(await call('/rvr/rvr.cfm', { Billnumber: billnumber, RVRReason: '9' })).toBe(
      'ERROR:RVRReason must be 1, 2 or 3\n',
    );

    const r = await report();
    expect(r.header.filter((h) => h !== '')).toEqual([...LEGACY_COLUMNS]);
    const rows = r.rows.filter((x) => x['Payment No.'] === billnumber);
    expect(rows.map((x) => [x['Order State'], x['Payment Type'], x['Order Total']])).toEqual([
      ['Preauthorized', '2', '200.00'],
      ['Captured', '3', '150.00'],
      ['Refunded', '4', '50.00'],
    ]);
    expect(rows[0]?.['Card Number']).toBe('411111****1111');
    expect(rows[0]?.['IP-address']).toBe('UNKNOWN');
    expect(rows[0]?.['Paket date']).toMatch(/^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d$/);
  });

  it('postauth only from a hold; rvr on a hold is a void', async () => {
    const paid = await openLegacyBill(legacyOrder());
    await submitCard(base, paid);
    expect(await call('/postauths/postauth.cfm', { Billnumber: paid })).toMatch(/^ERROR:only a Delayed bill/);
    const held = await openLegacyBill(legacyOrder({ Delay: '1' }));
    await submitCard(base, held);
    expect(await call('/rvr/rvr.cfm', { Billnumber: held, RVRReason: '1' })).toContain(
      'Status:Voided;PaymentType:7',
    );
    expect(await call('/rvr/rvr.cfm', { Billnumber: held })).toMatch(/^ERROR:/);
  });

  it('shares the current services’ faults', async () => {
    await server.gateway.armFault({ service: 'resultbydate', mode: 'frequency' });
    expect(await (await postForm(`${base}/results/results.cfm`, CREDENTIALS)).text()).toBe(
      'ERROR:request frequency exceeded\n',
    );
    await server.gateway.armFault({ service: 'charge', mode: '500' });
    expect((await postForm(`${base}/postauths/postauth.cfm`, CREDENTIALS)).status).toBe(500);
  });
});

describe('sandbox: legacy notifications', () => {
  it('a bill from a legacy form is notified in the legacy shape, in windows-1251', async () => {
    const fields = legacyOrder({ Order_IDP: `Заказ-${Date.now()}` });
    const billnumber = await openLegacyBill(fields);
    await submitCard(base, billnumber, APPROVE);
    const until = Date.now() + 5000;
    while ((await server.gateway.pendingDeliveries()) > 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    const delivery = (await server.gateway.listDeliveries()).find((d) => d.billnumber === billnumber);
    expect(delivery?.status).toBe('delivered');
    const got = received.find((r) => decodeFormText(r.raw, 'windows-1251').BillNumber === billnumber);
    expect(got?.contentType).toBe('application/x-www-form-urlencoded; charset=windows-1251');
    const f = decodeFormText(got?.raw ?? '', 'windows-1251');
    expect(Object.keys(f)).toEqual([
      'Shop_IDP',
      'OrderNumber',
      'Response_Code',
      'Total',
      'Currency',
      'BillNumber',
      'Status',
      'PacketDate',
      'CheckValue',
    ]);
    expect(f).toMatchObject({
      OrderNumber: fields.Order_IDP,
      Status: 'Authorized',
      Total: '1500.00',
      Response_Code: 'AS000',
    });
    expect(f.CheckValue).toBe(
      legacyCheckvalue(DEMO_MERCHANT.secret, {
        shopIdp: DEMO_MERCHANT.merchantId,
        orderNumber: fields.Order_IDP ?? '',
        total: '1500.00',
        currency: 'RUB',
      }),
    );
    expect(delivery?.fields.OrderNumber).toBe(fields.Order_IDP);
  });

  it('a bill from the current form still gets the current notification', async () => {
    const bill = await openBill(base, orderForm());
    await submitCard(base, bill.billnumber);
    const until = Date.now() + 5000;
    while ((await server.gateway.pendingDeliveries()) > 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    const delivery = (await server.gateway.listDeliveries()).find((d) => d.billnumber === bill.billnumber);
    expect(delivery?.fields.merchant_id).toBe(DEMO_MERCHANT.merchantId);
    expect(delivery?.fields.Shop_IDP).toBeUndefined();
  });
});

describe('legacy transaction names', () => {
  const bill = { delay: true } as BillRow;
  const op = (seq: number, type: number, state = 'Success') => ({ seq, type, state }) as OperationRow;
  it('a cancel before any charge voids the hold; after a charge it refunds', () => {
    expect([...legacyTransactions(bill, [op(1, 100), op(2, 300)]).values()]).toEqual([
      { state: 'Preauthorized', paymentType: 2 },
      { state: 'Voided', paymentType: 7 },
    ]);
    expect(
      [...legacyTransactions(bill, [op(3, 300), op(1, 100), op(2, 200)]).values()].map((t) => t.state),
    ).toEqual(['Preauthorized', 'Captured', 'Refunded']);
    expect(legacyTransactions({ delay: false } as BillRow, [op(1, 100, 'Timeout')]).get(1)?.state).toBe(
      'Not authorized',
    );
  });
});
