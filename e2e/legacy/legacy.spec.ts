import { expect, type Page, test } from '@playwright/test';
import { addToCart, fillCheckout } from '../shop';
import { ADMIN, signIn } from '../staff';

/*
 * The same shop under ASSIST_PROTOCOL=legacy (django-assist-ru's 2010 protocol): the /pay page posts the
 * legacy form to the sandbox's /shops/purchase.cfm, the legacy notification is only a hint, and the
 * order is confirmed from the legacy report. Run by .ci/run with ASSIST_PROTOCOL=legacy.
 */
const CONFIRMED = { timeout: 90_000 };

async function buyAndPay(page: Page, slug: string): Promise<{ publicId: string; bill: string }> {
  await addToCart(page, slug);
  await fillCheckout(page);
  const pay = page.waitForResponse((r) => /\/pay\/[A-Za-z0-9_-]{22}$/.test(new URL(r.url()).pathname));
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  const publicId = new URL((await pay).url()).pathname.split('/').pop() ?? '';
  await expect(page).toHaveURL(/\/sandbox\/assist\/shops\/(purchase|cardpayment)\.cfm$/);
  await page.locator('#card_number').fill('4111 1111 1111 1111');
  await page.locator('#expiry').fill('12/39');
  await page.locator('#cvc').fill('123');
  await page.locator('#holder').fill('PROTOKOL STAROV');
  await page.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(/billnumber=\d+/);
  const bill = new URL(page.url()).searchParams.get('billnumber') ?? '';
  return { publicId, bill };
}

test('legacy protocol: the cp1251 page posts the legacy form, pay, and the order ends paid', async ({
  page,
  request,
}) => {
  await addToCart(page, 'lozhka-hohloma');
  await fillCheckout(page);
  let posted = '';
  page.on('request', (r) => {
    if (r.url().includes('/shops/purchase.cfm') && r.method() === 'POST') posted = r.postData() ?? '';
  });
  const pay = page.waitForResponse((r) => /\/pay\/[A-Za-z0-9_-]{22}$/.test(new URL(r.url()).pathname));
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  const publicId = new URL((await pay).url()).pathname.split('/').pop() ?? '';
  const payPage = await request.get(`/pay/${publicId}`);
  expect(payPage.headers()['content-type']).toBe('text/html; charset=windows-1251');
  expect((await payPage.body()).toString('latin1')).toContain('accept-charset="windows-1251"');
  await expect(page).toHaveURL(/\/sandbox\/assist\/shops\/purchase\.cfm$/);
  expect(new URLSearchParams(posted).get('Shop_IDP')).toMatch(/^\d+$/);
  expect(new URLSearchParams(posted).get('Subtotal_P')).toBe('450.00');

  await page.locator('#card_number').fill('4111 1111 1111 1111');
  await page.locator('#expiry').fill('12/39');
  await page.locator('#cvc').fill('123');
  await page.locator('#holder').fill('PROTOKOL STAROV');
  await page.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(new RegExp(`/orders/${publicId}/return`));
  await expect(async () => {
    await page.goto(`/orders/${publicId}`);
    await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена', { timeout: 1000 });
  }).toPass(CONFIRMED);
});

test('legacy protocol: a two-stage order is held, and staff charge it in full', async ({ page }) => {
  test.setTimeout(180_000);
  const { bill } = await buyAndPay(page, 'gusli');
  // The bill reaches the shop by a results.cfm re-read: sign in first, then wait for it.
  await signIn(page, ADMIN);
  await expect(async () => {
    await page.goto(`/admin/bills/${bill}`);
    await expect(page.getByTestId('bill-status')).toContainText('Заблокировано', { timeout: 1000 });
  }).toPass(CONFIRMED);
  await page.getByTestId('charge-form').getByRole('button', { name: 'Продолжить' }).click();
  const panel = page.getByTestId('confirm-panel');
  await panel.getByRole('button', { name: 'Подтвердить' }).click();
  await expect(page.getByTestId('action-result')).toHaveText('Готово: действие выполнено.');
  // postauth answers a bare "ERROR:" (no bill fields): the confirmed charge is recorded at once, without
  // waiting for a results.cfm read.
  await expect(page.getByTestId('bill-status')).toContainText('Оплачено');
  await expect(page.getByTestId('bill-charged')).toHaveText(/15\s900,00/);
});
