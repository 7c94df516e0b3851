import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import postgres from 'postgres';
import { checkvalue, formCheckvalueInput } from '../../lib/assist/checkvalue';
import { DEMO_MERCHANT } from '../../lib/sandbox/demo-merchant';
import { APPROVING_CARD, addToCart, fillCheckout, payInSandbox } from '../shop';
import {
  ADMIN,
  CRON_SECRET,
  databaseUrl,
  GATEWAY_URL,
  ORDERS_PER_CLIENT_PER_HOUR,
  REREADS_PER_MINUTE,
  SHOP_URL,
} from './deployment';

/*
 * Issue #14's hostile requests, and more of the same families, against the production build on
 * PostgreSQL. Every request asserts its status, that nothing was stored, and that nothing changed for the
 * victim: a customer whose order was paid through the gateway before the attacks start.
 */
test.describe.configure({ mode: 'serial' });

const sql = postgres(databaseUrl(), { max: 2, onnotice: () => {} });
const MERCHANT = DEMO_MERCHANT.merchantId;
const SECRET = DEMO_MERCHANT.secret;

type Victim = { orderId: number; orderNumber: string; publicId: string; billNumber: string; amount: string };
let victim: Victim;
/** An unpaid order whose /pay page a visitor can read: the source of a form checkvalue. */
let unpaid: { orderNumber: string; publicId: string; amount: string; checkvalue: string };

test.afterAll(async () => {
  await sql.end({ timeout: 5 });
});

/** Everything an attack could have stored or changed, and the victim's own rows. */
async function fingerprint() {
  const [counts] = await sql`
    select (select count(*) from orders)::int as orders,
           (select count(*) from assist_bills)::int as bills,
           (select count(*) from assist_bill_changes)::int as changes,
           (select count(*) from assist_operations)::int as operations,
           (select count(*) from staff_sessions)::int as sessions`;
  const order = await sql`
    select payment_status, payment_flags, total_kopecks::int, currency from orders where id = ${victim.orderId}`;
  const bills = await sql`
    select bill_number, order_number, order_id::int, status, amount_kopecks::int, currency, test_mode,
           charged_kopecks::int, packet_date, flags
    from assist_bills where order_number = ${victim.orderNumber} order by bill_number`;
  return JSON.stringify({ counts, order, bills });
}

async function expectNothingChanged(before: string, what: string) {
  expect(await fingerprint(), `${what} stored or changed something`).toBe(before);
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

async function notify(
  request: APIRequestContext,
  body: string,
  contentType = 'application/x-www-form-urlencoded',
) {
  const reply = await request.post('/api/assist/notify', {
    headers: { 'Content-Type': contentType },
    data: body,
  });
  return { status: reply.status(), body: await reply.text() };
}

/** A notification signed with the merchant's secret as ASSIST signs one. */
function signed(fields: Record<string, string>): Record<string, string> {
  const x = `${fields.merchant_id ?? ''}${fields.ordernumber ?? ''}${fields.amount ?? ''}${fields.currency ?? ''}${fields.orderstate ?? ''}`;
  return { ...fields, checkvalue: checkvalue(SECRET, x) };
}

function assistDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function victimFields(extra: Record<string, string> = {}): Record<string, string> {
  return {
    merchant_id: MERCHANT,
    ordernumber: victim.orderNumber,
    billnumber: victim.billNumber,
    amount: victim.amount,
    currency: 'RUB',
    orderamount: victim.amount,
    ordercurrency: 'RUB',
    orderstate: 'Approved',
    testmode: '1',
    packetdate: assistDate(new Date()),
    ...extra,
  };
}

const accepted = (body: string) => body.includes('firstcode="0"');

async function freshPage(browser: Browser, headers: Record<string, string> = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: SHOP_URL, extraHTTPHeaders: headers });
  return context.newPage();
}

