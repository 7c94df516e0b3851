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

test('catalogue and product pages served again carry a fresh nonce on every script, never a shared one', async ({
  page,
  request,
}) => {
  const nonces = new Set<string>();
  // Enough requests for the proxy to have kept each page and to answer from it.
  for (let i = 0; i < 6; i++) {
    for (const path of ['/', '/products/matryoshka']) {
      const response = await request.get(path);
      expect(response.status()).toBe(200);
      const csp = response.headers()['content-security-policy'] ?? '';
      expect(csp.split('; ').find((d) => d.startsWith('script-src'))).not.toContain('unsafe-inline');
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(nonces.has(nonce ?? '')).toBe(false);
      nonces.add(nonce ?? '');
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
  }
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto('/products/matryoshka');
  await page.getByRole('button', { name: 'В корзину' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await page.goto('/');
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  await page.reload();
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  expect(violations).toEqual([]);
  // A visitor without a cart never gets the page kept for one with a cart.
  expect(await (await request.get('/')).text()).not.toContain('data-testid="cart-count"');
});
