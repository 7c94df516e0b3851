import { expect, test } from '@playwright/test';
import { DEMO_MERCHANT } from '../lib/sandbox/demo-merchant';
import { sandboxBills, sandboxDeliveries } from './gateway';
import { APPROVING_CARD, addToCart, DECLINING_CARD, fillCheckout, payInSandbox, placeOrder } from './shop';
import { ADMIN, signIn } from './staff';

// Real sandbox end to end: the hosted page, its notification to /api/assist/notify, the return page.
const CONFIRMED = { timeout: 30_000 };

test('journey: two products, checkout, the cp1251 page, pay with the approving card, come back paid', async ({
  page,
  request,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: /Матрёшка/ }).click();
  await page.getByRole('button', { name: 'В корзину' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await addToCart(page, 'ivan-chai', 2);
  await expect(page.getByTestId('cart').getByRole('row')).toHaveCount(3);
  await fillCheckout(page);
  const publicId = await placeOrder(page);

  const payPage = await request.get(`/pay/${publicId}`);
  expect(payPage.status()).toBe(200);
  expect(payPage.headers()['content-type']).toBe('text/html; charset=windows-1251');
  const bytes = await payPage.body();
  // "Переход к оплате" in windows-1251, byte for byte: the page is not UTF-8.
  expect(bytes.includes(Buffer.from([0xcf, 0xe5, 0xf0, 0xe5, 0xf5, 0xee, 0xe4, 0x20, 0xea, 0x20]))).toBe(
    true,
  );
  expect(bytes.toString('latin1')).toContain('name="OrderAmount" value="3998.00"');

  await payInSandbox(page, APPROVING_CARD);
  await expect(page).toHaveURL(new RegExp(`/orders/${publicId}/return\\?result=ok`));
  await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена', CONFIRMED);
  await expect(page.getByTestId('return-message')).toHaveText('Оплата подтверждена.');
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);

  await page.goto(`/orders/${publicId}`);
  await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена');
  await expect(page.getByRole('button', { name: /Оплатить/ })).toHaveCount(0);
  // The /pay page rendered above is kept for reloads, yet a paid order gets its status, not the form.
  const afterPaid = await request.get(`/pay/${publicId}`);
  expect(afterPaid.status()).toBe(409);
  expect((await afterPaid.body()).toString('latin1')).not.toContain('name="OrderAmount"');

  // The gateway's notification reached the shop and was accepted, and staff see the bill with its history.
  const orderNumber = (await page.getByTestId('order-number').textContent())?.trim() ?? '';
  const [bill] = await sandboxBills(request, orderNumber);
  expect(bill?.state).toBe('Approved');
  await expect
    .poll(async () =>
      (await sandboxDeliveries(request))
        .filter((d) => d.billnumber === bill?.billnumber)
        .map((d) => d.status),
    )
    .toEqual(['delivered']);
  await signIn(page, ADMIN, `/admin/bills/${bill?.billnumber}`);
  await expect(page.getByTestId('bill-status')).toContainText('Оплачено');
  await expect(page.getByTestId('bill-history').locator('tbody tr')).not.toHaveCount(0);
  await expect(page.getByTestId('bill-history')).toContainText(/Уведомление|Проверка/);
  await page.goto(`/admin/bills?q=${orderNumber}`);
  await expect(page.locator(`tr[data-bill="${bill?.billnumber}"]`)).toContainText('Оплачено');
});

test('a declined card, then a successful second attempt: the order ends paid, the decline kept', async ({
  page,
  request,
}) => {
  await addToCart(page, 'pryanik-tula');
  await fillCheckout(page);
  const publicId = await placeOrder(page);
  await payInSandbox(page, DECLINING_CARD);
  await expect(page).toHaveURL(new RegExp(`/orders/${publicId}/return\\?result=no`));
  await expect(page.getByTestId('return-message')).toHaveText(/Оплата не прошла/);
  // The return page says only that and the deadline; the order page shows the recorded decline.
  await expect(async () => {
    await page.goto(`/orders/${publicId}`);
    await expect(page.getByTestId('payment-status')).toHaveText('Оплата отклонена', { timeout: 1000 });
  }).toPass(CONFIRMED);

  await page.getByRole('button', { name: 'Попробовать оплатить снова' }).click();
  await expect(page).toHaveURL(/\/sandbox\/assist\/pay\/order\.cfm$/);
  await payInSandbox(page, APPROVING_CARD);
  await expect(page).toHaveURL(new RegExp(`/orders/${publicId}/return\\?result=ok`));
  await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена', CONFIRMED);

  // The gateway's own record of the order (orderresult web service): both attempts, the decline kept.
  const orderNumber = (await page.getByTestId('order-number').textContent()) ?? '';
  const reply = await request.post('/sandbox/assist/orderresult/orderresult.cfm', {
    form: {
      Merchant_ID: DEMO_MERCHANT.merchantId,
      Login: DEMO_MERCHANT.login,
      Password: DEMO_MERCHANT.password,
      Ordernumber: orderNumber,
      Format: '3',
    },
  });
  const xml = await reply.text();
  const states = [...xml.matchAll(/<orderstate>([^<]+)<\/orderstate>/g)].map((m) => m[1]).sort();
  expect(states).toEqual(['Approved', 'Declined']);
});

test('amount tampering: an edited hidden OrderAmount is rejected by the gateway and the order stays unpaid', async ({
  page,
}) => {
  await addToCart(page, 'matryoshka');
  await fillCheckout(page);
  const publicId = await placeOrder(page);
  await page.goto(`/orders/${publicId}`);
  const amount = page.locator('input[type="hidden"][name="OrderAmount"]');
  await expect(amount).toHaveValue('3200.00');
  await amount.evaluate((input: HTMLInputElement) => {
    input.value = '1.00';
  });
  const gatewayReply = page.waitForResponse(/\/sandbox\/assist\/pay\/order\.cfm$/);
  await page.getByRole('button', { name: 'Оплатить картой' }).click();
  expect((await gatewayReply).status()).toBe(400);
  // 5/158: wrong Checkvalue (the signature covers the amount).
  await expect(page.locator('#firstcode')).toHaveText('5');
  await expect(page.locator('#secondcode')).toHaveText('158');
  await expect(page.getByLabel('Номер карты')).toHaveCount(0);

  await page.goto(`/orders/${publicId}`);
  await expect(page.getByTestId('payment-status')).toHaveText('Ожидает оплаты');
});
