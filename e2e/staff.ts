import { expect, type Page } from '@playwright/test';

/** The demo's staff accounts; their passwords are pinned by playwright.config.ts for server and tests. */
export const ADMIN = { email: 'admin@example.com', password: process.env.DEMO_ADMIN_PASSWORD ?? '' };
export const VIEWER = { email: 'viewer@example.com', password: process.env.DEMO_VIEWER_PASSWORD ?? '' };

export async function signIn(page: Page, who: { email: string; password: string }, next = '/admin') {
  expect(who.password.length, 'demo passwords are set by playwright.config.ts').toBeGreaterThanOrEqual(12);
  await page.goto(`/admin/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Электронная почта').fill(who.email);
  await page.getByLabel('Пароль').fill(who.password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByTestId('admin-who')).toContainText(who.email);
}

/** The shop learns the outcome from the sandbox's notification (or the return page's re-read). */
export async function waitForBillStatus(page: Page, bill: string, status: string) {
  await expect(async () => {
    await page.goto(`/admin/bills/${bill}`);
    await expect(page.getByTestId('bill-status')).toContainText(status, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}
