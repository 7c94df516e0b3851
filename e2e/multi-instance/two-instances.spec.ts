import { type Browser, expect, type Page, test } from '@playwright/test';
import postgres from 'postgres';
import { APPROVING_CARD, addToCart, fillCheckout, payInSandbox } from '../shop';
import { signIn } from '../staff';
import { ADMIN_PASSWORD, ADMINS, CRON_SECRET, databaseUrl, SANDBOX_URL, SHOP_A, SHOP_B } from './cluster';

/*
 * Issue #8, beyond one machine: two shop processes on one PostgreSQL and one standalone gateway
 * (playwright.multi.config.ts). The single-process reliability suite proves the same rules with one
 * connection pool; here every guard has to hold between two servers with pools of their own. Each test
 * checks the outcome where it lives: the shop's tables (read directly) and the gateway's own records.
 */

const sql = postgres(databaseUrl(), { max: 2, onnotice: () => {} });
test.afterAll(async () => {
  await sql.end({ timeout: 5 });
});

type Fault = { id: number; remaining: number };
type GatewayBill = {
  billnumber: string;
  state: string;
  orderAmount: number;
  captured: number;
  operations: Array<{ type: number }>;
};
type Delivery = { billnumber: string; status: string; fields: Record<string, string> };

async function armFault(spec: {
  service: string;
  mode: string;
  count?: number;
  delayMs?: number;
}): Promise<Fault> {
  const res = await fetch(`${SANDBOX_URL}/__faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(spec),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { fault: Fault }).fault;
}

async function gatewayGet<T>(path: '/__faults' | '/__bills' | '/__deliveries'): Promise<T> {
  const res = await fetch(`${SANDBOX_URL}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function billRows(billNumber: string) {
  return sql<{ status: string; charged: number; orderStatus: string }[]>`
    select b.status, b.charged_kopecks::int as charged, o.payment_status as "orderStatus"
    from assist_bills b left join orders o on o.id = b.order_id
    where b.bill_number = ${billNumber}`;
}

/** A customer buys on instance A and pays at the gateway; the billnumber comes back in the return URL. */
async function buyAndPay(page: Page, slug: string): Promise<string> {
  await addToCart(page, slug);
  await fillCheckout(page);
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  await expect(page).toHaveURL(`${SANDBOX_URL}/pay/order.cfm`);
  await payInSandbox(page, APPROVING_CARD);
  await expect(page).toHaveURL(new RegExp(`^${SHOP_A}/orders/.*billnumber=\\d+`));
  const bill = new URL(page.url()).searchParams.get('billnumber');
  if (!bill) throw new Error(`no billnumber in ${page.url()}`);
  // The return page reloads itself every 5 s; left running, a reload in flight once held up closing the
  // test's browser context past the test's timeout (after every assertion had passed).
  await page.goto('about:blank');
  return bill;
}

/** A staff member signed in on one instance, looking at the confirmation of a full charge. */
async function chargeConfirmation(
  browser: Browser,
  shop: string,
  email: string,
  bill: string,
): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: shop })).newPage();
  await signIn(
    page,
    { email, password: ADMIN_PASSWORD },
    `/admin/bills/${bill}?step=confirm&kind=charge&scope=full`,
  );
  await expect(page.getByTestId('confirm-panel')).toContainText('Будет списана вся заблокированная сумма');
  return page;
}

test('20 concurrent cron calls across both instances run one sync', async () => {
  const [before] = await sql<{ n: number }[]>`select count(*)::int as n from assist_sync_runs`;
  // A slow report keeps the run holding its lease while the other calls arrive.
  await armFault({ service: 'resultbydate', mode: 'delay', delayMs: 1500 });
  const results = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const shop = i % 2 === 0 ? SHOP_A : SHOP_B;
      const res = await fetch(`${shop}/api/cron/assist-sync`, {
        headers: { Authorization: `Bearer ${CRON_SECRET}` },
      });
      return {
        shop,
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: (await res.json()) as { runId?: number },
      };
    }),
  );
  const summary = results.map((r) => `${r.shop} ${r.status}`).join(', ');
  const ran = results.filter((r) => r.status === 200);
  expect(ran, summary).toHaveLength(1);
  for (const r of results) {
    if (r.status === 200) continue;
    expect([409, 429], summary).toContain(r.status);
    if (r.status === 429) expect(Number(r.retryAfter)).toBeGreaterThan(0);
  }
  const runs = await sql<{ id: number; outcome: string }[]>`
    select id::int, outcome from assist_sync_runs order by id`;
  expect(runs).toHaveLength((before?.n ?? 0) + 1);
  expect(runs.at(-1)).toEqual({ id: ran[0]?.body.runId, outcome: 'ok' });
});

