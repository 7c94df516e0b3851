import { expect, type Page, type TestInfo, test } from '@playwright/test';
import { sandboxBills, sandboxDeliveries } from './gateway';
import { fitsWidth, seriousViolations } from './page-checks';
import { APPROVING_CARD, addToCart, DECLINING_CARD, fillCheckout, payInSandbox, placeOrder } from './shop';
import { ADMIN, signIn } from './staff';

/*
 * What a first-time customer and a shop's staff tripped over (issue #15), each checked as layout facts
 * and visible text; screenshots are saved beside the results as artifacts, not compared pixel by pixel.
 */
const CONFIRMED = { timeout: 30_000 };
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

async function snap(page: Page, info: TestInfo, name: string) {
  await info.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

/** Pays a one-stage order with the approving card; returns its public id, number and billnumber. */
async function paidOrder(page: Page, request: Parameters<typeof sandboxBills>[0]) {
  await addToCart(page, 'matryoshka');
  await fillCheckout(page);
  const publicId = await placeOrder(page);
  await payInSandbox(page, APPROVING_CARD);
  await expect(page.getByTestId('payment-status')).toHaveText('Оплата получена', CONFIRMED);
  const orderNumber = (await page.getByTestId('order-number').textContent())?.trim() ?? '';
  const [bill] = await sandboxBills(request, orderNumber);
  if (!bill) throw new Error(`no sandbox bill for order ${orderNumber}`);
  return { publicId, orderNumber, billNumber: bill.billnumber };
}

test('money is right at once: a bill confirmed by notification shows its charge and operation', async ({
  page,
  request,
}, info) => {
  const { billNumber } = await paidOrder(page, request);
  await expect
    .poll(async () =>
      (await sandboxDeliveries(request)).filter((d) => d.billnumber === billNumber).map((d) => d.status),
    )
    .toEqual(['delivered']);
  await signIn(page, ADMIN, `/admin/bills/${billNumber}`);
  await expect(page.getByTestId('bill-charged')).toHaveText(/3\s?200,00\s?₽/);
  await expect(page.getByTestId('operations').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('operations')).toContainText('Оплата');
  // The refund form offers what was charged, and the history reads in words in the shop's time zone.
  await expect(page.getByTestId('cancel-form')).toContainText(/3\s?200,00\s?₽/);
  const history = page.getByTestId('bill-history');
  await expect(history).toContainText('Счёт получен');
  await expect(history).not.toContainText(/rawStatus|partially_charged|created|\d{4}-\d{2}-\d{2}T/);
  // A one-stage bill cannot be charged: one line, not half the page.
  const refusal = page.getByTestId('charge-form');
  await expect(refusal).toContainText('Списать нельзя');
  expect((await refusal.boundingBox())?.height ?? 999).toBeLessThan(80);
  // Staff pages: no shop header, the account once.
  await expect(page.locator('.site-header')).toHaveCount(0);
  await expect(page.getByText(ADMIN.email)).toHaveCount(1);
  await snap(page, info, 'admin-bill');

  await page.goto('/admin');
  for (const id of ['chart-paid', 'chart-declined']) {
    await expect(page.getByTestId(id)).toBeVisible();
    await expect(page.getByTestId(`${id}-axis-max`)).not.toHaveText('');
  }
  await expect(page.getByTestId('chart-paid-axis-max')).toContainText('₽');
  await expect(page.getByTestId('chart-declined-axis-max')).not.toContainText('₽');
  await snap(page, info, 'admin-dashboard');

  // The bill's history in English, with the same words from the dictionary.
  await page.getByTestId('language-link').click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto(`/admin/bills/${billNumber}`);
  await expect(page.getByTestId('bill-history')).toContainText('Bill received');
  await expect(page.getByTestId('bill-history')).not.toContainText(/rawStatus|\d{4}-\d{2}-\d{2}T/);
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    expect(await seriousViolations(page), `admin bill (en) at ${viewport.width}`).toEqual([]);
  }
});

test('the search hint fits its field on the bill list', async ({ page }) => {
  await signIn(page, ADMIN, '/admin/bills');
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    const fits = await page.locator('#f-q').evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const ctx = document.createElement('canvas').getContext('2d');
      if (!ctx) return false;
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room =
        input.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      return ctx.measureText(input.placeholder).width <= room;
    });
    expect(fits, `placeholder fits at ${viewport.width}px`).toBe(true);
    expect(await seriousViolations(page), `bill list at ${viewport.width}`).toEqual([]);
  }
});

