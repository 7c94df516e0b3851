import { expect, test } from '@playwright/test';

test('cart: add two products, change a quantity, remove one, survive a reload', async ({ page }) => {
  await page.goto('/products/matryoshka');
  await page.getByRole('button', { name: 'В корзину' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await page.goto('/products/ivan-chai');
  await page.getByLabel('Количество').fill('2');
  await page.getByRole('button', { name: 'В корзину' }).click();
  const cart = page.getByTestId('cart');
  await expect(cart.getByRole('row')).toHaveCount(3);
  await expect(page.getByTestId('cart-total')).toHaveText('3 998,00 ₽');
  await page.getByLabel(/Количество: Матрёшка/).fill('3');
  await cart
    .getByRole('row', { name: /Матрёшка/ })
    .getByRole('button', { name: 'Обновить' })
    .click();
  await expect(page.getByTestId('cart-total')).toHaveText('10 398,00 ₽');
  await page.reload();
  await expect(page.getByTestId('cart-total')).toHaveText('10 398,00 ₽');
  await cart.getByRole('button', { name: /Удалить Иван-чай/ }).click();
  await expect(page.getByTestId('cart-total')).toHaveText('9 600,00 ₽');
  await cart.getByRole('button', { name: /Удалить Матрёшка/ }).click();
  await expect(page.getByText('Корзина пуста.')).toBeVisible();
});

test('checkout: validation errors keep the input and create nothing; a valid form places the order', async ({
  page,
  request,
}) => {
  await page.goto('/products/pryanik-tula');
  await page.getByRole('button', { name: 'В корзину' }).click();
  await page.getByRole('link', { name: 'Оформить заказ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Оформление заказа' })).toBeVisible();
  await page.getByLabel('Фамилия').fill('Петров');
  await page.getByLabel('Имя', { exact: true }).fill('Пётр 😀');
  await page.getByLabel('Электронная почта').fill('not-an-email');
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  await expect(page.getByText('Проверьте поля, отмеченные ниже.')).toBeVisible();
  await expect(page.getByText(/без эмодзи/)).toBeVisible();
  await expect(page.getByText(/Введите адрес почты/)).toBeVisible();
  await expect(page.getByLabel('Фамилия')).toHaveValue('Петров');
  await expect(page).toHaveURL(/\/checkout$/);

  await page.getByLabel('Имя', { exact: true }).fill('Пётр');
  await page.getByLabel('Электронная почта').fill('petr@example.ru');
  // This test is about the shop's side: the gateway is replaced by a stub that records the post.
  let posted = '';
  await page.route('**/sandbox/assist/pay/order.cfm', async (route) => {
    posted = route.request().postData() ?? '';
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>gateway</h1>' });
  });
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  await expect(page).toHaveURL(/\/sandbox\/assist\/pay\/order\.cfm$/);
  const form = new URLSearchParams(posted);
  expect(form.get('OrderAmount')).toBe('520.00');
  expect(form.get('OrderCurrency')).toBe('RUB');
  expect(form.get('Checkvalue')).toMatch(/^[0-9A-F]{32}$/);
  const publicId = /\/orders\/([A-Za-z0-9_-]{22})\/return/.exec(form.get('URL_RETURN_OK') ?? '')?.[1] ?? '';
  expect(publicId).toHaveLength(22);

  const payPage = await request.get(`/pay/${publicId}`);
  expect(payPage.headers()['content-type']).toBe('text/html; charset=windows-1251');
  expect(payPage.headers()['cache-control']).toBe('no-store');
  const bytes = await payPage.body();
  // "Переход к оплате" in windows-1251, byte for byte.
  expect(bytes.includes(Buffer.from([0xcf, 0xe5, 0xf0, 0xe5, 0xf5, 0xee, 0xe4, 0x20, 0xea, 0x20]))).toBe(
    true,
  );
  expect(bytes.toString('latin1')).toContain('<meta charSet="windows-1251"/>');
  expect(bytes.toString('latin1')).toMatch(/name="OrderAmount" value="520.00"/);

  await page.goto(`/orders/${publicId}`);
  await expect(page.getByTestId('order-total')).toHaveText('520,00 ₽');
  await expect(page.getByTestId('payment-status')).toHaveText('Ожидает оплаты');
  await expect(page.getByRole('button', { name: 'Оплатить картой' })).toBeVisible();
  await page.goto('/cart');
  await expect(page.getByText('Корзина пуста.')).toBeVisible();
});