test('one notification delivered to both instances at once stores one bill and one history row', async ({
  page,
}) => {
  // The gateway's own delivery is dropped, so the copies posted here are the first the shop hears of it.
  await armFault({ service: 'notify', mode: 'drop' });
  const bill = await buyAndPay(page, 'matryoshka');
  const { deliveries } = await gatewayGet<{ deliveries: Delivery[] }>('/__deliveries');
  const delivery = deliveries.find((d) => d.billnumber === bill);
  expect(delivery?.status).toBe('dropped');
  expect(await billRows(bill)).toHaveLength(0);

  // The notification exactly as the gateway signed it, six times to each instance at once.
  const body = new URLSearchParams(delivery?.fields).toString();
  const replies = await Promise.all(
    Array.from({ length: 12 }, async (_, i) => {
      const res = await fetch(`${i % 2 === 0 ? SHOP_A : SHOP_B}/api/assist/notify`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body,
      });
      return { status: res.status, text: await res.text() };
    }),
  );
  for (const r of replies) {
    expect(r.status, r.text).toBe(200);
    expect(r.text).toContain('firstcode="0"');
  }
  const rows = await billRows(bill);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: 'paid', orderStatus: 'paid' });
  const changes = await sql<{ field: string; source: string }[]>`
    select field, source from assist_bill_changes where bill_number = ${bill}`;
  expect(changes).toEqual([{ field: 'created', source: 'notification' }]);
});

test('two admins, one on each instance, charge a held bill at once: one charge reaches the gateway', async ({
  page,
  browser,
}) => {
  const bill = await buyAndPay(page, 'shkatulka-palekh');
  // The gateway notifies A; the hold is then visible to both instances through the shared database.
  await expect.poll(async () => (await billRows(bill))[0]?.status, { timeout: 30_000 }).toBe('held');

  // Every charge request the gateway receives uses up one of these, so the uses left count the calls;
  // the delay keeps the first charge in flight while the other admin's request arrives.
  const counter = await armFault({ service: 'charge', mode: 'delay', delayMs: 1000, count: 100 });
  const admins = await Promise.all([
    chargeConfirmation(browser, SHOP_A, ADMINS[0], bill),
    chargeConfirmation(browser, SHOP_B, ADMINS[1], bill),
  ]);
  await Promise.all(
    admins.map((p) => p.getByTestId('confirm-panel').getByRole('button', { name: 'Подтвердить' }).click()),
  );
  const messages = await Promise.all(
    admins.map(async (p) => (await p.getByTestId('action-result').textContent()) ?? ''),
  );
  expect(
    messages.filter((m) => m === 'Готово: действие выполнено.'),
    messages.join(' | '),
  ).toHaveLength(1);
  // Refused while the first charge is in flight, or (a slower click) once the bill is no longer held.
  expect(messages.find((m) => m !== 'Готово: действие выполнено.')).toMatch(
    /^(По счёту уже выполняется другое действие|Списать нельзя: (списание уже было|сумма не заблокирована))/,
  );

  const { faults } = await gatewayGet<{ faults: Fault[] }>('/__faults');
  expect(100 - (faults.find((f) => f.id === counter.id)?.remaining ?? 0), 'charge calls').toBe(1);
  const { bills } = await gatewayGet<{ bills: GatewayBill[] }>('/__bills');
  const atGateway = bills.find((b) => b.billnumber === bill);
  expect(atGateway?.state).toBe('Approved');
  expect(atGateway?.captured).toBe(atGateway?.orderAmount);
  expect(atGateway?.operations.filter((o) => o.type === 200)).toHaveLength(1);

  const rows = await billRows(bill);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: 'paid', charged: atGateway?.orderAmount, orderStatus: 'paid' });
  const actions = await sql<{ state: string }[]>`
    select state from admin_actions where bill_number = ${bill}`;
  expect(actions).toEqual([{ state: 'succeeded' }]);
  const audit = await sql<{ action: string }[]>`
    select action from audit_log
    where subject_type = 'assist_bill' and subject_id = ${bill} order by id`;
  expect(audit).toEqual([{ action: 'bill.action_requested' }, { action: 'bill.action_finished' }]);
  await Promise.all(admins.map((p) => p.context().close()));
});
