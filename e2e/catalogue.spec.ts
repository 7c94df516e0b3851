import { expect, test } from '@playwright/test';

test('the home page lists the seeded catalogue', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Каталог' })).toBeVisible();
  const cards = page.getByTestId('catalogue').getByRole('listitem');
  await expect(cards).toHaveCount(11);
  await expect(page.getByRole('link', { name: /Самовар тульский/ })).toBeVisible();
  await expect(page.getByText('18 500,00 ₽')).toBeVisible();
  await expect(page.getByTestId('sandbox-banner')).toBeVisible();
});

test('a product page shows its details and unknown products are 404', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: /Матрёшка/ }).click();
  await expect(page).toHaveURL(/\/products\/matryoshka$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Матрёшка семеновская/);
  const missing = await page.goto('/products/no-such-thing');
  expect(missing?.status()).toBe(404);
});

test('the language switch turns the shop to English and back', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Catalogue' })).toBeVisible();
  await page.getByRole('link', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Каталог' })).toBeVisible();
});