async function signInAs(page: Page, next = '/admin') {
  await page.goto(`/admin/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Электронная почта').fill(ADMIN.email);
  await page.getByLabel('Пароль').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Войти' }).click();
}

async function gatewayCalls(): Promise<number> {
  const res = await fetch(`${GATEWAY_URL}/__faults`);
  const { faults } = (await res.json()) as { faults: Array<{ service: string; remaining: number }> };
  return faults
    .filter((f) => f.service === 'orderresult' || f.service === 'orderstate')
    .reduce((a, f) => a + (1000 - f.remaining), 0);
}

test('setup: a victim pays through the gateway; another order waits on its /pay page', async ({
  browser,
  request,
}) => {
  const page = await freshPage(browser);
  await addToCart(page, 'samovar');
  await fillCheckout(page);
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  await expect(page).toHaveURL(`${GATEWAY_URL}/pay/order.cfm`);
  await payInSandbox(page, APPROVING_CARD);
  await expect(page).toHaveURL(new RegExp(`^${SHOP_URL}/orders/.*billnumber=\\d+`));
  const billNumber = new URL(page.url()).searchParams.get('billnumber') ?? '';
  await page.context().close();
  await expect(async () => {
    const [row] = await sql`
      select o.id::int, o.order_number, o.public_id, o.total_kopecks::int as total, o.payment_status
      from assist_bills b join orders o on o.id = b.order_id where b.bill_number = ${billNumber}`;
    expect(row?.payment_status).toBe('paid');
    victim = {
      orderId: row?.id,
      orderNumber: row?.order_number,
      publicId: row?.public_id,
      billNumber,
      amount: (Number(row?.total) / 100).toFixed(2),
    };
  }).toPass({ timeout: 30_000 });

  // The shop's record made complete by one sync (the payment operation comes with the report), so that
  // later gateway re-reads the attacks cause have nothing genuine left to add.
  const sync = await request.get('/api/cron/assist-sync', {
    headers: { Authorization: `Bearer ${CRON_SECRET}` },
  });
  expect(sync.status(), await sync.text()).toBe(200);

  const [order] = await sql`
    insert into orders (public_id, order_number, subtotal_kopecks, total_kopecks, last_name, first_name, email, expires_at)
    values (${'unpaidVisitorOrder0001'}, nextval('order_number_seq')::text, 320000, 320000, 'Петров', 'Пётр',
            'petr@example.ru', now() + interval '1 day')
    returning order_number, public_id`;
  const pay = await request.get(`/pay/${order?.public_id}`);
  expect(pay.status()).toBe(200);
  const html = (await pay.body()).toString('latin1');
  const cv = /name="Checkvalue" value="([0-9A-F]{32})"/.exec(html)?.[1];
  expect(cv, 'the /pay page carries the form checkvalue').toBeTruthy();
  unpaid = {
    orderNumber: order?.order_number,
    publicId: order?.public_id,
    amount: '3200.00',
    checkvalue: cv ?? '',
  };
  expect(cv).toBe(
    checkvalue(
      SECRET,
      formCheckvalueInput({
        merchantId: MERCHANT,
        orderNumber: unpaid.orderNumber,
        orderAmount: '3200.00',
        orderCurrency: 'RUB',
      }),
    ),
  );
});

test("#14.1 the pay page's checkvalue cannot sign a notification, with or without unsigned fields riding along", async ({
  request,
}) => {
  const before = await fingerprint();
  const split = {
    merchant_id: MERCHANT,
    ordernumber: `;${unpaid.orderNumber};${unpaid.amount};`,
    amount: '',
    currency: '',
    orderstate: 'RUB',
    checkvalue: unpaid.checkvalue,
  };
  const attempts = [
    { ...split, billnumber: '5000000000000001', packetdate: '01.01.2030 00:00' },
    // The review's version: the victim's bill, a far-future packetdate and unsigned money fields.
    {
      ...split,
      billnumber: victim.billNumber,
      orderamount: '1.00',
      ordercurrency: 'USD',
      testmode: '1',
      packetdate: '31.12.9999 23:59:59',
    },
    // Pre-creating a bill number so the genuine notification would be ignored later.
    {
      ...split,
      billnumber: '5000000000000002',
      orderamount: '3200.00',
      ordercurrency: 'RUB',
      packetdate: '31.12.9999 23:59:59',
    },
  ];
  for (const fields of attempts) {
    const reply = await notify(request, form(fields));
    expect(reply.status).toBe(200);
    expect(accepted(reply.body), reply.body).toBe(false);
    await expectNothingChanged(before, `split ${fields.billnumber}`);
  }
});

test('#14.1 every signed field must have its documented form, even correctly signed', async ({ request }) => {
  const before = await fingerprint();
  const malformed: Array<Record<string, string>> = [
    { ordernumber: `${victim.orderNumber}x` },
    { ordernumber: 'SHOP-1' },
    { ordernumber: `0${victim.orderNumber}` },
    { amount: victim.amount.replace('.', ''), orderamount: '' },
    { amount: `${victim.amount}0` },
    { amount: '-1.00' },
    { currency: 'rub' },
    { currency: 'RUBX' },
    { orderstate: 'RUB' },
    { orderstate: 'Paid' },
    { ordercurrency: '643' },
    { orderamount: '1e3' },
  ];
  for (const extra of malformed) {
    const reply = await notify(request, form(signed(victimFields({ orderstate: 'Declined', ...extra }))));
    expect(reply.status, JSON.stringify(extra)).toBe(200);
    expect(accepted(reply.body), JSON.stringify(extra)).toBe(false);
    await expectNothingChanged(before, JSON.stringify(extra));
  }
});

test('#14.1 unsigned fields never move money on their own: the gateway is asked first, or the packet refused', async ({
  request,
}) => {
  const before = await fingerprint();
  // Signed away from paid, with unsigned amount, currency, test flag: re-read, and the gateway says paid.
  const away = await notify(
    request,
    form(
      signed(
        victimFields({ orderstate: 'Canceled', orderamount: '1.00', ordercurrency: 'USD', testmode: '0' }),
      ),
    ),
  );
  expect(away.status).toBe(200);
  await expectNothingChanged(before, 'a signed move away from paid');

  // A packetdate more than a day ahead is refused, whatever the rest says.
  const future = await notify(request, form(signed(victimFields({ packetdate: '31.12.9999 23:59:59' }))));
  expect(future.status).toBe(200);
  expect(accepted(future.body)).toBe(false);
  await expectNothingChanged(before, 'a far-future packetdate');

  // A new bill for an order that is not the shop's, or a second payment of the paid victim, is re-read:
  // the gateway knows neither bill, so nothing is stored and the gateway is asked to try again later.
  const newBills: Array<Record<string, string>> = [
    { ordernumber: '987654321', billnumber: '5000000000000003' },
    { billnumber: '5000000000000004' },
  ];
  for (const extra of newBills) {
    const reply = await notify(request, form(signed(victimFields(extra))));
    expect(reply.status, JSON.stringify(extra)).toBe(503);
    await expectNothingChanged(before, JSON.stringify(extra));
  }
});

test('Keep: forged, wrong-merchant, duplicated, case-varied, oversized and oddly encoded notifications', async ({
  request,
}) => {
  const before = await fingerprint();
  const [stored] = await sql`select packet_date from assist_bills where bill_number = ${victim.billNumber}`;
  // The genuine packet's own date: a faithful copy of it is the gateway's news, nothing new.
  const genuine = signed(victimFields({ packetdate: assistDate(new Date(stored?.packet_date)) }));
  const declined = signed(victimFields({ orderstate: 'Declined' }));
  // `rejected`: answered with non-zero codes. The others may be answered success once the gateway's own
  // view was re-read and stored, which must change nothing here either.
  const cases: Array<{ body: string; type?: string; status: number; rejected: boolean }> = [
    { body: form({ ...declined, checkvalue: '0'.repeat(32) }), status: 200, rejected: true },
    { body: form({ ...victimFields({ orderstate: 'Declined' }) }), status: 200, rejected: true },
    {
      body: form(signed(victimFields({ merchant_id: '1', orderstate: 'Declined' }))),
      status: 200,
      rejected: true,
    },
    // A second copy of a signed field cannot override the first.
    { body: `${form(genuine)}&orderstate=Declined&ORDERSTATE=Canceled`, status: 200, rejected: false },
    {
      body: form(Object.fromEntries(Object.entries(declined).map(([k, v]) => [k.toUpperCase(), v]))).replace(
        'CHECKVALUE=',
        'CheckValue=x',
      ),
      status: 200,
      rejected: true,
    },
    { body: 'a=1'.padEnd(40_000, 'x'), status: 413, rejected: false },
    {
      body: form(declined),
      type: 'application/x-www-form-urlencoded; charset=x-evil',
      status: 200,
      rejected: false,
    },
    { body: '%zz=%%&&==', status: 200, rejected: true },
  ];
  for (const c of cases) {
    const reply = await notify(request, c.body, c.type);
    expect(reply.status, c.body.slice(0, 80)).toBe(c.status);
    if (c.rejected) expect(accepted(reply.body), c.body.slice(0, 80)).toBe(false);
    await expectNothingChanged(before, c.body.slice(0, 80));
  }
});

test('#14.4 notification re-reads are coalesced and metered: a flood spends at most the budget', async ({
  request,
}) => {
  for (const service of ['orderresult', 'orderstate']) {
    const armed = await fetch(`${GATEWAY_URL}/__faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ service, mode: 'delay', delayMs: 1, count: 1000 }),
    });
    expect(armed.status).toBe(201);
  }
  const before = await fingerprint();
  // Signature-only (PGP) notifications are hints: each would cost a gateway read without the meter.
  const hint = (bill: string) =>
    form({
      ...victimFields({ billnumber: bill }),
      checkvalue: '',
      signature: 'LS0tLS1CRUdJTiBQR1AgU0lHTkFUVVJFLS0tLS0=',
    });
  const bodies = [
    ...Array.from({ length: 30 }, () => hint(victim.billNumber)),
    ...Array.from({ length: 30 }, (_, i) => hint(String(6_000_000_000_000_000 + i))),
  ];
  const replies = [];
  for (let i = 0; i < bodies.length; i += 10) {
    replies.push(...(await Promise.all(bodies.slice(i, i + 10).map((b) => notify(request, b)))));
  }
  for (const r of replies) expect([200, 503]).toContain(r.status);
  const calls = await gatewayCalls();
  expect(calls, 'gateway reads caused by 60 notifications').toBeLessThanOrEqual(REREADS_PER_MINUTE);
  expect(calls).toBeGreaterThanOrEqual(1);
  await expectNothingChanged(before, 'a flood of hints');
  await fetch(`${GATEWAY_URL}/__faults`, { method: 'DELETE' });
});

