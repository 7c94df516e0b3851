import { expect, test } from '@playwright/test';
import { ADMIN, signIn } from './staff';

test('an administrator creates a viewer, who signs in with the password shown once; disabling ends their session at once', async ({
  browser,
  page,
}) => {
  await signIn(page, ADMIN, '/admin/staff');
  await expect(page.locator(`tr[data-email="${ADMIN.email}"]`)).toContainText('Это вы');

  const email = `clerk-${Date.now()}@example.com`;
  const create = page.getByTestId('staff-create');
  await create.getByLabel('Электронная почта').fill(email);
  await create.getByLabel('Роль').selectOption('viewer');
  await create.getByRole('button', { name: 'Создать' }).click();
  await expect(create.getByTestId('staff-result')).toContainText(`Сотрудник ${email} создан.`);
  const password = (await create.getByTestId('staff-password').textContent()) ?? '';
  const row = page.locator(`tr[data-email="${email}"]`);
  await expect(row).toContainText('Наблюдатель');
  await expect(row).toHaveAttribute('data-state', 'active');

  // The new colleague signs in elsewhere, and sees no staff management.
  const clerk = await (await browser.newContext()).newPage();
  await signIn(clerk, { email, password }, '/admin/bills');
  await expect(clerk.getByRole('link', { name: 'Сотрудники' })).toHaveCount(0);

  // Disabled: their very next request is signed out.
  await row.getByRole('button', { name: 'Отключить' }).click();
  await expect(row.getByTestId('staff-result')).toHaveText(`Готово: ${email}.`);
  await expect(row).toHaveAttribute('data-state', 'disabled');
  await clerk.goto('/admin/bills');
  await expect(clerk).toHaveURL(/\/admin\/login/);

  // Enabled again with a new password: the old one no longer works.
  await row.getByRole('button', { name: 'Включить' }).click();
  await expect(row).toHaveAttribute('data-state', 'active');
  await row.getByRole('button', { name: 'Новый пароль' }).click();
  const fresh = (await row.getByTestId('staff-password').textContent()) ?? '';
  expect(fresh).not.toBe(password);
  await clerk.goto('/admin/login');
  await clerk.getByLabel('Электронная почта').fill(email);
  await clerk.getByLabel('Пароль').fill(password);
  await clerk.getByRole('button', { name: 'Войти' }).click();
  await expect(clerk.getByTestId('login-error')).toContainText('Неверная');
  await signIn(clerk, { email, password: fresh }, '/admin/bills');
  await clerk.context().close();

  // A second account with the same address is refused with a reason.
  await create.getByLabel('Электронная почта').fill(email.toUpperCase());
  await create.getByRole('button', { name: 'Создать' }).click();
  await expect(create.getByTestId('staff-result')).toHaveText('Сотрудник с таким адресом уже есть.');

  // Every change is in the audit log, by whom and to whom.
  await page.goto('/admin/audit?actor=admin%40example.com');
  const audit = page.getByTestId('audit-log');
  for (const action of ['staff.created', 'staff.disabled', 'staff.enabled', 'staff.password_reset']) {
    await expect(audit.locator(`tr[data-action="${action}"]`).filter({ hasText: email })).toHaveCount(1);
  }
});