test('the customer never loses an order: number on the gateway page, a banner back home, order details', async ({
  page,
}, info) => {
  await addToCart(page, 'ivan-chai', 2);
  await expect(page.getByTestId('cart-count')).toHaveText('2');
  await fillCheckout(page);
  const publicId = await placeOrder(page);
  // The gateway's page names the order and the shop, and offers a way back.
  const summary = page.locator('dl').first();
  await expect(summary).toContainText('Лавка ремёсел');
  const orderNumber = (await summary.locator('dd').nth(1).textContent())?.trim() ?? '';
  expect(orderNumber).toMatch(/^\d+$/);
  await expect(page.getByRole('columnheader', { name: 'Код' })).toBeVisible();
  for (const id of ['#card_number', '#expiry', '#cvc']) {
    // A hint, not something that looks typed in: no real card number or date as placeholder.
    await expect(page.locator(id)).not.toHaveAttribute('placeholder', /4111|\d{2}\/\d{2}|^\d{3}$/);
  }
  await page.setViewportSize(PHONE);
  const expiry = await page.locator('#expiry').boundingBox();
  const cvc = await page.locator('#cvc').boundingBox();
  expect(Math.abs((expiry?.y ?? 0) - (cvc?.y ?? 100))).toBeLessThan(2);
  await snap(page, info, 'sandbox-pay-page-375');
  await page.setViewportSize(DESKTOP);

  // Back without paying: the cart is empty, but the order is there, with its number and deadline.
  await page.getByTestId('back-to-shop').click();
  await expect(page).toHaveURL(new RegExp(`/orders/${publicId}/return`));
  await expect(page.getByTestId('order-number')).toHaveText(orderNumber);
  await page.goto('/cart');
  await expect(page.getByTestId('awaiting-payment')).toContainText(`Заказ №${orderNumber} ждёт оплаты до`);
  await page.goto('/checkout');
  await expect(page.getByTestId('awaiting-payment')).toContainText(orderNumber);
  await page.getByTestId('awaiting-payment').getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/orders/${publicId}$`));
  await expect(page.getByTestId('order-customer')).toContainText('Иванова Мария');
  await expect(page.getByTestId('order-customer')).toContainText('maria@example.ru');
  await expect(page.getByRole('main').getByRole('listitem')).toContainText(['Иван-чай']);
  await expect(page.getByTestId('order-deadline')).not.toHaveText('');
  await page.getByRole('link', { name: /Вернуться в каталог/ }).click();
  await expect(page).toHaveURL(/\/$/);
});

test('after a decline the first return page says one thing, with the deadline, and so does a reload', async ({
  page,
}) => {
  await addToCart(page, 'lozhka-hohloma');
  await fillCheckout(page);
  const publicId = await placeOrder(page);
  await payInSandbox(page, DECLINING_CARD);
  await expect(page).toHaveURL(new RegExp(`/orders/${publicId}/return\\?result=no`));
  const first = (await page.getByTestId('return-message').textContent()) ?? '';
  expect(first).toMatch(/Оплата не прошла.*до \d/);
  await expect(page.getByText('до указанного срока')).toHaveCount(0);
  await expect(page.getByTestId('payment-status')).toHaveCount(0);
  await expect(async () => {
    await page.goto(`/orders/${publicId}/return?result=no&n=1`);
    await expect(page.getByTestId('return-message')).toHaveText(first, { timeout: 1000 });
  }).toPass(CONFIRMED);
});

test('both languages: the switch keeps the page, titles and catalogue are in English', async ({
  page,
}, info) => {
  await page.goto('/products/samovar');
  await page.getByTestId('language-link').click();
  await expect(page).toHaveURL(/\/products\/samovar$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tula samovar, 5 l');
  await expect(page).toHaveTitle('Tula samovar, 5 l · Craft Store');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page).toHaveTitle(/^Cart · Craft Store$/);
  await expect(page.getByTestId('cart')).toContainText('Tula samovar');
  await page.goto('/checkout');
  await expect(page).toHaveTitle(/^Checkout · Craft Store$/);
  await expect(page.getByTestId('checkout-summary')).toContainText('Tula samovar');
  await page.goto('/');
  await expect(page.getByTestId('catalogue')).toContainText('Semyonov matryoshka');
  await snap(page, info, 'catalogue-en');
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    for (const path of ['/', '/products/samovar', '/cart', '/checkout']) {
      await page.goto(path);
      expect(await seriousViolations(page), `${path} (en) at ${viewport.width}`).toEqual([]);
      expect(await fitsWidth(page), `${path} (en) fits ${viewport.width}`).toBe(true);
    }
  }
  await page.goto('/products/samovar');
  await page.getByTestId('language-link').click();
  await expect(page).toHaveURL(/\/products\/samovar$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Самовар тульский, 5 л');
});

test('phone: two catalogue columns, labelled cart cells, the summary before the pay button', async ({
  page,
}, info) => {
  await page.setViewportSize(PHONE);
  await page.goto('/');
  const cards = page.getByTestId('catalogue').locator('li');
  const [a, b, c] = await Promise.all([0, 1, 2].map((i) => cards.nth(i).boundingBox()));
  expect(a?.y).toBe(b?.y);
  expect((b?.x ?? 0) > (a?.x ?? 0)).toBe(true);
  expect((c?.y ?? 0) > (a?.y ?? 0)).toBe(true);
  await snap(page, info, 'catalogue-375');

  await addToCart(page, 'valenki');
  const labels = await page
    .getByTestId('cart')
    .locator('tbody td')
    .evaluateAll((cells) => cells.map((td) => getComputedStyle(td, '::before').content));
  expect(labels).toEqual(['"Товар"', '"Цена"', '"Количество"', '"Сумма"']);
  await snap(page, info, 'cart-375');

  await page.goto('/checkout');
  const summary = await page.getByTestId('checkout-summary').boundingBox();
  const pay = await page.getByRole('button', { name: 'Перейти к оплате' }).boundingBox();
  expect((summary?.y ?? 9999) < (pay?.y ?? 0)).toBe(true);
  await snap(page, info, 'checkout-375');
});