async function loginFormFields(request: APIRequestContext): Promise<Record<string, string>> {
  const html = await (await request.get('/admin/login')).text();
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(m[0])?.[1];
    const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
    if (name) fields[name] = value.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  return fields;
}

test('#14.2 sign-in: 30 concurrent wrong passwords get 5 checks; forged addresses change nothing; the owner gets in after a short wait', async ({
  browser,
  request,
}) => {
  const hidden = await loginFormFields(request);
  expect(Object.keys(hidden).length, 'the no-JS login form carries its action').toBeGreaterThan(0);
  const failedChecks = async () =>
    (
      await sql`select count(*)::int as n from audit_log where action = 'staff.sign_in_failed' and details->>'email' = ${ADMIN.email}`
    )[0]?.n as number;
  const before = await failedChecks();
  const sessions = (await sql`select count(*)::int as n from staff_sessions`)[0]?.n;
  const sent = Date.now();
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      request.post('/admin/login', {
        headers: { 'X-Forwarded-For': `198.51.100.${i}`, Origin: SHOP_URL },
        multipart: { ...hidden, email: ADMIN.email, password: `wrong-${i}`, next: '/admin' },
      }),
    ),
  );
  // Five free checks; after that one per delay (5 s, then longer) for as long as the burst lasted.
  const delays = Math.floor((Date.now() - sent) / 5000);
  const checks = (await failedChecks()) - before;
  expect(checks).toBeGreaterThanOrEqual(5);
  expect(checks).toBeLessThanOrEqual(5 + delays);
  expect((await sql`select count(*)::int as n from staff_sessions`)[0]?.n).toBe(sessions);

  // The owner: refused for a few seconds at most, then in. Never locked out.
  const started = Date.now();
  const page = await freshPage(browser, { 'X-Forwarded-For': '203.0.113.1' });
  await expect(async () => {
    await signInAs(page);
    await expect(page.getByTestId('admin-who')).toContainText(ADMIN.email, { timeout: 2000 });
  }).toPass({ timeout: 30_000, intervals: [1000] });
  expect(Date.now() - started).toBeLessThan(25_000);
  await page.context().close();
});

