/**
 * Takes the README's screenshots from a running demo: the catalogue, the sandbox gateway's payment
 * page and the admin's bill page after a real payment through it.
 *
 *   npm run demo                      # prints the admin password
 *   DEMO_ADMIN_PASSWORD=… npx tsx scripts/screenshots.ts [--base-url http://localhost:3000]
 *
 * Uses Chromium from CHROMIUM_PATH or /usr/bin/chromium when present, else Playwright's own browser.
 * Writes docs/screenshots/*.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';

const { values } = parseArgs({
  options: { 'base-url': { type: 'string', default: process.env.BASE_URL ?? 'http://localhost:3000' } },
});
const baseURL = String(values['base-url']).replace(/\/+$/, '');
const password = process.env.DEMO_ADMIN_PASSWORD ?? '';
if (!password) {
  console.error('DEMO_ADMIN_PASSWORD is required: the admin password the demo printed.');
  process.exit(2);
}
const out = path.join(process.cwd(), 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

async function shot(page: Page, name: string) {
  const file = path.join(out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const page = await browser.newPage({ baseURL, viewport: { width: 1100, height: 800 } });
    await page.goto('/');
    await shot(page, 'catalogue');

    await page.goto('/products/matryoshka');
    await page.getByRole('button', { name: 'В корзину' }).click();
    await page.waitForURL(/\/cart$/);
    await page.goto('/checkout');
    await page.getByLabel('Фамилия').fill('Иванова');
    await page.getByLabel('Имя', { exact: true }).fill('Мария');
    await page.getByLabel('Электронная почта').fill('maria@example.ru');
    await page.getByRole('button', { name: 'Перейти к оплате' }).click();
    await page.waitForURL(/\/sandbox\/assist\/pay\//);
    await page.setViewportSize({ width: 600, height: 800 });
    await shot(page, 'pay-page');

    await page.getByLabel('Номер карты').fill('4111 1111 1111 1111');
    await page.getByLabel(/Срок действия/).fill(`12/${(new Date().getFullYear() + 3) % 100}`);
    await page.getByLabel('CVC').fill('123');
    await page.getByLabel('Имя владельца').fill('MARIA IVANOVA');
    await page.getByRole('button', { name: /^Оплатить/ }).click();
    await page.waitForURL(/\/return\?result=ok/);
    // The gateway appends the billnumber to the first return only; the page's own reloads drop it.
    const bill = new URL(page.url()).searchParams.get('billnumber');
    await page.getByText('Оплата подтверждена.').waitFor({ timeout: 30_000 });

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/admin/login?next=${encodeURIComponent(`/admin/bills/${bill}`)}`);
    await page.getByLabel('Электронная почта').fill(process.env.DEMO_ADMIN_EMAIL ?? 'admin@example.com');
    await page.getByLabel('Пароль').fill(password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByTestId('bill-status').waitFor();
    await shot(page, 'admin-bill');
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
