import { expect, type Page } from '@playwright/test';

export const APPROVING_CARD = '4111 1111 1111 1111';
export const DECLINING_CARD = '4000 0000 0000 0002';

export async function addToCart(page: Page, slug: string, quantity = 1): Promise<void> {
  await page.goto(`/products/${slug}`);
  await page.getByLabel('Количество').fill(String(quantity));
  await page.getByRole('button', { name: 'В корзину' }).click();
  await expect(page).toHaveURL(/\/cart$/);
}

export async function fillCheckout(page: Page): Promise<void> {
  await page.goto('/checkout');
  await page.getByLabel('Фамилия').fill('Иванова');
  await page.getByLabel('Имя', { exact: true }).fill('Мария');
  await page.getByLabel('Электронная почта').fill('maria@example.ru');
}

/**
 * Submits the checkout form; the shop answers with the cp1251 /pay page, which submits itself to the
 * sandbox's hosted payment page. Returns the order's public id, read from the /pay URL.
 */
export async function placeOrder(page: Page): Promise<string> {
  const payPage = page.waitForResponse((r) => /\/pay\/[A-Za-z0-9_-]{22}$/.test(new URL(r.url()).pathname));
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  const publicId = new URL((await payPage).url()).pathname.split('/').pop() ?? '';
  await expect(page).toHaveURL(/\/sandbox\/assist\/pay\/order\.cfm$/);
  return publicId;
}

/** Pays on the sandbox's hosted page (the card form, as a customer would fill it). */
export async function payInSandbox(page: Page, card: string): Promise<void> {
  await page.getByLabel('Номер карты').fill(card);
  await page.getByLabel(/Срок действия/).fill(`12/${(new Date().getFullYear() + 3) % 100}`);
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Имя владельца').fill('MARIA IVANOVA');
  await page.getByRole('button', { name: /^Оплатить/ }).click();
}

/** Buys the made-to-order box (always two-stage) and pays with the approving test card; returns the billnumber. */
export async function payTwoStageOrder(page: Page): Promise<string> {
  await page.goto('/products/shkatulka-palekh');
  await page.getByRole('button', { name: 'В корзину' }).click();
  await page.getByRole('link', { name: 'Оформить заказ' }).click();
  await page.getByLabel('Фамилия').fill('Тестов');
  await page.getByLabel('Имя', { exact: true }).fill('Админ');
  await page.getByLabel('Электронная почта').fill('admin-e2e@example.ru');
  await page.getByRole('button', { name: 'Перейти к оплате' }).click();
  await expect(page).toHaveURL(/\/sandbox\/assist\/pay\/order\.cfm/);
  await payInSandbox(page, APPROVING_CARD);
  await expect(page).toHaveURL(/billnumber=\d+/);
  const bill = new URL(page.url()).searchParams.get('billnumber');
  if (!bill) throw new Error(`no billnumber in ${page.url()}`);
  return bill;
}