test('#14.3 next is normalised against the shop origin: no open redirect, no header injection', async ({
  request,
  browser,
}) => {
  const hostile = [
    '/%5Cevil.example',
    '/%09/evil.example',
    '//evil.example',
    '/%2F/evil.example',
    'https://evil.example/',
    'http:evil.example',
    '/%0D%0ASet-Cookie:%20x=1',
    '/%E2%80%A8evil',
    '/%0a/evil.example',
    '%2F%5Cevil.example',
    'javascript:alert(1)',
  ];
  for (const next of hostile) {
    const reply = await request.get(`/lang/en?next=${next}`, { maxRedirects: 0 });
    expect(reply.status(), next).toBe(303);
    expect(reply.headers().location, next).toBe('/');
    expect(reply.headers()['set-cookie'] ?? '', next).not.toContain('x=1');
  }
  const ok = await request.get('/lang/ru?next=/cart%3Fa%3D1', { maxRedirects: 0 });
  expect(ok.headers().location).toBe('/cart?a=1');
  const chained = await request.get(
    `/admin/login?next=${encodeURIComponent('/admin/../lang/en?next=/%5Cevil.example')}`,
  );
  expect(chained.status()).toBe(200);
  expect(await chained.text()).toContain('<input type="hidden" name="next" value="/admin"/>');

  // After a real sign-in the chained next stays inside /admin.
  const page = await freshPage(browser);
  await signInAs(page, '/admin/../lang/en?next=/%5Cevil.example');
  await expect(page.getByTestId('admin-who')).toContainText(ADMIN.email);
  expect(new URL(page.url()).origin).toBe(SHOP_URL);
  expect(new URL(page.url()).pathname).toBe('/admin');
  await page.context().close();
});

