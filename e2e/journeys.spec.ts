import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import {
  dropNextNotifications,
  runCronSync,
  type SandboxBill,
  sandboxBills,
  sandboxDeliveries,
} from './gateway';
import { APPROVING_CARD, addToCart, fillCheckout, payInSandbox, placeOrder } from './shop';
import { ADMIN, signIn } from './staff';

/*
 * The journeys of issue #8 that need more than one tab, a lost notification or the report sync, on the
 * demo (PGlite + sandbox). Each ends by checking "nothing lost": every bill the sandbox holds for the
 * order is in the shop's admin with the same state.
 */
const CONFIRMED = { timeout: 30_000 };

/** The sandbox's `state` as the shop's admin shows the mapped status. */
const ADMIN_STATUS: Record<string, string> = {
  Approved: 'Оплачено',
  Declined: 'Отклонено',
  Timeout: 'Истекло',
  Delayed: 'Заблокировано',
  // A paid bill cancelled in full is a refund.
  Canceled: 'Возвращено',
};

async function orderNumberOf(page: Page, publicId: string): Promise<string> {
  const view = await page.context().newPage();
  await view.goto(`/orders/${publicId}`);
  const orderNumber = (await view.getByTestId('order-number').textContent())?.trim() ?? '';
  await view.close();
  expect(orderNumber).not.toBe('');
  return orderNumber;
}

/** A second visit to the order's payment page, in a new tab: a second bill at the gateway. */
async function openPaymentAgain(page: Page, publicId: string): Promise<Page> {
  const tab = await page.context().newPage();
  await tab.goto(`/pay/${publicId}`);
  await expect(tab).toHaveURL(/\/sandbox\/assist\/pay\/order\.cfm$/);
  return tab;
}

async function waitForSandboxStates(request: APIRequestContext, orderNumber: string, states: string[]) {
  let bills: SandboxBill[] = [];
  await expect
    .poll(
      async () => {
        bills = await sandboxBills(request, orderNumber);
        return bills.map((b) => b.state).sort();
      },
      { timeout: 60_000 },
    )
    .toEqual([...states].sort());
  return bills;
}

/** Nothing lost: the admin's order page lists exactly the sandbox's bills, each with the matching status. */
async function expectShopMatchesSandbox(page: Page, request: APIRequestContext, orderNumber: string) {
  const bills = await sandboxBills(request, orderNumber);
  await page.goto(`/admin/orders/${encodeURIComponent(orderNumber)}`);
  const rows = page.getByTestId('order-bills').locator('tbody tr');
  await expect(rows).toHaveCount(bills.length);
  for (const bill of bills) {
    const status = ADMIN_STATUS[bill.state];
    expect(status, `a status label for sandbox state ${bill.state}`).toBeDefined();
    await expect(rows.filter({ hasText: bill.billnumber })).toContainText(status ?? '');
  }
}

test('journey 4: paid in an earlier tab, the later tab abandoned until it times out; after a sync the order is paid', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  await addToCart(page, 'pryanik-tula');
  await fillCheckout(page);
  const publicId = await placeOrder(page);
  const orderNumber = await orderNumberOf(page, publicId);
  const later = await openPaymentAgain(page, publicId);
  const [earlier, abandoned] = (await sandboxBills(request, orderNumber))
    .map((b) => b.billnumber)
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  expect(abandoned, 'two visits, two bills').toBeDefined();

  await payInSandbox(page, APPROVING_CARD);
  await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена', CONFIRMED);

  // The later tab is left alone until the gateway times its bill out; then the report sync records
  // that newer, negative bill, which must not undo the payment.
  await waitForSandboxStates(request, orderNumber, ['Approved', 'Timeout']);
  await later.close();
  await runCronSync(request);

  await page.goto(`/orders/${publicId}`);
  await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена');
  await signIn(page, ADMIN, `/admin/orders/${encodeURIComponent(orderNumber)}`);
  const rows = page.getByTestId('order-bills').locator('tbody tr');
  await expect(rows.filter({ hasText: abandoned ?? '' })).toContainText('Истекло');
  await expect(page.getByTestId('order-bills').locator('tr[data-actual="true"]')).toContainText(
    earlier ?? '',
  );
  await expectShopMatchesSandbox(page, request, orderNumber);
});

