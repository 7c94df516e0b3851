import { expect, test } from '@playwright/test';
import { fitsWidth, seriousViolations } from './page-checks';
import { addToCart, fillCheckout, placeOrder } from './shop';

for (const viewport of [
  { name: 'phone', width: 375, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
]) {
  test(`axe finds no serious or critical violations, and pages fit the ${viewport.name} width`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    const pages: Array<[string, () => Promise<unknown>]> = [
      ['catalogue', () => page.goto('/')],
      ['product', () => page.goto('/products/matryoshka')],
      ['cart', () => addToCart(page, 'matryoshka')],
      ['checkout', () => fillCheckout(page)],
    ];
    for (const [name, open] of pages) {
      await open();
      expect(await seriousViolations(page), name).toEqual([]);
      expect(await fitsWidth(page), `${name} fits ${viewport.width}px`).toBe(true);
    }
    const publicId = await placeOrder(page);
    await page.goto(`/orders/${publicId}`);
    expect(await seriousViolations(page), 'order').toEqual([]);
    expect(await fitsWidth(page), `order fits ${viewport.width}px`).toBe(true);

    // The return page reloads itself while the outcome is unknown (the issue asks for no client JS).
    // axe flags every timed meta refresh; the page bounds it to ~2 minutes and offers a link that
    // turns it off, which is what WCAG 2.2.1 asks. Once off, the page passes every rule.
    await page.goto(`/orders/${publicId}/return?result=ok`);
    // A reload that lands while axe reads the page leaves it no document: read the page again then (a
    // real finding fails every try). Seen once with the other browser projects busy on both cores.
    await expect(async () => {
      expect(await seriousViolations(page, ['meta-refresh']), 'return (refreshing)').toEqual([]);
      expect(await fitsWidth(page), `return fits ${viewport.width}px`).toBe(true);
    }).toPass({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Не обновлять страницу автоматически' }).click();
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
    expect(await seriousViolations(page), 'return (still)').toEqual([]);
  });
}

test('catalogue images reserve their space before they load (no layout shift)', async ({ page }) => {
  await page.goto('/');
  const images = page.locator('main img');
  expect(await images.count()).toBeGreaterThan(0);
  for (const img of await images.all()) {
    await expect(img).toHaveAttribute('width', /\d+/);
    await expect(img).toHaveAttribute('height', /\d+/);
  }
});

test('the keyboard reaches the main content first and focus is visible', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Перейти к содержимому' });
  await expect(skip).toBeFocused();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
});
