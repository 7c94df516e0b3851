import { expect, type Page, test } from '@playwright/test';
import { payTwoStageOrder } from './shop';
import { ADMIN, signIn, waitForBillStatus } from './staff';

/*
 * Staff journey on the demo: a made-to-order product paid two-stage in the sandbox shows as held, is
 * charged in part, refunded in part, then refunded in full.
 */

async function listStatus(page: Page, bill: string) {
  await page.goto(`/admin/bills?q=${bill}`);
  return page.locator(`tr[data-bill="${bill}"]`);
}

async function confirm(page: Page, expected: RegExp) {
  const panel = page.getByTestId('confirm-panel');
  await expect(panel).toContainText(expected);
  await panel.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(page.getByTestId('action-result')).toHaveText('Готово: действие выполнено.');
}

test('signed-out access to an admin page goes to the sign-in form and back', async ({ page }) => {
  await page.goto('/admin/bills?status=held');
  await expect(page).toHaveURL(/\/admin\/login/);
  const csv = await page.request.get('/admin/bills/export', { maxRedirects: 0 });
  expect(csv.status()).toBe(303);
  expect(csv.headers().location).toContain('/admin/login');
});

test('two-stage payment: held, partial charge, partial refund, refund of the rest', async ({ page }) => {
  const bill = await payTwoStageOrder(page);
  await signIn(page, ADMIN, `/admin/bills/${bill}`);
  await waitForBillStatus(page, bill, 'Заблокировано');
  await expect(await listStatus(page, bill)).toContainText('Заблокировано');

  // Partial charge, with the release of the rest stated before confirming.
  await page.goto(`/admin/bills/${bill}`);
  const charge = page.getByTestId('charge-form');
  await charge.getByLabel('Часть суммы').check();
  await charge.getByLabel(/Сумма, ₽/).fill('20 000,00');
  await charge.getByRole('button', { name: 'Продолжить' }).click();
  await confirm(page, /освобождает остаток блокировки \(4\s500,00/);
  await expect(page.getByTestId('bill-status')).toContainText('Списано частично');
  await expect(page.getByTestId('bill-charged')).toHaveText(/20\s000,00/);
  await expect(page.getByTestId('charge-form')).toContainText('Списать нельзя');

  // A refused amount: more than was charged.
  const cancel = () => page.getByTestId('cancel-form');
  await cancel().getByLabel('Часть суммы').check();
  await cancel()
    .getByLabel(/Сумма, ₽/)
    .fill('25 000');
  await cancel().getByLabel('Причина').selectOption('customer');
  await cancel().getByRole('button', { name: 'Продолжить' }).click();
  await expect(page.getByTestId('action-result')).toContainText('Сумма больше допустимой');

  await page.goto(`/admin/bills/${bill}`);
  await cancel().getByLabel('Часть суммы').check();
  await cancel()
    .getByLabel(/Сумма, ₽/)
    .fill('5 000');
  await cancel().getByLabel('Причина').selectOption('customer');
  await cancel().getByLabel('Комментарий').fill('Покупатель отказался от части');
  await cancel().getByRole('button', { name: 'Продолжить' }).click();
  await confirm(page, /возврат на карту/);
  await expect(page.getByTestId('bill-status')).toContainText('Возвращено частично');
  await expect(page.getByTestId('bill-returned')).toHaveText(/5\s000,00/);

  await cancel().getByLabel('Причина').selectOption('shop');
  await cancel().getByRole('button', { name: 'Продолжить' }).click();
  await confirm(page, /Будет отменено или возвращено всё, что осталось.*15\s000,00/);
  await expect(page.getByTestId('bill-status')).toContainText(/Возвращено(?! частично)/);
  await expect(page.getByTestId('cancel-form')).toContainText('Ничего не осталось.');

  await expect(page.getByTestId('admin-actions').locator('tr[data-state="succeeded"]')).toHaveCount(3);
  await expect(page.getByTestId('bill-history')).toContainText('Сотрудник');
  await expect(await listStatus(page, bill)).toContainText(/Возвращено(?! частично)/);

  // The audit trail: each action recorded when asked for and when finished, with who and how much.
  await page.goto(`/admin/bills/${bill}`);
  await page.getByRole('link', { name: 'Журнал по счёту' }).click();
  const audit = page.getByTestId('audit-log');
  await expect(audit.locator('tr[data-action="bill.action_requested"]')).toHaveCount(3);
  await expect(audit.locator('tr[data-action="bill.action_finished"]')).toHaveCount(3);
  const requested = (await audit.locator('tr[data-action="bill.action_requested"]').allTextContents()).join(
    '\n',
  );
  expect(requested).toMatch(/списание, сумма 20\s000,00/);
  expect(requested).toMatch(/отмена\/возврат, сумма 5\s000,00.*Покупатель отказался от части/);
  expect(requested).toMatch(/отмена\/возврат, вся сумма, По решению магазина/);
  await expect(audit.locator('tbody tr').first()).toContainText(ADMIN.email);
  await listStatus(page, bill);
  await page.locator(`tr[data-bill="${bill}"] a`).nth(1).click();
  await expect(page.getByTestId('order-bills').locator('tr[data-actual="true"]')).toContainText(bill);
});

test('dashboard: sync now respects the throttle', async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByTestId('sync-strip')).toBeVisible();
  // Money and counts on separate charts, 30 days each.
  await expect(page.getByTestId('chart-paid').locator('li')).toHaveCount(30);
  await expect(page.getByTestId('chart-declined').locator('li')).toHaveCount(30);
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Сверить сейчас' }).click();
  await expect(page.getByTestId('sync-result')).toContainText(/\((429|409)\)/);
});
