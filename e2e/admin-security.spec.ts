import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type Browser, expect, type Page, test } from '@playwright/test';
import { sandboxBills } from './gateway';
import { payTwoStageOrder } from './shop';
import { ADMIN, signIn, VIEWER, waitForBillStatus } from './staff';

/*
 * Issue #8's admin checks against the production build: every admin page and server action refused
 * without a session and every admin-only action refused for the viewer role (decided on the server:
 * the posts below are forged, not clicks on hidden buttons), a cross-origin form post refused, the
 * session cookie's flags, and the sign-in rate limits. After each forged post the held bill must still
 * be held at the gateway itself: nothing was charged or cancelled.
 */
test.describe.configure({ mode: 'serial' });

type Action = { id: string; name: string };

/**
 * The server actions of the protected admin, from the build's own manifest: a new action added there
 * without being listed here fails the inventory test below until it is covered.
 */
function adminActions(): Action[] {
  const manifest = JSON.parse(
    readFileSync(path.join('.next', 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, { filename: string; exportedName: string }> };
  return Object.entries(manifest.node)
    .filter(([, a]) => a.filename.startsWith('app/admin/(protected)/'))
    .map(([id, a]) => ({ id, name: a.exportedName }));
}

function action(name: string): Action {
  const found = adminActions().find((a) => a.name === name);
  if (!found) throw new Error(`no server action ${name} in the build`);
  return found;
}

let bill = '';
let orderNumber = '';

async function freshPage(browser: Browser, extraHTTPHeaders?: Record<string, string>): Promise<Page> {
  const context = await browser.newContext({ extraHTTPHeaders });
  return context.newPage();
}

/** What the confirm form of a full charge posts (see the bill page), with a fresh idempotency key. */
function chargeFields(actionId: string): Record<string, string> {
  return {
    [`$ACTION_ID_${actionId}`]: '',
    billNumber: bill,
    kind: 'charge',
    scope: 'full',
    comment: '',
    idempotencyKey: crypto.randomUUID(),
    confirm: '1',
  };
}

/** A no-JavaScript form post of a server action, as a browser on `origin` would send it. */
async function postAction(
  request: APIRequestContext,
  pagePath: string,
  fields: Record<string, string>,
  origin: string,
) {
  return request.post(pagePath, { multipart: fields, headers: { Origin: origin }, maxRedirects: 0 });
}

async function expectStillHeld(request: APIRequestContext) {
  const [gatewayBill] = (await sandboxBills(request, orderNumber)).filter((b) => b.billnumber === bill);
  expect(gatewayBill?.state).toBe('Delayed');
  expect(gatewayBill?.captured).toBe(0);
  expect(gatewayBill?.held).toBe(gatewayBill?.orderAmount);
}

test('setup: a held two-stage bill to aim at', async ({ page, request }) => {
  bill = await payTwoStageOrder(page);
  await signIn(page, ADMIN, `/admin/bills/${bill}`);
  await waitForBillStatus(page, bill, 'Заблокировано');
  orderNumber = (await page.locator(`a[href^="/admin/orders/"]`).first().textContent())?.trim() ?? '';
  expect(orderNumber).not.toBe('');
  await expectStillHeld(request);
});

test('inventory: these are all the protected admin actions', () => {
  expect(
    adminActions()
      .map((a) => a.name)
      .sort(),
  ).toEqual([
    'changeStaffAction',
    'confirmBillAction',
    'createStaffAction',
    'handOverAction',
    'recheckBillAction',
    'resendReceiptAction',
    'signOutAction',
    'syncNowAction',
  ]);
});

test('signed out: every admin page redirects to the sign-in form and shows nothing', async ({ request }) => {
  for (const url of [
    '/admin',
    '/admin/bills',
    '/admin/bills?status=held',
    `/admin/bills?q=${bill}`,
    `/admin/bills/${bill}`,
    `/admin/bills/${bill}?step=confirm&kind=charge&scope=full`,
    `/admin/orders/${encodeURIComponent(orderNumber)}`,
    '/admin/bills/export',
    '/admin/audit',
    `/admin/audit?bill=${bill}`,
    '/admin/staff',
    '/admin/forbidden',
  ]) {
    const reply = await request.get(url, { maxRedirects: 0 });
    expect([303, 307], `${url} answered ${reply.status()}`).toContain(reply.status());
    expect(reply.headers().location, url).toMatch(/^\/admin\/login(\?|$)/);
    // Nothing about the bill beyond what the caller put in the URL: no customer, no status.
    const body = await reply.text();
    expect(body, url).not.toContain('admin-e2e@example.ru');
    expect(body, url).not.toContain('Заблокировано');
  }
});

test('signed out: every admin action is refused and changes nothing', async ({ baseURL, request }) => {
  const origin = baseURL ?? '';
  for (const [name, pagePath] of [
    ['confirmBillAction', `/admin/bills/${bill}`],
    ['recheckBillAction', `/admin/bills/${bill}`],
    ['syncNowAction', '/admin'],
    ['createStaffAction', '/admin/staff'],
    ['changeStaffAction', '/admin/staff'],
    ['handOverAction', `/admin/orders/${encodeURIComponent(orderNumber)}`],
    ['resendReceiptAction', `/admin/bills/${bill}`],
  ] as const) {
    const reply = await postAction(request, pagePath, chargeFields(action(name).id), origin);
    expect(reply.status(), name).toBe(303);
    expect(reply.headers().location, name).toMatch(/\/admin\/login(\?|$)/);
  }
  await expectStillHeld(request);
});

test('viewer: reads the bill but gets no buttons, and every forged admin-only post is refused', async ({
  baseURL,
  browser,
  request,
}) => {
  const page = await freshPage(browser);
  await signIn(page, VIEWER, `/admin/bills/${bill}`);
  await expect(page.getByTestId('bill-status')).toContainText('Заблокировано');
  await expect(page.getByRole('button', { name: 'Продолжить' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Сверить сейчас' })).toHaveCount(0);
  // The audit log names staff and their addresses: administrators only.
  await expect(page.getByRole('link', { name: 'Журнал' })).toHaveCount(0);
  await page.goto(`/admin/audit?bill=${bill}`);
  await expect(page).toHaveURL(/\/admin\/forbidden$/);
  await expect(page.getByTestId('audit-log')).toHaveCount(0);

  const origin = baseURL ?? '';
  let refusal = '';
  for (const name of ['confirmBillAction', 'recheckBillAction'] as const) {
    const reply = await postAction(
      page.request,
      `/admin/bills/${bill}`,
      chargeFields(action(name).id),
      origin,
    );
    expect(reply.status(), name).toBe(303);
    refusal = reply.headers().location ?? '';
    expect(refusal, name).toContain(`/admin/bills/${bill}?`);
    expect(refusal, name).toContain('forbidden');
  }
  // Fiscal receipts: handing the held order over and re-sending a receipt are administrators' too.
  const handOver = await postAction(
    page.request,
    `/admin/orders/${encodeURIComponent(orderNumber)}`,
    { [`$ACTION_ID_${action('handOverAction').id}`]: '', orderNumber },
    origin,
  );
  expect(handOver.status()).toBe(303);
  expect(handOver.headers().location).toBe(`/admin/orders/${orderNumber}?handover=forbidden`);
  const resend = await postAction(
    page.request,
    `/admin/bills/${bill}`,
    { [`$ACTION_ID_${action('resendReceiptAction').id}`]: '', receiptId: '1', back: `/admin/bills/${bill}` },
    origin,
  );
  expect(resend.status()).toBe(303);
  expect(resend.headers().location).toBe(`/admin/bills/${bill}?fiscal=forbidden`);
  const sync = await postAction(page.request, '/admin', chargeFields(action('syncNowAction').id), origin);
  expect(sync.status()).toBe(303);
  expect(sync.headers().location).toBe('/admin?sync=forbidden');
  // Staff management: a viewer can neither open it nor create an account by a forged post.
  const intruder = `intruder-${Date.now()}@example.com`;
  const forged = await postAction(
    page.request,
    '/admin/staff',
    { [`$ACTION_ID_${action('createStaffAction').id}`]: '', email: intruder, role: 'admin' },
    origin,
  );
  expect(await forged.text()).not.toContain(intruder);
  await page.goto('/admin/staff');
  await expect(page).toHaveURL(/\/admin\/forbidden$/);

  // Following the refusal shows the reason; the bill is untouched at the gateway and in the shop.
  await page.goto(refusal);
  await expect(page.getByTestId('action-result')).toHaveText('Это действие доступно только администратору.');
  await expect(page.getByTestId('bill-status')).toContainText('Заблокировано');
  await expect(page.getByTestId('admin-actions').locator('tbody tr[data-state]')).toHaveCount(0);
  await expectStillHeld(request);
  await page.context().close();
});

test('CSRF: a cross-origin form post of a charge is refused, with or without the session cookie', async ({
  browser,
  request,
}) => {
  const page = await freshPage(browser);
  await signIn(page, ADMIN, `/admin/bills/${bill}`);
  const charge = chargeFields(action('confirmBillAction').id);

  // A forged request that carries the admin's cookie but comes from another origin.
  const forged = await postAction(page.request, `/admin/bills/${bill}`, charge, 'https://evil.example');
  expect(forged.status()).toBeGreaterThanOrEqual(400);
  expect(await forged.text()).not.toMatch(/at .+\.js:\d+/);

  // The real attack: a page on another site auto-posts a form to the shop in the admin's browser.
  await page.route('https://evil.example/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><form method="POST" enctype="multipart/form-data" action="${new URL(`/admin/bills/${bill}`, page.url())}">${Object.entries(
        charge,
      )
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
        .join('')}<button>win a prize</button></form>`,
    }),
  );
  await page.goto('https://evil.example/prize');
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'win a prize' }).click();
  const reply = await posted;
  // Two layers: SameSite=Strict keeps the session cookie off the cross-site post, and Next.js refuses a
  // server action whose Origin is not the shop's own.
  expect((await reply.request().allHeaders()).cookie ?? '').not.toContain('admin_session');
  expect(reply.status()).toBeGreaterThanOrEqual(400);
  expect(await reply.text()).not.toMatch(/at .+\.js:\d+/);
  await expectStillHeld(request);

  await page.goto(`/admin/bills/${bill}`);
  await expect(page.getByTestId('bill-status')).toContainText('Заблокировано');
  await expect(page.getByTestId('admin-actions').locator('tbody tr[data-state]')).toHaveCount(0);
  await page.context().close();
});

test('control: the same post from the shop itself with the admin session does charge the bill', async ({
  baseURL,
  browser,
  request,
}) => {
  const page = await freshPage(browser);
  await signIn(page, ADMIN);
  const reply = await postAction(
    page.request,
    `/admin/bills/${bill}`,
    chargeFields(action('confirmBillAction').id),
    baseURL ?? '',
  );
  expect(reply.status()).toBe(303);
  expect(reply.headers().location).toContain('succeeded');
  const [charged] = (await sandboxBills(request, orderNumber)).filter((b) => b.billnumber === bill);
  expect(charged?.state).toBe('Approved');
  expect(charged?.captured).toBe(charged?.orderAmount);
  // The viewer's forged account creation above left no account behind.
  await page.goto('/admin/staff');
  await expect(page.getByTestId('staff-list')).toBeVisible();
  await expect(page.locator('tr[data-email^="intruder-"]')).toHaveCount(0);
  await page.context().close();
});

test('session cookie: httpOnly, SameSite=Strict, whole site, ends within 12 hours; sign-out revokes it', async ({
  browser,
}) => {
  const page = await freshPage(browser);
  const before = Date.now() / 1000;
  await signIn(page, ADMIN);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'admin_session');
  expect(session).toBeDefined();
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  expect(session?.path).toBe('/');
  // Secure is set when APP_URL is https; the demo serves plain http on localhost.
  expect(session?.secure).toBe(false);
  expect(session?.expires).toBeGreaterThan(before + 11 * 3600);
  expect(session?.expires).toBeLessThanOrEqual(before + 12 * 3600 + 60);
  expect(await page.evaluate(() => document.cookie)).not.toContain('admin_session');

  const token = session?.value ?? '';
  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page).toHaveURL(/\/admin\/login/);
  // The old token is dead on the server, not only forgotten by this browser.
  const replay = await page.request.get('/admin', {
    headers: { Cookie: `admin_session=${token}` },
    maxRedirects: 0,
  });
  expect(replay.headers().location).toMatch(/^\/admin\/login/);
  await page.context().close();
});

test('sign-in delays: after five failures on a name, or twenty from an address, the next try waits; others still get in', async ({
  browser,
}) => {
  const tryPassword = async (page: Page, email: string, password: string) => {
    await page.goto('/admin/login');
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль').fill(password);
    await page.getByRole('button', { name: 'Войти' }).click();
    return page.locator('#login-error');
  };

  // Per account name, from one address (the demo trusts one proxy hop): the sixth try, right after the
  // fifth, is refused before any password check; a delay of seconds, not a lock.
  const one = await freshPage(browser, { 'X-Forwarded-For': '198.51.100.7' });
  const name = `nobody-${Date.now()}@example.com`;
  for (let i = 0; i < 5; i++) {
    await expect(await tryPassword(one, name, `wrong-password-${i}`)).toContainText('Неверная');
  }
  await expect(await tryPassword(one, name, 'wrong-password-5')).toContainText('Слишком много');
  await one.context().close();

  // Per address, across many names: then even the admin's right password waits there...
  const spray = await freshPage(browser, { 'X-Forwarded-For': '198.51.100.8' });
  for (let i = 0; i < 20; i++) {
    await expect(await tryPassword(spray, `spray-${i}-${Date.now()}@example.com`, 'guess')).toContainText(
      'Неверная',
    );
  }
  await expect(await tryPassword(spray, ADMIN.email, ADMIN.password)).toContainText('Слишком много');
  await spray.context().close();

  // ...while the admin signs in from elsewhere.
  const elsewhere = await freshPage(browser, { 'X-Forwarded-For': '198.51.100.9' });
  await signIn(elsewhere, ADMIN);
  await elsewhere.context().close();
});