test('#14.4 hostile parameters never make a 500', async ({ request, browser }) => {
  for (const error of [
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
    '<script>alert(1)</script>',
  ]) {
    const reply = await request.get(`/cart?error=${encodeURIComponent(error)}`);
    expect(reply.status(), error).toBe(200);
    expect(await reply.text()).not.toContain('<script>alert(1)');
  }
  for (const url of [
    '/pay/%00',
    '/pay/..%2F..%2Fetc',
    '/orders/x/return?result=%E2%80%A8',
    '/products/%ff',
    '/products/%C3%28',
    '/pay/%ff',
    '/orders/%ff/return',
    '/lang/xx',
    '/lang/%ff',
  ]) {
    const reply = await request.get(url, { maxRedirects: 0 });
    expect(reply.status(), url).toBeLessThan(500);
  }
  const page = await freshPage(browser);
  await signInAs(page);
  await expect(page.getByTestId('admin-who')).toContainText(ADMIN.email);
  for (const url of [
    '/admin/bills?from=2026-13-45',
    '/admin/bills?to=2026-02-30&from=0000-00-00',
    '/admin/bills?status=constructor&cursor=%%%',
    '/admin/bills?q=%00%27--',
    '/admin/audit?action=__proto__&page=-1',
    '/admin/bills/export?from=9999-99-99',
    '/admin/bills/%27',
    '/admin/orders/constructor',
  ]) {
    const reply = await page.request.get(url, { maxRedirects: 0 });
    expect(reply.status(), url).toBeLessThan(500);
  }
  await page.context().close();
});