test('journey 5: the notification is lost and the customer never comes back; the cron sync alone makes the order paid', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await addToCart(page, 'matryoshka');
  await fillCheckout(page);
  const publicId = await placeOrder(page);
  const orderNumber = await orderNumberOf(page, publicId);

  await dropNextNotifications(request);
  // The customer closes the tab on the gateway's result: the shop's return page is never loaded.
  await page.route('**/pay/process.cfm', async (route) => {
    const reply = await route.fetch({ maxRedirects: 0 });
    expect(reply.status()).toBe(303);
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'tab closed' });
  });
  await payInSandbox(page, APPROVING_CARD);
  const [bill] = await waitForSandboxStates(request, orderNumber, ['Approved']);
  const deliveries = (await sandboxDeliveries(request)).filter((d) => d.billnumber === bill?.billnumber);
  expect(deliveries.map((d) => d.status)).toEqual(['dropped']);

  await expect(async () => {
    await runCronSync(request);
    await page.goto(`/orders/${publicId}`);
    await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена', { timeout: 1000 });
  }).toPass({ timeout: 120_000 });

  // Only the report sync spoke for this bill: no notification, no return-page check.
  await signIn(page, ADMIN, `/admin/bills/${bill?.billnumber}`);
  const sources = page.getByTestId('bill-history').locator('tbody tr');
  await expect(sources).not.toHaveCount(0);
  for (const text of await sources.allTextContents()) expect(text).toContain('Сверка');
  await expectShopMatchesSandbox(page, request, orderNumber);
});

test('journey 6: a double payment is flagged to staff, and refunding one bill leaves the order paid', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await addToCart(page, 'lozhka-hohloma');
  await fillCheckout(page);
  const publicId = await placeOrder(page);
  const orderNumber = await orderNumberOf(page, publicId);
  const second = await openPaymentAgain(page, publicId);

  await payInSandbox(page, APPROVING_CARD);
  await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена', CONFIRMED);
  await payInSandbox(second, APPROVING_CARD);
  await expect(second.getByTestId('payment-status')).toHaveText('Оплата получена', CONFIRMED);
  await second.close();
  const bills = await waitForSandboxStates(request, orderNumber, ['Approved', 'Approved']);
  const newer = bills.map((b) => b.billnumber).sort((a, b) => (BigInt(a) < BigInt(b) ? 1 : -1))[0] ?? '';

  await signIn(page, ADMIN, `/admin/orders/${encodeURIComponent(orderNumber)}`);
  await expect(async () => {
    await page.reload();
    await expect(page.locator('[data-flag="double_payment"]').first()).toBeVisible({ timeout: 1000 });
  }).toPass(CONFIRMED);
  await page.goto('/admin/bills?flag=double_payment');
  for (const bill of bills) await expect(page.locator(`tr[data-bill="${bill.billnumber}"]`)).toBeVisible();

  // Staff refund the duplicate (the newer bill) in full.
  await page.goto(`/admin/bills/${newer}`);
  const cancel = page.getByTestId('cancel-form');
  await cancel.getByLabel('Причина').selectOption('shop');
  await cancel.getByLabel('Комментарий').fill('Двойная оплата: возврат второго счёта');
  await cancel.getByRole('button', { name: 'Продолжить' }).click();
  const panel = page.getByTestId('confirm-panel');
  await expect(panel).toContainText('возврат на карту');
  await panel.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(page.getByTestId('action-result')).toHaveText('Готово: действие выполнено.');
  await expect(page.getByTestId('bill-status')).toContainText(/Возвращено(?! частично)/);

  await page.goto(`/admin/orders/${encodeURIComponent(orderNumber)}`);
  await expect(page.locator('[data-flag="double_payment"]')).toHaveCount(0);
  await expect(page.getByTestId('order-bills').locator('tr[data-actual="true"]')).not.toContainText(newer);
  await page.goto(`/orders/${publicId}`);
  await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена');
  const after = await sandboxBills(request, orderNumber);
  expect(after.map((b) => b.state).sort()).toEqual(['Approved', 'Canceled']);
  await expectShopMatchesSandbox(page, request, orderNumber);
});
