import { expect, test } from '@playwright/test';
import iconv from 'iconv-lite';
import { APPROVING_CARD, addToCart, fillCheckout, payInSandbox, placeOrder } from './shop';
import { ADMIN, signIn, waitForBillStatus } from './staff';

/*
 * Fiscal receipts (54-FZ) on the demo, which runs with ASSIST_FISCAL=1: a customer pays for a samovar
 * and two spoons, the receipt riding with the payment; staff refund one spoon, and the refund receipt
 * holds exactly that spoon. Both receipts show in the admin, and the sandbox's receipt log holds the same.
 */

type LoggedReceipt = { billnumber: string; orderNumber: string; type: string; amount: number };

test('a paid order and a one-item refund each carry their receipt, in the admin and at the gateway', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  await addToCart(page, 'samovar');
  await addToCart(page, 'lozhka-hohloma', 2);
  await fillCheckout(page);
  const publicId = await placeOrder(page);

  // The windows-1251 page carries the receipt byte for byte: Cyrillic names in cp1251, JSON intact.
  const pay = await request.get(`/pay/${publicId}`);
  const html = iconv.decode(Buffer.from(await pay.body()), 'win1251');
  const cheque = /name="ChequeItems" value="([^"]*)"/.exec(html)?.[1]?.replaceAll('&quot;', '"');
  expect(cheque).toBeDefined();
  const items = (JSON.parse(cheque ?? '{}') as { items: Array<Record<string, unknown>> }).items;
  expect(items.map((i) => [i.name, i.quantity, i.amount, i.tax, i.fpmode])).toEqual([
    ['Самовар тульский, 5 л', 1, 18500, 'vat22', 4],
    ['Ложка хохломская', 2, 900, 'vat22', 4],
  ]);

  // The hosted page shows the receipt that will be printed, then the customer pays.
  const receipt = page.getByRole('region', { name: 'Кассовый чек (54-ФЗ)' });
  await expect(receipt).toContainText('Самовар тульский, 5 л');
  await expect(receipt).toContainText('Ложка хохломская');
  await payInSandbox(page, APPROVING_CARD);
  await expect(page).toHaveURL(/billnumber=\d+/);
  const bill = new URL(page.url()).searchParams.get('billnumber') ?? '';
  const orderNumber = new URL(page.url()).searchParams.get('ordernumber') ?? '';

  await signIn(page, ADMIN, `/admin/bills/${bill}`);
  await waitForBillStatus(page, bill, 'Оплачен');

  // Staff refund one spoon.
  const cancel = page.getByTestId('cancel-form');
  await cancel.getByLabel('Часть суммы').check();
  await cancel.getByLabel(/Сумма, ₽/).fill('450,00');
  await cancel.getByLabel('Причина').selectOption('customer');
  await cancel.getByRole('button', { name: 'Продолжить' }).click();
  const panel = page.getByTestId('confirm-panel');
  await panel.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(page.getByTestId('action-result')).toHaveText('Готово: действие выполнено.');

  // Both receipts in the admin: the sale with both lines, the refund with one spoon.
  await page.goto(`/admin/orders/${orderNumber}`);
  const rows = page.getByTestId('fiscal-receipts').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  const sale = page.locator('tr[data-kind="sell"]');
  await expect(sale).toContainText('приход');
  await expect(sale).toContainText('зарегистрирован');
  await expect(sale).toContainText('Ложка хохломская × 2');
  const refund = page.locator('tr[data-kind="sell_refund"]');
  await expect(refund).toContainText('возврат прихода');
  await expect(refund).toContainText('зарегистрирован');
  await expect(refund).toContainText('Ложка хохломская × 1');
  await expect(refund).not.toContainText('Самовар');
  await page.goto(`/admin/bills/${bill}`);
  await expect(page.getByTestId('fiscal-receipts').locator('tbody tr')).toHaveCount(2);

  // The gateway printed the same two receipts, and its receipt log shows them.
  const logged = (
    (await (await request.get('/sandbox/assist/__receipts')).json()) as { receipts: LoggedReceipt[] }
  ).receipts
    .filter((r) => r.orderNumber === orderNumber)
    .map((r) => [r.type, r.amount]);
  expect(logged).toEqual([
    ['sell', 1_940_000],
    ['sell_refund', 45_000],
  ]);
  await page.goto('/sandbox/assist/fiscal/log');
  await expect(page.locator(`[data-receipt^="${bill}"]`)).toHaveCount(2);
});
