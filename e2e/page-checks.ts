import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** axe's serious and critical findings on the page, one line each (rule, impact, elements). */
export async function seriousViolations(page: Page, disabledRules: string[] = []): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).disableRules(disabledRules).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Nothing wider than the viewport: no sideways scrolling on a phone. */
export async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