test('#14.4 /pay: Referrer-Policy no-referrer wins; mode 1 sends order data only', async ({ request }) => {
  const reply = await request.get(`/pay/${unpaid.publicId}`);
  expect(reply.status()).toBe(200);
  expect(reply.headers()['referrer-policy']).toBe('no-referrer');
  const html = (await reply.body()).toString('latin1');
  expect(html).toContain('name="OrderNumber"');
  for (const personal of ['Lastname', 'Firstname', 'Middlename', 'Email', 'MobilePhone']) {
    expect(html).not.toContain(`name="${personal}"`);
  }
  expect((await request.get('/')).headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
});

test('#14.4 placing orders is rate-limited per client', async ({ browser }) => {
  const before = (await sql`select count(*)::int as n from orders`)[0]?.n as number;
  const page = await freshPage(browser);
  for (let i = 0; i < ORDERS_PER_CLIENT_PER_HOUR; i++) {
    await addToCart(page, 'matryoshka');
    await fillCheckout(page);
    await page.getByRole('button', { name: 'Перейти к оплате' }).click();
    await expect(page).toHaveURL(`${GATEWAY_URL}/pay/order.cfm`);
  }
  await addToCart(page, 'matryoshka');
  await fillCheckout(page);
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  await expect(page.getByText('Слишком много заказов подряд')).toBeVisible();
  expect((await sql`select count(*)::int as n from orders`)[0]?.n).toBe(before + ORDERS_PER_CLIENT_PER_HOUR);
  await page.context().close();
});

test('#14.4 cron: header-only auth; a run cleans abandoned carts and long-expired unpaid orders', async ({
  request,
}) => {
  for (const headers of [
    {} as Record<string, string>,
    { Authorization: 'Bearer wrong-secret-wrong-secret' },
    { Authorization: CRON_SECRET },
  ]) {
    expect((await request.get('/api/cron/assist-sync', { headers })).status()).toBe(401);
  }
  expect((await request.get(`/api/cron/assist-sync?secret=${CRON_SECRET}`)).status()).toBe(401);
  await sql`insert into carts (id, created_at, updated_at) values ('abandoned-cart', now() - interval '60 days', now() - interval '60 days')`;
  await sql`
    insert into orders (public_id, order_number, subtotal_kopecks, total_kopecks, last_name, first_name, email, expires_at, created_at)
    values ('expiredScriptedOrder01', nextval('order_number_seq')::text, 100, 100, 'Т', 'Т', 't@example.ru',
            now() - interval '30 days', now() - interval '31 days')`;
  const before = await fingerprint();
  const run = await request.get('/api/cron/assist-sync', {
    headers: { Authorization: `Bearer ${CRON_SECRET}` },
  });
  expect(run.status(), await run.text()).toBe(200);
  expect((await sql`select count(*)::int as n from carts where id = 'abandoned-cart'`)[0]?.n).toBe(0);
  expect(
    (await sql`select count(*)::int as n from orders where public_id = 'expiredScriptedOrder01'`)[0]?.n,
  ).toBe(0);
  const after = JSON.parse(await fingerprint());
  const was = JSON.parse(before);
  expect(after.order).toEqual(was.order);
  expect(after.bills).toEqual(was.bills);
  expect(after.counts.orders).toBe(was.counts.orders - 1);
});

test('Keep: admin refused signed out, sandbox absent outside sandbox mode, unguessable ids', async ({
  request,
}) => {
  for (const url of ['/admin', '/admin/bills', '/admin/staff', '/admin/audit', '/admin/bills/export']) {
    const reply = await request.get(url, { maxRedirects: 0 });
    expect([303, 307, 308], url).toContain(reply.status());
    expect(reply.headers().location, url).toMatch(/^\/admin\/login/);
  }
  for (const url of [
    '/sandbox/assist/pay/order.cfm',
    '/sandbox/assist/__bills',
    '/sandbox/assist/orderstate/orderstate.cfm',
  ]) {
    expect((await request.get(url)).status(), url).toBe(404);
  }
  expect((await request.get(`/pay/${victim.orderNumber}`)).status()).toBe(404);
});

test('#14.4 start-up fails clearly when a data folder cannot be made', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'security-data-'));
  const file = path.join(dir, 'not-a-folder');
  writeFileSync(file, 'x');
  try {
    const child = spawn(
      process.execPath,
      ['node_modules/next/dist/bin/next', 'start', '--port', String(Number(new URL(SHOP_URL).port) + 2)],
      {
        env: {
          ...process.env,
          NODE_ENV: 'production',
          DATABASE_URL: '',
          ALLOW_EMBEDDED_DB: '1',
          ASSIST_MODE: 'sandbox',
          PGLITE_DIR: path.join(file, 'pglite'),
          NEXT_TELEMETRY_DISABLED: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        resolve(null);
      }, 60_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
      // next start runs instrumentation on the first request at the latest.
      setTimeout(
        () => fetch(`http://localhost:${Number(new URL(SHOP_URL).port) + 2}/`).catch(() => {}),
        3000,
      );
    });
    expect(output).toContain('PGLITE_DIR: cannot create the data folder');
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
